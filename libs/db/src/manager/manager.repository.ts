import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AgentState, Breakdown, CounterStatus, KpiKey, SeriesBucket, SeriesMetric } from '@frontdesk/contracts';
import { foldTicketEvents, type AgentStateRecord, type CallRecord, type TicketEventRecord } from '@frontdesk/domain';

export interface ManagerBranch {
  id: string;
  timeZone: string;
  targets: Partial<Record<KpiKey, number>>;
}

/** A local time range: `from` and `to` are wall-clock timestamps (YYYY-MM-DD HH:mm:ss) in `timeZone`, `to` exclusive. */
export interface LocalRange {
  timeZone: string;
  from: string;
  to: string;
}

export type KpiValues = Partial<Record<KpiKey, number | null>>;

const OPEN_STATES = ['received', 'diagnosing', 'awaiting_approval', 'awaiting_parts', 'repairing', 'qa'] as const;
const BUCKET_INTERVAL: Record<SeriesBucket, string> = { '15m': '15 minutes', '30m': '30 minutes', '1h': '1 hour', '1d': '1 day' };
const num = (v: string | number | null | undefined): number | null => (v === null || v === undefined ? null : Number(v));

/**
 * Every figure of the manager view, computed in SQL over the stored rows of one branch. Local days and buckets
 * are taken with AT TIME ZONE in the branch's zone so that a chart's 09:00 is 09:00 at the counter.
 */
@Injectable()
export class ManagerRepository {
  async branch(em: EntityManager, branchId: string): Promise<ManagerBranch | null> {
    const rows: { id: string; time_zone: string; kpi_targets: Partial<Record<KpiKey, number>> | null }[] = await em.query(
      `SELECT id, time_zone, kpi_targets FROM branches WHERE id = $1`,
      [branchId],
    );
    const r = rows[0];
    return r ? { id: r.id, timeZone: r.time_zone, targets: r.kpi_targets ?? {} } : null;
  }

