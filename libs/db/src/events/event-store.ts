import type { DataSource, EntityManager } from 'typeorm';
import type { LiveEvent, LiveEventType } from '@frontdesk/contracts';
import { prepared, type Statement } from './sql-batch';

/** The Postgres NOTIFY channel on which a commit of unpublished events (the worker's) tells the API to push them. */
export const EVENTS_CHANNEL = 'fdl_events';

interface EventRow {
  branch_id: string;
  seq: string;
  type: LiveEventType;
  at: Date;
  data: LiveEvent['data'];
}

function toEvent(r: EventRow): LiveEvent {
  return { seq: Number(r.seq), branchId: r.branch_id, type: r.type, at: r.at.toISOString(), data: r.data };
}

/** append's statement texts by number of events and kind (appendText); beyond this many kinds, built each time. */
const appendTexts = new Map<string, string>();
const APPEND_TEXTS_MAX = 256;

/**
 * The statement of `appendStatement` for `count` events: its parameters are five per event (branch, seq, type, actor,
 * data) and then the last seq; `current` takes the seqs from the locked row, `published` marks them published.
 */
function appendText(count: number, current: boolean, published: boolean): string {
  const tuples: string[] = [];
  for (let i = 0; i < count; i++) {
    const o = i * 5;
    // Every sub-statement sees the row as it was before `moved` (one snapshot), so each reads the same last seq.
    const seq = current ? `(SELECT last_seq FROM branch_event_seq WHERE branch_id = $${o + 1}) + $${o + 2}::bigint` : `$${o + 2}`;
    tuples.push(`($${o + 1}, ${seq}, $${o + 3}, $${o + 4}, $${o + 5}::jsonb, ${published ? 'now()' : 'NULL'})`);
  }
  // Unpublished events announce themselves: the NOTIFY is delivered at commit (never for a rollback) and wakes the
  // API's outbox sweep, so the worker's events reach screens at once rather than at the next timed sweep.
  const notify = published ? '' : `, (SELECT pg_notify('${EVENTS_CHANNEL}', $1::text)) AS announced`;
  return `WITH appended AS (
         INSERT INTO events (branch_id, seq, type, actor, data, published_at) VALUES ${tuples.join(', ')}
         RETURNING branch_id, seq, type, at, data
       ), moved AS (
         UPDATE branch_event_seq SET last_seq = ${current ? 'last_seq + ' : ''}$${count * 5 + 1} WHERE branch_id = $1
       )
       SELECT appended.* FROM appended${notify}`;
}

/** The per-branch event log: appended in the change's transaction, read for replay and the outbox sweep. */
export class EventStoreRepository {
  constructor(private readonly ds: DataSource) {}

  /** Locks the branch for the rest of the transaction and returns its last seq. */
  async lockBranch(em: EntityManager, branchId: string): Promise<number> {
    const rows: { last_seq: string }[] = await em.query(`SELECT last_seq FROM branch_event_seq WHERE branch_id = $1 FOR UPDATE`, [branchId]);
    if (rows.length) return Number(rows[0].last_seq);
    await em.query(`INSERT INTO branch_event_seq (branch_id, last_seq) VALUES ($1, 0) ON CONFLICT DO NOTHING`, [branchId]);
    const again: { last_seq: string }[] = await em.query(`SELECT last_seq FROM branch_event_seq WHERE branch_id = $1 FOR UPDATE`, [branchId]);
    return Number(again[0].last_seq);
  }

  /** The statement of lockBranch's usual case (the branch's seq row exists): no row back means it is missing. */
  lockStatement(branchId: string): Statement {
    return { sql: `SELECT last_seq FROM branch_event_seq WHERE branch_id = $1 FOR UPDATE`, params: [branchId], name: 'fdl_lock_branch' };
  }

