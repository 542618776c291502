import { randomBytes } from 'node:crypto';
import * as argon2 from 'argon2';
import type { EntityManager, DataSource } from 'typeorm';
import { DateTime } from 'luxon';
import { DEFAULT_HOTLINE_SETTINGS, DEFAULT_QUEUE_SETTINGS, type HotlineSettings, type QueueSettings } from '@frontdesk/contracts';
import { seededRandom, simulateHotlineDay, simulateLobbyDay, type CounterShift, type HistoryCounter, type HistoryService } from './demo-history-model';
import { abandonedCallbacks, simulateRepairDay, type KnownDevice } from './demo-history-repairs';

export type DemoHistoryResult =
  { written: true; days: number; tickets: number; events: number; calls: number; repairs: number; callbacks: number } | { written: false; reason: string };

/** The customers' service mix, as the simulator's (tools/simulate.mjs): intake, pickup, consultation, payment. */
const MIX = { A: 0.4, B: 0.25, C: 0.25, D: 0.1 };
const HOUR = 60;
/** Counter shifts (local minutes): three counters all day with staggered lunches, the fourth a helper at peak hours. */
const WEEKDAY_SHIFTS: CounterShift[] = [
  { open: 9 * HOUR, close: 18 * HOUR, lunch: [12 * HOUR, 12 * HOUR + 45] },
  { open: 9 * HOUR, close: 18 * HOUR, lunch: [12 * HOUR + 45, 13 * HOUR + 30] },
  { open: 9 * HOUR, close: 18 * HOUR, lunch: [12 * HOUR + 30, 13 * HOUR + 15] },
  { open: 10 * HOUR + 30, close: 16 * HOUR + 30, lunch: null },
];
const WEEKEND_SHIFTS: CounterShift[] = [...WEEKDAY_SHIFTS.slice(0, 3), { open: 9 * HOUR, close: 18 * HOUR, lunch: [13 * HOUR + 30, 14 * HOUR + 15] }];
const AGENTS = [
  { id: 'agent1', shift: { open: 8 * HOUR + 30, close: 18 * HOUR, lunch: [12 * HOUR, 12 * HOUR + 45] } },
  { id: 'agent2', shift: { open: 8 * HOUR + 30, close: 18 * HOUR, lunch: [12 * HOUR + 45, 13 * HOUR + 30] } },
  { id: 'agent3', shift: { open: 10 * HOUR, close: 16 * HOUR, lunch: null } },
] satisfies { id: string; shift: CounterShift }[];

const ACTOR = 'system:demo-history';

