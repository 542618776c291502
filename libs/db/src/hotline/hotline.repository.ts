import type { EntityManager } from 'typeorm';
import { DEFAULT_HOTLINE_SETTINGS, type AgentState, type HotlineEventInput, type HotlineSettings } from '@frontdesk/contracts';
import type { AgentStateRecord, CallRecord, CallStatus } from '@frontdesk/domain';

export interface StoredCall extends CallRecord {
  localDay: string;
  status: CallStatus;
}

interface CallRow {
  call_id: string;
  queue: string;
  local_day: string;
  first_at: Date;
  queued_at: Date | null;
  answered_at: Date | null;
  abandoned_at: Date | null;
  ended_at: Date | null;
  agent_id: string | null;
  caller_number: string | null;
  status: CallStatus;
}

const CALL_COLUMNS = `call_id, queue, to_char(local_day, 'YYYY-MM-DD') AS local_day, first_at, queued_at, answered_at, abandoned_at, ended_at, agent_id, caller_number, status`;

function toCall(r: CallRow): StoredCall {
  return {
    callId: r.call_id,
    queue: r.queue,
    localDay: r.local_day,
    firstAt: r.first_at,
    queuedAt: r.queued_at,
    answeredAt: r.answered_at,
    abandonedAt: r.abandoned_at,
    endedAt: r.ended_at,
    agentId: r.agent_id,
    callerNumber: r.caller_number,
    status: r.status,
  };
}

export interface BranchHotline {
  id: string;
  timeZone: string;
  secret: string | null;
  settings: HotlineSettings;
}

/** The hotline's tables: received events, the calls folded from them, agents' latest states. */
export class HotlineRepository {
  async branch(em: EntityManager, branchId: string): Promise<BranchHotline | null> {
    const rows: { id: string; time_zone: string; hotline_secret: string | null; hotline_settings: Partial<HotlineSettings> | null }[] = await em.query(
      `SELECT id, time_zone, hotline_secret, hotline_settings FROM branches WHERE id = $1`,
      [branchId],
    );
    const r = rows[0];
    if (!r) return null;
    return { id: r.id, timeZone: r.time_zone, secret: r.hotline_secret, settings: { ...DEFAULT_HOTLINE_SETTINGS, ...(r.hotline_settings ?? {}) } };
  }

  /** Appends the events; returns the ids that were new (an id seen before, or twice in the batch, is a duplicate). */
  async insertEvents(em: EntityManager, branchId: string, events: readonly HotlineEventInput[]): Promise<Set<string>> {
    const rows: { id: string }[] = await em.query(
      `INSERT INTO hotline_events (branch_id, id, type, call_id, queue, at, agent_id, state, caller_number)
       SELECT $1::uuid, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::text[], $8::text[], $9::text[])
       ON CONFLICT (branch_id, id) DO NOTHING
       RETURNING id`,
      [
        branchId,
        events.map((e) => e.id),
        events.map((e) => e.type),
        events.map((e) => e.callId ?? null),
        events.map((e) => e.queue ?? null),
        events.map((e) => e.at),
        events.map((e) => e.agentId ?? null),
        events.map((e) => e.state ?? null),
        events.map((e) => e.callerNumber ?? null),
      ],
    );
    return new Set(rows.map((r) => r.id));
  }

  async calls(em: EntityManager, branchId: string, callIds: readonly string[]): Promise<Map<string, StoredCall>> {
    if (callIds.length === 0) return new Map();
    const rows: CallRow[] = await em.query(`SELECT ${CALL_COLUMNS} FROM hotline_calls WHERE branch_id = $1 AND call_id = ANY($2::text[])`, [branchId, callIds]);
    return new Map(rows.map((r) => [r.call_id, toCall(r)]));
  }

  async saveCalls(em: EntityManager, branchId: string, calls: readonly StoredCall[]): Promise<void> {
    if (calls.length === 0) return;
    const iso = (d: Date | null) => d?.toISOString() ?? null;
    await em.query(
      `INSERT INTO hotline_calls (branch_id, call_id, queue, local_day, first_at, queued_at, answered_at, abandoned_at, ended_at, agent_id, caller_number, status)
       SELECT $1::uuid, * FROM unnest($2::text[], $3::text[], $4::date[], $5::timestamptz[], $6::timestamptz[], $7::timestamptz[], $8::timestamptz[], $9::timestamptz[], $10::text[], $11::text[], $12::text[])
       ON CONFLICT (branch_id, call_id) DO UPDATE SET queue = EXCLUDED.queue, local_day = EXCLUDED.local_day, first_at = EXCLUDED.first_at,
         queued_at = EXCLUDED.queued_at, answered_at = EXCLUDED.answered_at, abandoned_at = EXCLUDED.abandoned_at, ended_at = EXCLUDED.ended_at,
         agent_id = EXCLUDED.agent_id, caller_number = EXCLUDED.caller_number, status = EXCLUDED.status, updated_at = now()`,
      [
        branchId,
        calls.map((c) => c.callId),
        calls.map((c) => c.queue),
        calls.map((c) => c.localDay),
        calls.map((c) => c.firstAt.toISOString()),
        calls.map((c) => iso(c.queuedAt)),
        calls.map((c) => iso(c.answeredAt)),
        calls.map((c) => iso(c.abandonedAt)),
        calls.map((c) => iso(c.endedAt)),
        calls.map((c) => c.agentId),
        calls.map((c) => c.callerNumber),
        calls.map((c) => c.status),
      ],
    );
  }

