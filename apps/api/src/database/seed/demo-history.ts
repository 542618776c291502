import type { EntityManager, DataSource } from 'typeorm';
import { DateTime } from 'luxon';
import { DEFAULT_HOTLINE_SETTINGS, DEFAULT_QUEUE_SETTINGS, type HotlineSettings, type QueueSettings } from '@frontdesk/contracts';
import { seededRandom, simulateHotlineDay, simulateLobbyDay, type CounterShift, type HistoryCounter, type HistoryService } from './demo-history-model';

export type DemoHistoryResult = { written: true; days: number; tickets: number; events: number; calls: number } | { written: false; reason: string };

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

/**
 * Writes `days` past days of lobby and hotline traffic for a demo branch, so that the manager view's "same weekday
 * last week" lines, its hour-by-hour charts of past days and the day replay have something to show on a demo's first
 * start. Every ticket has its events in the log (with the seqs before any live event), every call its telephone
 * events and agents' states, as the API and the hotline ingest would have written them. Repairs, callbacks and SMS
 * get no made-up past.
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
    const today = DateTime.fromJSDate(opts.now ?? new Date(), { zone: branch.time_zone }).startOf('day');
    const recentDurations = new Map<string, number[]>();
    let seq = 0;
    let tickets = 0;
    let calls = 0;
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
      tickets += lobby.tickets.length;
      calls += hotline.calls.length;
    }
    await em.query(`UPDATE branch_event_seq SET last_seq = $2 WHERE branch_id = $1`, [branchId, seq]);
    return { written: true, days: opts.days, tickets, events: seq, calls };
  });
}