/** INSERT of many rows given as column → value objects of one shape, in chunks within Postgres's 65,535 parameters. */
async function insertRows(em: EntityManager, table: string, rows: Record<string, unknown>[], casts: Record<string, string> = {}): Promise<void> {
  if (!rows.length) return;
  const columns = Object.keys(rows[0]);
  const per = Math.floor(60_000 / columns.length);
  for (let i = 0; i < rows.length; i += per) {
    const params: unknown[] = [];
    const tuples = rows.slice(i, i + per).map((r) => `(${columns.map((c) => (params.push(r[c]), `$${params.length}${casts[c] ?? ''}`)).join(', ')})`);
    await em.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`, params);
  }
}

/**
 * Writes `days` past days of lobby, hotline, repair and callback traffic for a demo branch, so that the manager
 * view's "same weekday last week" lines, its hour-by-hour charts of past days, its 30-day repair tiles and the day
 * replay have something to show on a demo's first start. Every ticket has its events in the log (with the seqs before
 * any live event), every call its telephone events and agents' states, every repair its history rows, as the API and
 * the hotline ingest would have written them. Repair events, SMS and alerts get no made-up past.
 *
 * Only into a branch with no events yet (a new demo database): past events must take the seqs before the live ones,
 * and a screen that has seen a seq must never be sent older days as news.
 */
export async function seedDemoHistory(ds: DataSource, branchId: string, opts: { days: number; now?: Date }): Promise<DemoHistoryResult> {
  return ds.transaction(async (em) => {
    const [seqRow]: { last_seq: string }[] = await em.query(`SELECT last_seq FROM branch_event_seq WHERE branch_id = $1 FOR UPDATE`, [branchId]);
    if (!seqRow) throw new Error(`branch ${branchId} has no event seq row`);
    if (Number(seqRow.last_seq) > 0) return { written: false, reason: 'the branch has events already (history is written only into a new demo database)' };
    const [branch]: { time_zone: string; queue_settings: Partial<QueueSettings>; hotline_settings: Partial<HotlineSettings> }[] = await em.query(
      `SELECT time_zone, queue_settings, hotline_settings FROM branches WHERE id = $1`,
      [branchId],
    );
    const settings = { ...DEFAULT_QUEUE_SETTINGS, ...branch.queue_settings };
    const hotlineSettings = { ...DEFAULT_HOTLINE_SETTINGS, ...branch.hotline_settings };
    const serviceRows: { id: string; code: string; default_service_seconds: number }[] = await em.query(
      `SELECT id, code, default_service_seconds FROM services WHERE branch_id = $1 ORDER BY sort, code`,
      [branchId],
    );
    const services: HistoryService[] = serviceRows.map((r) => ({ id: r.id, code: r.code, defaultServiceSeconds: r.default_service_seconds }));
    const counterRows: { id: string; name: string; service_ids: string[] }[] = await em.query(
      `SELECT id, name, service_ids FROM counters WHERE branch_id = $1 ORDER BY sort, name`,
      [branchId],
    );
    const counters: HistoryCounter[] = counterRows.map((r) => ({ id: r.id, name: r.name, serviceIds: r.service_ids }));
    const now = opts.now ?? new Date();
    const today = DateTime.fromJSDate(now, { zone: branch.time_zone }).startOf('day');
    // Who did what, as the API labels principals (user:<id>:<username>, device:<id>:<name>): the branch's kiosk took
    // the tickets, its receptionists worked the counters (alternating over them) and took in and handed over the
    // repairs, its first technician repaired them. Without such staff, the seed's own label.
    const staff: { id: string; username: string; role: string }[] = await em.query(
      `SELECT u.id, u.username, u.role FROM users u JOIN user_branches ub ON ub.user_id = u.id
        WHERE ub.branch_id = $1 AND u.role IN ('frontdesk', 'technician') ORDER BY u.username`,
      [branchId],
    );
    const label = (u: { id: string; username: string } | undefined) => (u ? `user:${u.id}:${u.username}` : ACTOR);
    const tech = staff.find((u) => u.role === 'technician');
    const desks = staff.filter((u) => u.role === 'frontdesk');
    const deskAt = new Map(counters.map((c, i) => [c.id, label(desks.length ? desks[i % desks.length] : undefined)]));
    const [kiosk]: { id: string; name: string }[] = await em.query(
      `SELECT id, name FROM devices WHERE branch_id = $1 AND kind = 'kiosk' AND revoked_at IS NULL ORDER BY created_at DESC LIMIT 1`,
      [branchId],
    );
    const kioskLabel = kiosk ? `device:${kiosk.id}:${kiosk.name}` : ACTOR;
    const intakeService = services.find((s) => s.code === 'A');
    // Every made-up repair was collected, so its pickup code is never asked for: one hash of a code nobody knows.
    const pickupCodeHash = await argon2.hash(randomBytes(16).toString('hex'), { type: argon2.argon2id });
    const devices: KnownDevice[] = [];
    const phones = new Set<string>();
    const recentDurations = new Map<string, number[]>();
    let seq = 0;
    let tickets = 0;
    let calls = 0;
    let repairs = 0;
    let callbacks = 0;
    for (let back = opts.days; back >= 1; back--) {
      const date = today.minus({ days: back });
      const day = date.toISODate()!;
      const midnight = date.toJSDate();
      const rand = seededRandom(`${branchId}:${day}`);
      const weekend = date.weekday >= 6;
      const lobby = simulateLobbyDay({
        branchId,
        day,
        midnight,
        services,
        counters,
        settings,
        meanTickets: (weekend ? 230 : 195) * (0.85 + 0.3 * rand()),
        mix: MIX,
        shifts: weekend ? WEEKEND_SHIFTS : WEEKDAY_SHIFTS,
        recentDurations,
        rand,
      });
      await insertRows(
        em,
        'tickets',
        lobby.tickets.map((t) => ({
          id: t.id,
          branch_id: branchId,
          service_id: t.serviceId,
          local_day: day,
          day_seq: t.daySeq,
          number: t.number,
          status: t.status,
          language: t.language,
          counter_id: t.counterId,
          recall_count: t.recallCount,
          created_at: t.createdAt,
          first_called_at: t.firstCalledAt,
          called_at: t.calledAt,
          serving_at: t.servingAt,
          finished_at: t.finishedAt,
          closed_at: t.closedAt,
          estimated_wait_seconds: t.estimatedWaitSeconds,
          wait_error_seconds: t.waitErrorSeconds,
          issued_by: kioskLabel,
        })),
      );
      await insertRows(
        em,
        'ticket_day_sequences',
        [...lobby.daySeqs].map(([serviceId, last]) => ({ service_id: serviceId, local_day: day, last_seq: last })),
      );
      await insertRows(
        em,
        'events',
        lobby.events.map((e) => ({
          branch_id: branchId,
          seq: ++seq,
          type: e.type,
          actor: e.by === 'kiosk' ? kioskLabel : (deskAt.get(e.by.counterId) ?? ACTOR),
          data: JSON.stringify(e.data),
          at: e.at,
          published_at: e.at,
        })),
        { data: '::jsonb' },
      );
      const repairDay = simulateRepairDay({
        day,
        timeZone: branch.time_zone,
        now,
        intakes: lobby.tickets
          .filter((t) => t.status === 'done' && t.serviceId === intakeService?.id)
          .map((t) => ({ ticketId: t.id, finishedAt: t.finishedAt! })),
        devices,
        phones,
        technicianId: tech?.id ?? null,
        followUpDays: hotlineSettings.followUpDays,
        callbackHour: hotlineSettings.callbackHour,
        rand,
      });
      /** The receptionist of the counter that took the repair in (its intake ticket's counter). */
      const counterOf = new Map(lobby.tickets.map((t) => [t.id, t.counterId]));
      const receptionist = (ticketId: string) => deskAt.get(counterOf.get(ticketId) ?? '') ?? label(desks[0]);
      await insertRows(
        em,
        'customers',
        repairDay.customers.map((c) => ({ id: c.id, phone: c.phone, name: c.name, created_at: c.createdAt, updated_at: c.createdAt })),
      );
      await insertRows(
        em,
        'repairs',
        repairDay.repairs.map((r) => ({
          id: r.id,
          branch_id: branchId,
          order_no: r.orderNo,
          local_day: day,
          day_seq: r.daySeq,
          customer_id: r.customerId,
          customer_name: r.customerName,
          customer_phone: r.customerPhone,
          brand: r.brand,
          model: r.model,
          imei: r.imei,
          device_key: r.deviceKey,
          fault: r.fault,
          accessories: JSON.stringify(r.accessories),
          purchase_date: r.purchaseDate,
          warranty_status: r.warranty.status,
          warranty_computed: r.warranty.status,
          warranty_reason: r.warranty.reason,
          warranty_reason_zh: r.warranty.reasonZh,
          notify: 'sms',
          ticket_id: r.ticketId,
          status: r.status,
          promised_at: r.promisedAt,
          repeat_of: r.repeatOf,
          technician_id: r.technicianId,
          diagnosis_note: r.diagnosisNote,
          parts_note: r.partsNote,
          quote_amount: r.quote?.amount ?? null,
          quote_currency: r.quote ? 'CNY' : null,
          quote_decision: r.quote?.decision ?? null,
          quoted_at: r.quote?.quotedAt ?? null,
          quote_decided_at: r.quote?.decidedAt ?? null,
          payment_amount: r.payment?.amount ?? null,
          payment_currency: r.payment ? 'CNY' : null,
          payment_method: r.payment?.method ?? null,
          paid_at: r.payment?.paidAt ?? null,
          pickup_code_hash: pickupCodeHash,
          survey_score: r.survey?.score ?? null,
          survey_at: r.survey?.at ?? null,
          created_by: receptionist(r.ticketId),
          created_at: r.createdAt,
          updated_at: r.updatedAt,
          ready_at: r.readyAt,
          closed_at: r.closedAt,
        })),
        { accessories: '::jsonb' },
      );
      const intakeOf = new Map(repairDay.repairs.map((r) => [r.id, r.ticketId]));
      await insertRows(
        em,
        'repair_history',
        repairDay.history.map((h) => ({
          repair_id: h.repairId,
          at: h.at,
          actor: h.by === 'technician' ? label(tech) : receptionist(intakeOf.get(h.repairId)!),
          kind: h.kind,
          from_value: h.from,
          to_value: h.to,
          note: h.note,
        })),
      );
      if (repairDay.repairs.length) {
        await insertRows(em, 'repair_order_sequences', [{ branch_id: branchId, local_day: day, last_seq: repairDay.repairs.length }]);
      }
      const hotline = simulateHotlineDay({
        day,
        midnight,
        agents: AGENTS,
        meanCalls: (weekend ? 100 : 150) * (0.85 + 0.3 * rand()),
        queues: { repair: 0.7, sales: 0.3 },
        shortAbandonSeconds: hotlineSettings.shortAbandonSeconds,
        rand,
      });
      await insertRows(
        em,
        'hotline_calls',
        hotline.calls.map((c) => ({
          branch_id: branchId,
          call_id: c.callId,
          queue: c.queue,
          local_day: day,
          first_at: c.firstAt,
          queued_at: c.firstAt,
          answered_at: c.answeredAt,
          abandoned_at: c.abandonedAt,
          ended_at: c.endedAt,
          agent_id: c.agentId,
          caller_number: c.callerNumber,
          status: c.status,
          updated_at: c.endedAt,
        })),
      );
      await insertRows(
        em,
        'hotline_events',
        hotline.events.map((e) => ({
          branch_id: branchId,
          id: e.id,
          type: e.type,
          call_id: e.callId,
          queue: e.queue,
          at: e.at,
          agent_id: e.agentId,
          state: e.state,
          caller_number: e.callerNumber,
          received_at: e.at,
        })),
      );
      const dayCallbacks = [
        ...repairDay.callbacks,
        ...abandonedCallbacks(
          hotline.calls.filter((c) => c.status === 'abandoned').map((c) => ({ callId: c.callId, callerNumber: c.callerNumber, abandonedAt: c.abandonedAt! })),
          { timeZone: branch.time_zone, now, callbackHour: hotlineSettings.callbackHour, rand },
        ),
      ];
      await insertRows(
        em,
        'callbacks',
        dayCallbacks.map((c) => ({
          id: c.id,
          branch_id: branchId,
          phone: c.phone,
          name: c.name,
          due_at: c.dueAt,
          reason: c.reason,
          repair_id: c.repairId,
          call_id: c.callId,
          note: c.note,
          status: c.status,
          outcome: c.outcome,
          attempts: c.attempts,
          created_by: c.createdBy,
          created_at: c.createdAt,
          completed_at: c.completedAt,
        })),
      );
      tickets += lobby.tickets.length;
      calls += hotline.calls.length;
      repairs += repairDay.repairs.length;
      callbacks += dayCallbacks.length;
    }
    await em.query(`UPDATE branch_event_seq SET last_seq = $2 WHERE branch_id = $1`, [branchId, seq]);
    return { written: true, days: opts.days, tickets, events: seq, calls, repairs, callbacks };
  });
}
