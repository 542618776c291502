import { randomBytes } from 'node:crypto';
import * as argon2 from 'argon2';
import type { EntityManager, DataSource } from 'typeorm';
import { DateTime } from 'luxon';
import { DEFAULT_HOTLINE_SETTINGS, DEFAULT_QUEUE_SETTINGS, type HotlineSettings, type QueueSettings } from '@frontdesk/contracts';
import { seededRandom, simulateHotlineDay, simulateLobbyDay, type CounterShift, type HistoryCounter, type HistoryService } from './demo-history-model';
import { abandonedCallbacks, simulateRepairDay, type CallbackRow, type KnownDevice } from './demo-history-repairs';

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

/** INSERT of many rows, in chunks small enough for Postgres's 65,535 parameters. */
async function insertRows(em: EntityManager, table: string, columns: string[], rows: unknown[][], casts: Record<string, string> = {}): Promise<void> {
  const per = Math.floor(60_000 / columns.length);
  for (let i = 0; i < rows.length; i += per) {
    const chunk = rows.slice(i, i + per);
    const params: unknown[] = [];
    const tuples = chunk.map((r) => `(${r.map((v, j) => (params.push(v), `$${params.length}${casts[columns[j]] ?? ''}`)).join(', ')})`);
    await em.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`, params);
  }
}

function insertCallbacks(em: EntityManager, branchId: string, rows: CallbackRow[]): Promise<void> {
  return insertRows(
    em,
    'callbacks',
    [
      'id',
      'branch_id',
      'phone',
      'name',
      'due_at',
      'reason',
      'repair_id',
      'call_id',
      'note',
      'status',
      'outcome',
      'attempts',
      'created_by',
      'created_at',
      'completed_at',
    ],
    rows.map((c) => [
      c.id,
      branchId,
      c.phone,
      c.name,
      c.dueAt,
      c.reason,
      c.repairId,
      c.callId,
      c.note,
      c.status,
      c.outcome,
      c.attempts,
      c.createdBy,
      c.createdAt,
      c.completedAt,
    ]),
  );
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
    const [tech]: { id: string }[] = await em.query(
      `SELECT u.id FROM users u JOIN user_branches ub ON ub.user_id = u.id WHERE ub.branch_id = $1 AND u.role = 'technician' ORDER BY u.username LIMIT 1`,
      [branchId],
    );
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
        issuedBy: ACTOR,
        rand,
      });
      await insertRows(
        em,
        'tickets',
        [
          'id',
          'branch_id',
          'service_id',
          'local_day',
          'day_seq',
          'number',
          'status',
          'language',
          'counter_id',
          'recall_count',
          'created_at',
          'first_called_at',
          'called_at',
          'serving_at',
          'finished_at',
          'closed_at',
          'estimated_wait_seconds',
          'wait_error_seconds',
          'issued_by',
        ],
        lobby.tickets.map((t) => [
          t.id,
          branchId,
          t.serviceId,
          day,
          t.daySeq,
          t.number,
          t.status,
          t.language,
          t.counterId,
          t.recallCount,
          t.createdAt,
          t.firstCalledAt,
          t.calledAt,
          t.servingAt,
          t.finishedAt,
          t.closedAt,
          t.estimatedWaitSeconds,
          t.waitErrorSeconds,
          ACTOR,
        ]),
      );
      await insertRows(
        em,
        'ticket_day_sequences',
        ['service_id', 'local_day', 'last_seq'],
        [...lobby.daySeqs].map(([serviceId, last]) => [serviceId, day, last]),
      );
      await insertRows(
        em,
        'events',
        ['branch_id', 'seq', 'type', 'actor', 'data', 'at', 'published_at'],
        lobby.events.map((e) => [branchId, ++seq, e.type, ACTOR, JSON.stringify(e.data), e.at, e.at]),
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
      await insertRows(
        em,
        'customers',
        ['id', 'phone', 'name', 'created_at', 'updated_at'],
        repairDay.customers.map((c) => [c.id, c.phone, c.name, c.createdAt, c.createdAt]),
      );
      await insertRows(
        em,
        'repairs',
        // prettier-ignore
        ['id', 'branch_id', 'order_no', 'local_day', 'day_seq', 'customer_id', 'customer_name', 'customer_phone', 'brand', 'model', 'imei', 'device_key', 'fault', 'accessories',
         'purchase_date', 'warranty_status', 'warranty_computed', 'warranty_reason', 'warranty_reason_zh', 'notify', 'ticket_id', 'status', 'promised_at', 'repeat_of', 'technician_id',
         'diagnosis_note', 'parts_note', 'quote_amount', 'quote_currency', 'quote_decision', 'quoted_at', 'quote_decided_at', 'payment_amount', 'payment_currency', 'payment_method',
         'paid_at', 'pickup_code_hash', 'survey_score', 'survey_at', 'created_by', 'created_at', 'updated_at', 'ready_at', 'closed_at'],
        repairDay.repairs.map((r) => [
          r.id,
          branchId,
          r.orderNo,
          day,
          r.daySeq,
          r.customerId,
          r.customerName,
          r.customerPhone,
          r.brand,
          r.model,
          r.imei,
          r.deviceKey,
          r.fault,
          JSON.stringify(r.accessories),
          r.purchaseDate,
          r.warranty.status,
          r.warranty.status,
          r.warranty.reason,
          r.warranty.reasonZh,
          'sms',
          r.ticketId,
          r.status,
          r.promisedAt,
          r.repeatOf,
          r.technicianId,
          r.diagnosisNote,
          r.partsNote,
          r.quote?.amount ?? null,
          r.quote ? 'CNY' : null,
          r.quote?.decision ?? null,
          r.quote?.quotedAt ?? null,
          r.quote?.decidedAt ?? null,
          r.payment?.amount ?? null,
          r.payment ? 'CNY' : null,
          r.payment?.method ?? null,
          r.payment?.paidAt ?? null,
          pickupCodeHash,
          r.survey?.score ?? null,
          r.survey?.at ?? null,
          ACTOR,
          r.createdAt,
          r.updatedAt,
          r.readyAt,
          r.closedAt,
        ]),
        { accessories: '::jsonb' },
      );
      await insertRows(
        em,
        'repair_history',
        ['repair_id', 'at', 'actor', 'kind', 'from_value', 'to_value', 'note'],
        repairDay.history.map((h) => [h.repairId, h.at, ACTOR, h.kind, h.from, h.to, h.note]),
      );
      if (repairDay.repairs.length) {
        await em.query(`INSERT INTO repair_order_sequences (branch_id, local_day, last_seq) VALUES ($1, $2, $3)`, [branchId, day, repairDay.repairs.length]);
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
        [
          'branch_id',
          'call_id',
          'queue',
          'local_day',
          'first_at',
          'queued_at',
          'answered_at',
          'abandoned_at',
          'ended_at',
          'agent_id',
          'caller_number',
          'status',
          'updated_at',
        ],
        hotline.calls.map((c) => [
          branchId,
          c.callId,
          c.queue,
          day,
          c.firstAt,
          c.firstAt,
          c.answeredAt,
          c.abandonedAt,
          c.endedAt,
          c.agentId,
          c.callerNumber,
          c.status,
          c.endedAt,
        ]),
      );
      await insertRows(
        em,
        'hotline_events',
        ['branch_id', 'id', 'type', 'call_id', 'queue', 'at', 'agent_id', 'state', 'caller_number', 'received_at'],
        hotline.events.map((e) => [branchId, e.id, e.type, e.callId, e.queue, e.at, e.agentId, e.state, e.callerNumber, e.at]),
      );
      const dayCallbacks = [
        ...repairDay.callbacks,
        ...abandonedCallbacks(
          hotline.calls.filter((c) => c.status === 'abandoned').map((c) => ({ callId: c.callId, callerNumber: c.callerNumber, abandonedAt: c.abandonedAt! })),
          { timeZone: branch.time_zone, now, callbackHour: hotlineSettings.callbackHour, rand },
        ),
      ];
      await insertCallbacks(em, branchId, dayCallbacks);
      tickets += lobby.tickets.length;
      calls += hotline.calls.length;
      repairs += repairDay.repairs.length;
      callbacks += dayCallbacks.length;
    }
    await em.query(`UPDATE branch_event_seq SET last_seq = $2 WHERE branch_id = $1`, [branchId, seq]);
    return { written: true, days: opts.days, tickets, events: seq, calls, repairs, callbacks };
  });
}