  /** Merge targets (a null value removes the branch's own target, so the default applies again). */
  async updateTargets(em: EntityManager, branchId: string, patch: Partial<Record<KpiKey, number | null>>): Promise<Partial<Record<KpiKey, number>>> {
    const set = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== null));
    const remove = Object.entries(patch)
      .filter(([, v]) => v === null)
      .map(([k]) => k);
    await em.query(`UPDATE branches SET kpi_targets = (kpi_targets || $2::jsonb) - $3::text[] WHERE id = $1`, [branchId, JSON.stringify(set), remove]);
    return (await this.branch(em, branchId))?.targets ?? {};
  }

  /** Lobby tiles for a local day; waits measured at `now`. */
  async lobby(em: EntityManager, branchId: string, day: string, now: Date): Promise<KpiValues> {
    const [r]: Record<string, string | null>[] = await em.query(
      `SELECT count(*) FILTER (WHERE status = 'waiting') AS waiting,
              avg(EXTRACT(EPOCH FROM first_called_at - created_at)) AS wait_avg,
              percentile_cont(0.9) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM first_called_at - created_at)) AS wait_p90,
              max(EXTRACT(EPOCH FROM $3::timestamptz - created_at)) FILTER (WHERE status = 'waiting') AS longest,
              count(*) FILTER (WHERE status = 'no_show') AS no_show,
              count(*) FILTER (WHERE first_called_at IS NOT NULL) AS called,
              avg(abs(wait_error_seconds)) AS estimate_error
         FROM tickets WHERE branch_id = $1 AND local_day = $2::date`,
      [branchId, day, now],
    );
    const called = Number(r.called);
    return {
      'lobby.waiting': Number(r.waiting),
      'lobby.wait.avg': num(r.wait_avg),
      'lobby.wait.p90': num(r.wait_p90),
      'lobby.wait.longest': Math.max(0, num(r.longest) ?? 0),
      'lobby.noshow.rate': called ? Number(r.no_show) / called : null,
      'lobby.estimate.error': num(r.estimate_error),
    };
  }

  /**
   * Repair tiles: open and overdue now, turnaround of the repairs made ready today; repeat rate and satisfaction over
   * the last 30 days, as GET /repair-kpis counts them (a day has too few repairs and surveys for a rate).
   */
  async repairs(em: EntityManager, branchId: string, range: LocalRange, now: Date): Promise<KpiValues> {
    const [r]: Record<string, string | null>[] = await em.query(
      `WITH day AS (SELECT ($2::timestamp AT TIME ZONE $4) AS lo, ($3::timestamp AT TIME ZONE $4) AS hi)
       SELECT
         (SELECT json_object_agg(status, n) FROM (SELECT status, count(*) AS n FROM repairs WHERE branch_id = $1 AND status = ANY($6::text[]) GROUP BY status) s) AS open,
         (SELECT count(*) FROM repairs WHERE branch_id = $1 AND status = ANY($6::text[]) AND promised_at < $5) AS overdue,
         (SELECT avg(EXTRACT(EPOCH FROM ready_at - created_at)) FROM repairs, day WHERE branch_id = $1 AND ready_at >= day.lo AND ready_at < day.hi) AS turnaround,
         (SELECT count(*) FROM repairs WHERE branch_id = $1 AND status = 'ready_for_pickup' AND ready_at < $5::timestamptz - interval '3 days') AS uncollected,
         (SELECT count(*) FROM repairs WHERE branch_id = $1 AND created_at > $5::timestamptz - interval '30 days') AS created,
         (SELECT count(*) FROM repairs WHERE branch_id = $1 AND created_at > $5::timestamptz - interval '30 days' AND repeat_of IS NOT NULL) AS repeats,
         (SELECT avg(survey_score) FROM repairs WHERE branch_id = $1 AND survey_at > $5::timestamptz - interval '30 days') AS sat_avg,
         (SELECT avg((survey_score >= 4)::int) FROM repairs WHERE branch_id = $1 AND survey_at > $5::timestamptz - interval '30 days') AS sat_share`,
      [branchId, range.from, range.to, range.timeZone, now, OPEN_STATES],
    );
    const open = (r.open ?? {}) as unknown as Record<string, number>;
    const created = Number(r.created);
    const values: KpiValues = {
      'repairs.open': OPEN_STATES.reduce((s, k) => s + Number(open[k] ?? 0), 0),
      'repairs.overdue': Number(r.overdue),
      'repairs.turnaround.avg': num(r.turnaround),
      'repairs.uncollected': Number(r.uncollected),
      'repairs.repeat.rate': created ? Number(r.repeats) / created : null,
      'satisfaction.avg': num(r.sat_avg),
      'satisfaction.share': num(r.sat_share),
    };
    for (const s of OPEN_STATES) values[`repairs.open.${s}`] = Number(open[s] ?? 0);
    return values;
  }

  /** Callback tiles: due now, overdue past the 15 minute grace, and on-time among those due today. */
  async callbacks(em: EntityManager, branchId: string, range: LocalRange, now: Date, graceMinutes = 15): Promise<KpiValues> {
    const [r]: Record<string, string | null>[] = await em.query(
      `SELECT count(*) FILTER (WHERE status <> 'done' AND due_at <= $5) AS due,
              count(*) FILTER (WHERE status <> 'done' AND due_at + make_interval(mins => $6) < $5) AS overdue,
              count(*) FILTER (WHERE due_at >= ($2::timestamp AT TIME ZONE $4) AND due_at < ($3::timestamp AT TIME ZONE $4) AND due_at <= $5) AS due_today,
              count(*) FILTER (WHERE due_at >= ($2::timestamp AT TIME ZONE $4) AND due_at < ($3::timestamp AT TIME ZONE $4) AND due_at <= $5
                                 AND status = 'done' AND completed_at <= due_at + make_interval(mins => $6)) AS on_time
         FROM callbacks WHERE branch_id = $1`,
      [branchId, range.from, range.to, range.timeZone, now, graceMinutes],
    );
    const dueToday = Number(r.due_today);
    return {
      'callbacks.due': Number(r.due),
      'callbacks.overdue': Number(r.overdue),
      'callbacks.ontime.rate': dueToday ? Number(r.on_time) / dueToday : null,
    };
  }

  /** SMS tiles: notices sent today, and notices that failed for good today (local day), from the notifications outbox. */
  async sms(em: EntityManager, branchId: string, range: LocalRange): Promise<KpiValues> {
    const [r]: Record<string, string>[] = await em.query(
      `WITH day AS (SELECT ($2::timestamp AT TIME ZONE $4) AS lo, ($3::timestamp AT TIME ZONE $4) AS hi)
       SELECT count(*) FILTER (WHERE state = 'sent' AND sent_at >= day.lo AND sent_at < day.hi) AS sent,
              count(*) FILTER (WHERE state = 'failed' AND updated_at >= day.lo AND updated_at < day.hi) AS failed
         FROM notifications, day WHERE branch_id = $1`,
      [branchId, range.from, range.to, range.timeZone],
    );
    return { 'sms.sent': Number(r.sent), 'sms.failed': Number(r.failed) };
  }

  /** One value per local bucket of the range; empty buckets are 0. */
  async series(
    em: EntityManager,
    branchId: string,
    metric: SeriesMetric,
    bucket: SeriesBucket,
    range: LocalRange,
    hotline: { serviceLevelSeconds: number },
  ): Promise<{ t: string; value: number }[]> {
    const source = SERIES_SQL[metric];
    // Days are local calendar days (a DST day is one bucket). Shorter buckets are real spans of time from local
    // midnight, so the day DST starts has 23 hours of buckets and the day it ends 25, each labelled by its instant.
    const sql =
      bucket === '1d'
        ? `WITH b AS (SELECT generate_series($2::timestamp, $3::timestamp - $5::interval, $5::interval) AS t, $6::numeric AS sl_seconds),
              src AS (${source.rows}),
              v AS (SELECT date_bin($5::interval, src.at AT TIME ZONE $4, $2::timestamp) AS t, ${source.value} AS value FROM src GROUP BY 1)
           SELECT to_char(b.t, 'YYYY-MM-DD"T"HH24:MI:SS') AS t, COALESCE(v.value, 0) AS value FROM b LEFT JOIN v ON v.t = b.t ORDER BY b.t`
        : `WITH b AS (SELECT generate_series($2::timestamp AT TIME ZONE $4, ($3::timestamp AT TIME ZONE $4) - $5::interval, $5::interval) AS t, $6::numeric AS sl_seconds),
              src AS (${source.rows}),
              v AS (SELECT date_bin($5::interval, src.at, $2::timestamp AT TIME ZONE $4) AS t, ${source.value} AS value FROM src GROUP BY 1)
           SELECT to_char(b.t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS t, COALESCE(v.value, 0) AS value FROM b LEFT JOIN v ON v.t = b.t ORDER BY b.t`;
    const rows: { t: string; value: string | null }[] = await em.query(sql, [
      branchId,
      range.from,
      range.to,
      range.timeZone,
      BUCKET_INTERVAL[bucket],
      hotline.serviceLevelSeconds,
    ]);
    return rows.map((r) => ({ t: r.t, value: Number(r.value) }));
  }

  /** Bars for a range: pipeline by state, turnaround histogram, per-counter and per-agent throughput. */
  async breakdown(em: EntityManager, branchId: string, kind: Breakdown, range: LocalRange): Promise<{ label: string; value: number }[]> {
    const lo = `($2::timestamp AT TIME ZONE $4)`;
    const hi = `($3::timestamp AT TIME ZONE $4)`;
    const sql: Record<Breakdown, string> = {
      'repairs.pipeline': `SELECT status AS label, count(*) AS value FROM repairs WHERE branch_id = $1 AND created_at >= ${lo} AND created_at < ${hi} GROUP BY status`,
      'repairs.turnaround': `SELECT label, count(*) AS value FROM (
           SELECT CASE WHEN h < 4 THEN '0-4h' WHEN h < 24 THEN '4-24h' WHEN h < 48 THEN '1-2d' WHEN h < 72 THEN '2-3d' WHEN h < 168 THEN '3-7d' ELSE '7d+' END AS label
             FROM (SELECT EXTRACT(EPOCH FROM ready_at - created_at) / 3600 AS h FROM repairs WHERE branch_id = $1 AND ready_at >= ${lo} AND ready_at < ${hi}) x) y GROUP BY label`,
      'lobby.counter.throughput': `SELECT COALESCE(c.name, '?') AS label, count(*) AS value FROM tickets t LEFT JOIN counters c ON c.id = t.counter_id
           WHERE t.branch_id = $1 AND t.status = 'done' AND t.finished_at >= ${lo} AND t.finished_at < ${hi} GROUP BY 1 ORDER BY 1`,
      'hotline.agent.throughput': `SELECT COALESCE(agent_id, '?') AS label, count(*) AS value FROM hotline_calls
           WHERE branch_id = $1 AND status = 'answered' AND answered_at >= ${lo} AND answered_at < ${hi} GROUP BY 1 ORDER BY 1`,
    };
    const rows: { label: string; value: string }[] = await em.query(sql[kind], [branchId, range.from, range.to, range.timeZone]);
    const out = rows.map((r) => ({ label: r.label, value: Number(r.value) }));
    if (kind === 'repairs.pipeline') {
      const order = [...OPEN_STATES, 'ready_for_pickup', 'picked_up', 'returned_unrepaired', 'cancelled'];
      return order.map((s) => ({ label: s, value: out.find((o) => o.label === s)?.value ?? 0 }));
    }
    if (kind === 'repairs.turnaround') {
      return ['0-4h', '4-24h', '1-2d', '2-3d', '3-7d', '7d+'].map((s) => ({ label: s, value: out.find((o) => o.label === s)?.value ?? 0 }));
    }
    return out;
  }

  /**
   * What the event log says of a past instant: the day's ticket events up to it (seq order), each counter's latest
   * state, the hotline calls of the day and each agent's latest state event. Everything strictly at or before `at`.
   */
  async replaySource(em: EntityManager, branchId: string, dayStart: Date, at: Date, day: string) {
    const ticketEvents: { seq: string; type: string; ticket: TicketEventRecord['ticket'] }[] = await em.query(
      `SELECT seq, type, data->'ticket' AS ticket FROM events WHERE branch_id = $1 AND at >= $2 AND at <= $3 AND type LIKE 'ticket.%' ORDER BY seq`,
      [branchId, dayStart, at],
    );
    const counterRows: { id: string; name: string; status: string | null }[] = await em.query(
      `SELECT c.id, c.name, (SELECT e.data->'counter'->>'status' FROM events e WHERE e.branch_id = $1 AND e.type = 'counter.status_changed' AND e.at <= $2
                               AND e.data->'counter'->>'id' = c.id::text ORDER BY e.seq DESC LIMIT 1) AS status
         FROM counters c WHERE c.branch_id = $1 ORDER BY c.sort, c.name`,
      [branchId, at],
    );
    const [seqRow]: { seq: string | null }[] = await em.query(`SELECT max(seq) AS seq FROM events WHERE branch_id = $1 AND at <= $2`, [branchId, at]);
    const calls: {
      call_id: string;
      queue: string;
      first_at: Date;
      queued_at: Date | null;
      answered_at: Date | null;
      abandoned_at: Date | null;
      ended_at: Date | null;
      agent_id: string | null;
    }[] = await em.query(
      `SELECT call_id, queue, first_at, queued_at, answered_at, abandoned_at, ended_at, agent_id FROM hotline_calls WHERE branch_id = $1 AND local_day = $2::date AND first_at <= $3`,
      [branchId, day, at],
    );
    const agents: { agent_id: string; queue: string | null; state: AgentState; at: Date }[] = await em.query(
      `SELECT DISTINCT ON (agent_id, COALESCE(queue, '')) agent_id, queue, state, at FROM hotline_events
        WHERE branch_id = $1 AND type = 'agent_state' AND at <= $2 ORDER BY agent_id, COALESCE(queue, ''), at DESC`,
      [branchId, at],
    );
    const cut = (d: Date | null) => (d && d.getTime() <= at.getTime() ? d : null);
    return {
      seq: Number(seqRow?.seq ?? 0),
      tickets: foldTicketEvents(ticketEvents.map((e) => ({ seq: Number(e.seq), type: e.type, ticket: e.ticket }))),
      counters: counterRows.map((c) => ({ id: c.id, name: c.name, status: (c.status ?? 'closed') as CounterStatus })),
      // A call as it stood at the instant: what had not happened yet is not known.
      calls: calls.map<CallRecord>((c) => ({
        callId: c.call_id,
        queue: c.queue,
        firstAt: c.first_at,
        queuedAt: cut(c.queued_at),
        answeredAt: cut(c.answered_at),
        abandonedAt: cut(c.abandoned_at),
        endedAt: cut(c.ended_at),
        agentId: c.agent_id,
        callerNumber: null,
      })),
      agents: agents.map<AgentStateRecord>((a) => ({ agentId: a.agent_id, queue: a.queue || null, state: a.state, at: a.at })),
    };
  }

  /** What staffing advice is computed from: arrivals and handling times measured over the last `minutes`. */
  async lobbyLoad(em: EntityManager, branchId: string, now: Date, minutes: number) {
    const rows: {
      id: string;
      code: string;
      name_en: string;
      name_zh: string;
      default_service_seconds: number;
      arrivals: string;
      handle: string | null;
      open_now: string;
    }[] = await em.query(
      `SELECT s.id, s.code, s.name_en, s.name_zh, s.default_service_seconds,
                (SELECT count(*) FROM tickets t WHERE t.branch_id = $1 AND t.service_id = s.id AND t.created_at > $2::timestamptz - make_interval(mins => $3) AND t.created_at <= $2) AS arrivals,
                (SELECT avg(EXTRACT(EPOCH FROM t.finished_at - COALESCE(t.serving_at, t.called_at))) FROM (
                   SELECT finished_at, serving_at, called_at FROM tickets t WHERE t.branch_id = $1 AND t.service_id = s.id AND t.status = 'done'
                      AND t.finished_at > $2::timestamptz - interval '1 day' ORDER BY t.finished_at DESC LIMIT 20) t) AS handle,
                (SELECT count(*) FROM counters c WHERE c.branch_id = $1 AND c.status = 'open' AND s.id = ANY(c.service_ids)) AS open_now
           FROM services s WHERE s.branch_id = $1 ORDER BY s.sort, s.code`,
      [branchId, now, minutes],
    );
    return rows.map((r) => ({
      serviceId: r.id,
      code: r.code,
      nameEn: r.name_en,
      nameZh: r.name_zh,
      arrivals: Number(r.arrivals),
      handleSeconds: num(r.handle) ?? r.default_service_seconds,
      openNow: Number(r.open_now),
    }));
  }

  async hotlineLoad(em: EntityManager, branchId: string, now: Date, minutes: number) {
    const [r]: { arrivals: string; handle: string | null; open_now: string }[] = await em.query(
      `SELECT (SELECT count(*) FROM hotline_calls WHERE branch_id = $1 AND COALESCE(queued_at, first_at) > $2::timestamptz - make_interval(mins => $3) AND COALESCE(queued_at, first_at) <= $2) AS arrivals,
              (SELECT avg(EXTRACT(EPOCH FROM ended_at - answered_at)) FROM hotline_calls WHERE branch_id = $1 AND answered_at IS NOT NULL AND ended_at IS NOT NULL
                  AND ended_at > $2::timestamptz - interval '1 day') AS handle,
              (SELECT count(DISTINCT agent_id) FROM hotline_agents WHERE branch_id = $1 AND state IN ('available','on_call','wrap_up')) AS open_now`,
      [branchId, now, minutes],
    );
    return { arrivals: Number(r.arrivals), handleSeconds: num(r.handle), openNow: Number(r.open_now) };
  }
}