  /** Calls of a local day, plus any started since `since` (a window that may reach into yesterday). */
  async recentCalls(em: EntityManager, branchId: string, localDay: string, since: Date): Promise<StoredCall[]> {
    const rows: CallRow[] = await em.query(
      `SELECT ${CALL_COLUMNS} FROM hotline_calls WHERE branch_id = $1 AND (local_day = $2::date OR COALESCE(queued_at, first_at) >= $3)`,
      [branchId, localDay, since],
    );
    return rows.map(toCall);
  }

  /** Calls from these numbers on these local days (abandoned-call callbacks). */
  async callsByNumber(em: EntityManager, branchId: string, numbers: readonly string[], days: readonly string[]): Promise<StoredCall[]> {
    if (numbers.length === 0) return [];
    const rows: CallRow[] = await em.query(
      `SELECT ${CALL_COLUMNS} FROM hotline_calls WHERE branch_id = $1 AND caller_number = ANY($2::text[]) AND local_day = ANY($3::date[])`,
      [branchId, numbers, days],
    );
    return rows.map(toCall);
  }

  /** Keeps each agent's latest state per queue ('' = every queue); an older event never overwrites a newer one. */
  async saveAgentStates(em: EntityManager, branchId: string, states: readonly { agentId: string; queue: string | null; state: AgentState; at: string; eventId: string }[]): Promise<void> {
    if (states.length === 0) return;
    // One row per key in one statement: the latest of the batch (ON CONFLICT cannot touch a row twice).
    const latest = new Map<string, (typeof states)[number]>();
    for (const s of states) {
      const key = `${s.agentId}\u0000${s.queue ?? ''}`;
      const prev = latest.get(key);
      if (!prev || newer(s, prev)) latest.set(key, s);
    }
    const rows = [...latest.values()];
    await em.query(
      `INSERT INTO hotline_agents (branch_id, agent_id, queue, state, at, event_id)
       SELECT $1::uuid, * FROM unnest($2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[])
       ON CONFLICT (branch_id, agent_id, queue) DO UPDATE SET state = EXCLUDED.state, at = EXCLUDED.at, event_id = EXCLUDED.event_id
       WHERE hotline_agents.at < EXCLUDED.at OR (hotline_agents.at = EXCLUDED.at AND hotline_agents.event_id < EXCLUDED.event_id)`,
      [branchId, rows.map((r) => r.agentId), rows.map((r) => r.queue ?? ''), rows.map((r) => r.state), rows.map((r) => r.at), rows.map((r) => r.eventId)],
    );
  }

  async agents(em: EntityManager, branchId: string): Promise<AgentStateRecord[]> {
    const rows: { agent_id: string; queue: string; state: AgentState; at: Date }[] = await em.query(
      `SELECT agent_id, queue, state, at FROM hotline_agents WHERE branch_id = $1 ORDER BY agent_id, queue`,
      [branchId],
    );
    return rows.map((r) => ({ agentId: r.agent_id, queue: r.queue === '' ? null : r.queue, state: r.state, at: r.at }));
  }

  /** Keys of the open hotline alerts, so those whose situation is over can be cleared. */
  async openAlertKeys(em: EntityManager, branchId: string, prefix: string): Promise<string[]> {
    const rows: { dedupe_key: string }[] = await em.query(
      `SELECT dedupe_key FROM alerts WHERE branch_id = $1 AND cleared_at IS NULL AND dedupe_key LIKE $2`,
      [branchId, `${prefix}%`],
    );
    return rows.map((r) => r.dedupe_key);
  }

  /** Branches with a call still waiting: the time-based alerts are checked for these. */
  async branchesWithWaitingCalls(em: EntityManager): Promise<string[]> {
    const rows: { branch_id: string }[] = await em.query(
      `SELECT DISTINCT branch_id FROM hotline_calls WHERE status = 'waiting' AND COALESCE(queued_at, first_at) > now() - interval '1 day'
       UNION SELECT DISTINCT branch_id FROM alerts WHERE cleared_at IS NULL AND dedupe_key LIKE 'hotline:%'`,
    );
    return rows.map((r) => r.branch_id);
  }
}

function newer(a: { at: string; eventId: string }, b: { at: string; eventId: string }): boolean {
  const ta = Date.parse(a.at);
  const tb = Date.parse(b.at);
  return ta > tb || (ta === tb && a.eventId > b.eventId);
}