  /**
   * Appends events with the next seqs and moves the branch's seq, in one round trip.
   * `published`: the caller will push them itself right after commit (the API); otherwise (the worker)
   * they stay unpublished until an API instance's outbox sweep pushes them.
   */
  async append(
    em: EntityManager,
    branchId: string,
    fromSeq: number,
    actor: string,
    events: { type: LiveEventType; data: LiveEvent['data'] }[],
    published = false,
  ): Promise<LiveEvent[]> {
    if (events.length === 0) return [];
    const { sql, params } = this.appendStatement(branchId, fromSeq, actor, events, published);
    return EventStoreRepository.appended(await em.query(sql, params));
  }

  /** append's statement, to be sent with others (see runBatch); its rows go through `appended`. */
  appendStatement(
    branchId: string,
    /** The branch's last seq before these events; 'current': as the locked row holds it when the statement runs. */
    fromSeq: number | 'current',
    actor: string,
    /** `actor`, when given, overrides the statement's actor for that event (a batch of several people's changes). */
    events: { type: LiveEventType; data: LiveEvent['data']; actor?: string }[],
    published: boolean,
  ): Statement {
    const values: unknown[] = [];
    const base = fromSeq === 'current' ? null : fromSeq;
    const current = base === null;
    for (let i = 0; i < events.length; i++) {
      const e = events[i];
      values.push(branchId, (base ?? 0) + i + 1, e.type, e.actor ?? actor, JSON.stringify(e.data));
    }
    values.push((base ?? 0) + events.length);
    // Prepared by its text (one per number of events and kind): planning this statement cost Postgres more than running
    // it. The text is built once per kind (see appendText) and the same string reused, so `prepared` finds it at once.
    const key = `${events.length}${current ? 'c' : 'n'}${published ? 'p' : 'u'}`;
    let sql = appendTexts.get(key);
    if (sql === undefined) {
      sql = appendText(events.length, current, published);
      if (appendTexts.size < APPEND_TEXTS_MAX) appendTexts.set(key, sql);
    }
    return prepared(sql, values);
  }

  static appended(rows: unknown[]): LiveEvent[] {
    return (rows as EventRow[]).map(toEvent).sort((a, b) => a.seq - b.seq);
  }

  async lastSeqs(branchIds: string[]): Promise<Map<string, number>> {
    if (branchIds.length === 0) return new Map();
    const rows: { branch_id: string; last_seq: string }[] = await this.ds.query(
      `SELECT branch_id, last_seq FROM branch_event_seq WHERE branch_id = ANY($1::uuid[])`,
      [branchIds],
    );
    return new Map(rows.map((r) => [r.branch_id, Number(r.last_seq)]));
  }

  /** Events after `afterSeq`, at most `limit`; `more` tells that the gap is larger than that. */
  async since(branchId: string, afterSeq: number, limit: number): Promise<{ events: LiveEvent[]; more: boolean }> {
    const rows: EventRow[] = await this.ds.query(
      `SELECT branch_id, seq, type, at, data FROM events WHERE branch_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
      [branchId, afterSeq, limit + 1],
    );
    return { events: rows.slice(0, limit).map(toEvent), more: rows.length > limit };
  }

  /**
   * Claims events that nobody published (their process died between commit and emit, or they were written
   * by another process such as the worker). SKIP LOCKED lets several API instances sweep without doubling.
   */
  async claimUnpublished(olderThanMs: number, limit: number): Promise<LiveEvent[]> {
    // TypeORM returns [rows, affected] for UPDATE ... RETURNING on Postgres.
    const [rows]: [EventRow[], number] = await this.ds.query(
      `UPDATE events e SET published_at = now()
       FROM (SELECT branch_id, seq FROM events WHERE published_at IS NULL AND at < now() - make_interval(secs => $1::double precision / 1000)
             ORDER BY branch_id, seq LIMIT $2 FOR UPDATE SKIP LOCKED) k
       WHERE e.branch_id = k.branch_id AND e.seq = k.seq
       RETURNING e.branch_id, e.seq, e.type, e.at, e.data`,
      [olderThanMs, limit],
    );
    return rows.map(toEvent).sort((a, b) => (a.branchId === b.branchId ? a.seq - b.seq : a.branchId < b.branchId ? -1 : 1));
  }
}