/** Per metric: rows with their instant (`at`) and the aggregate over a bucket's rows. */
const SERIES_SQL: Record<SeriesMetric, { rows: string; value: string }> = {
  'lobby.arrivals': {
    rows: `SELECT created_at AS at FROM tickets WHERE branch_id = $1 AND created_at >= ($2::timestamp AT TIME ZONE $4) AND created_at < ($3::timestamp AT TIME ZONE $4)`,
    value: `count(*)`,
  },
  'lobby.wait.avg': {
    rows: `SELECT created_at AS at, EXTRACT(EPOCH FROM first_called_at - created_at) AS w FROM tickets
            WHERE branch_id = $1 AND created_at >= ($2::timestamp AT TIME ZONE $4) AND created_at < ($3::timestamp AT TIME ZONE $4) AND first_called_at IS NOT NULL`,
    value: `avg(w)`,
  },
  'lobby.served': {
    rows: `SELECT finished_at AS at FROM tickets WHERE branch_id = $1 AND status = 'done' AND finished_at >= ($2::timestamp AT TIME ZONE $4) AND finished_at < ($3::timestamp AT TIME ZONE $4)`,
    value: `count(*)`,
  },
  'hotline.calls': {
    rows: `SELECT COALESCE(queued_at, first_at) AS at FROM hotline_calls
            WHERE branch_id = $1 AND COALESCE(queued_at, first_at) >= ($2::timestamp AT TIME ZONE $4) AND COALESCE(queued_at, first_at) < ($3::timestamp AT TIME ZONE $4)`,
    value: `count(*)`,
  },
  'hotline.sl': {
    rows: `SELECT COALESCE(queued_at, first_at) AS at, status,
                  (status = 'answered' AND EXTRACT(EPOCH FROM answered_at - COALESCE(queued_at, first_at)) <= $6::numeric) AS within
             FROM hotline_calls
            WHERE branch_id = $1 AND status IN ('answered','abandoned')
              AND COALESCE(queued_at, first_at) >= ($2::timestamp AT TIME ZONE $4) AND COALESCE(queued_at, first_at) < ($3::timestamp AT TIME ZONE $4)`,
    value: `avg(within::int)`,
  },
  'repairs.created': {
    rows: `SELECT created_at AS at FROM repairs WHERE branch_id = $1 AND created_at >= ($2::timestamp AT TIME ZONE $4) AND created_at < ($3::timestamp AT TIME ZONE $4)`,
    value: `count(*)`,
  },
  'repairs.ready': {
    rows: `SELECT ready_at AS at FROM repairs WHERE branch_id = $1 AND ready_at >= ($2::timestamp AT TIME ZONE $4) AND ready_at < ($3::timestamp AT TIME ZONE $4)`,
    value: `count(*)`,
  },
};
