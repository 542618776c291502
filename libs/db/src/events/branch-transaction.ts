import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import type { LiveEvent, LiveEventDataMap, LiveEventType } from '@frontdesk/contracts';
import { EventStoreRepository } from './event-store';
import { prepared, runBatch, type Statement } from './sql-batch';

/**
 * A read run right after the branch lock, in the lock's round trip. Its first row carries `now`: `clock_timestamp()`
 * read once by the statement (it runs after the lock is held), which becomes the transaction's `now`.
 */
export type LockedRead = Statement & {
  /**
   * The branch as this process last left it, if it knows (the API's kept queue): the change is then made on that
   * state at once and sent in ONE round trip whose lock statement checks it still holds (see `speculate`).
   */
  expect?: () => Expectation | null;
};

/** What a change made without reading first assumes of its branch (read back at its last commit). */
export interface Expectation {
  /** branch_event_seq.queue_tx */
  queueTx: string;
  /** The kept queue's local day. */
  day: string;
  /** The last change's `now`: the next one's is never earlier. */
  lastNow: Date;
}

/**
 * Changes made on the kept state: committed in one round trip, committed after taking the lock to read
 * (`lockedToRead`), and refused (made again the usual way).
 */
export const speculation = { committed: 0, lockedToRead: 0, refused: 0 };

/**
 * Database time minus this process's clock, as last measured from a lock's round trip (`now` arrives with the reply,
 * so it is at most one round trip off). A change made without reading takes its `now` from this process's clock
 * plus this, so that times stay the database's, as the changes that read it have them. Null: not measured yet.
 */
let clockOffsetMs: number | null = null;
function measureClock(dbNow: unknown): void {
  if (dbNow instanceof Date) clockOffsetMs = dbNow.getTime() - Date.now();
}

/** Raised by fdl_lock_expected (migration BranchExpectedLockQueueOnly1764860000000) when the queue is not as kept. */
const BRANCH_CHANGED = 'FD001';

/** The read of a change without a LockedRead of its own: only `now` (its rows are not `tx.lockedRows`). */
export const NOW_READ: LockedRead = { sql: 'SELECT clock_timestamp() AS now', params: [] };

/** A transaction holding the branch lock; events recorded here commit with the change or not at all. */
export class BranchTransaction {
  readonly pending: { type: LiveEventType; data: LiveEvent['data'] }[] = [];
  /** Writes sent with the COMMIT, in order (see `write`); in a batch, shared by all its changes. */
  readonly writes: Statement[];
  /**
   * In a batch (runBranchBatch): what the batch's changes share, such as the queue loaded once and changed by each
   * in turn (BranchQueue.inTx). Null for a transaction of one change.
   */
  readonly memo: Map<string, unknown> | null;
  /** Reads sent in the commit's round trip after the writes and events (see `readAtCommit`); shared by a batch. */
  readonly commitReads: CommitRead[];

  constructor(
    readonly em: EntityManager,
    readonly branchId: string,
    readonly now: Date,
    /** The rows of the LockedRead the transaction was started with, if any. */
    readonly lockedRows: Record<string, unknown>[] | null = null,
    /** The rows of the `alsoRead` statement, if any. */
    readonly alsoRows: Record<string, unknown>[] | null = null,
    batch: { writes: Statement[]; memo: Map<string, unknown>; commitReads: CommitRead[] } | null = null,
  ) {
    this.writes = batch?.writes ?? [];
    this.memo = batch?.memo ?? null;
    this.commitReads = batch?.commitReads ?? [];
  }

  record<T extends LiveEventType>(type: T, data: LiveEventDataMap[T]): void {
    this.pending.push({ type, data });
  }

  /**
   * A write whose result nothing needs: it is sent in the commit's round trip, after everything sent through `em`
   * (so nothing in the transaction may read back what it writes). Its failure fails the commit.
   */
  write(sql: string, params: unknown[]): void {
    // Prepared once per connection (see `prepared`): every write is our own INSERT or UPDATE, each parameter typed by its column.
    this.writes.push(prepared(sql, params));
  }

  /**
   * A read sent in the commit's round trip, after every write and the events and before COMMIT, so it sees what the
   * transaction leaves; `then` gets its rows once the COMMIT succeeded (never if it failed or was rolled back).
   */
  readAtCommit(statement: Statement, then: (rows: Record<string, unknown>[]) => void): void {
    this.commitReads.push({ statement, then });
  }
}

export interface CommitRead {
  statement: Statement;
  then: (rows: Record<string, unknown>[]) => void;
}

/**
 * The commit's round trip: the writes, the events' append, the commit reads and COMMIT. Returns the append's rows
 * (null without events); once it returned, the COMMIT succeeded and each commit read has had its rows.
 */
async function commit(client: Parameters<typeof runBatch>[0], writes: Statement[], append: Statement[], reads: CommitRead[]): Promise<Record<string, unknown>[] | null> {
  const tail = await runBatch(client, [...writes, ...append, ...reads.map((r) => r.statement), 'COMMIT']);
  const at = writes.length + append.length;
  reads.forEach((r, i) => r.then(tail[at + i]));
  return append.length ? tail[writes.length] : null;
}

/** Tells TypeORM that the query runner is in a transaction it did not open itself (so `save` does not open one). */
function markTransaction(qr: QueryRunner, active: boolean): void {
  (qr as { isTransactionActive: boolean }).isTransactionActive = active;
  (qr as unknown as { transactionDepth: number }).transactionDepth = active ? 1 : 0;
}

/**
 * ONE round trip for changes made on the state this process kept of the branch (`read.expect`, the API's kept queue):
 * the changes run at once on that state, with `now` from this process's clock (plus the measured offset, never before
 * the last change's), and BEGIN, the branch lock, the writes, the events and COMMIT go in one message, in which
 * fdl_lock_expected takes the lock and stops everything after it unless the queue is still as kept (its stamp, the
 * local day); the events take their seqs from the locked row. The usual way makes two round trips under the lock (the lock and its read,
 * then the writes and COMMIT), and on this machine a message that wakes a Postgres backend costs more than any
 * statement in it.
 * A change that queries (through `tx.em`, such as the lobby SMS) takes the lock and the check in a round trip of its
 * own at its first query, so it reads under the lock, and the rest goes with the COMMIT: as many round trips as the
 * usual way, without reading the queue.
 * Null when the changes could not be made so and nothing was written: nothing kept, the clock not measured yet, a
 * change that threw (before the lock, even a refusal may not hold; and a retried request is answered from its
 * Idempotency-Key the usual way), or the branch was not as kept. The caller then makes them the usual way (their code
 * runs again, as for a failed batch).
 */
async function speculate(
  qr: QueryRunner,
  client: Parameters<typeof runBatch>[0],
  store: EventStoreRepository,
  branchId: string,
  read: LockedRead | undefined,
  changes: BranchChange[],
  publishesItself: boolean,
): Promise<BatchOutcome | null> {
  const expected = read?.expect?.() ?? null;
  if (!expected || clockOffsetMs === null) return null;
  const now = new Date(Math.max(Date.now() + clockOffsetMs, expected.lastNow.getTime()));
  // What BranchQueue.inTx takes from the lock's read: the copy is still the queue (checked by the lock statement).
  const lockedRows = [{ now, full: false, queue_tx: expected.queueTx, day: expected.day }];
  const check: Statement = {
    sql: 'SELECT fdl_lock_expected($1::uuid, $2::xid8, $3::text, $4::timestamptz)',
    params: [branchId, expected.queueTx, expected.day, now],
    name: 'fdl_lock_expected',
  };
  const isChanged = (err: unknown) => (err as { driverError?: { code?: string } }).driverError?.code === BRANCH_CHANGED;
  const writes: Statement[] = [];
  const memo = new Map<string, unknown>();
  const commitReads: CommitRead[] = [];
  const pending: { type: LiveEventType; data: LiveEvent['data']; actor: string }[] = [];
  const results: unknown[] = [];
  /** BEGIN was sent (a rollback is owed on failure); the lock was taken and the branch found as kept; it was not. */
  let begun = false;
  let locked = false;
  let changed = false;
  const rollback = async () => {
    markTransaction(qr, true);
    await qr.rollbackTransaction().catch(() => undefined);
    markTransaction(qr, false);
  };
  // A query first takes the lock and checks the branch, then sends the writes queued before it (read-your-writes).
  const ownQuery = qr.query.bind(qr);
  qr.query = (async (...args: Parameters<QueryRunner['query']>): Promise<unknown> => {
    if (!locked) {
      begun = true;
      try {
        await runBatch(client, ['BEGIN', check]);
      } catch (err) {
        changed = isChanged(err);
        throw err;
      }
      locked = true;
      markTransaction(qr, true);
    }
    if (writes.length) await runBatch(client, writes.splice(0));
    return (await ownQuery(...args)) as unknown;
  }) as QueryRunner['query'];
  try {
    for (const change of changes) {
      const tx = new BranchTransaction(qr.manager, branchId, now, lockedRows, null, { writes, memo, commitReads });
      const value = await change.fn(tx);
      if (change.beforeCommit) await change.beforeCommit(tx, value);
      for (const e of tx.pending) pending.push({ ...e, actor: change.actor });
      results.push(value);
    }
  } catch {
    // Made again the usual way, which answers it: before the lock the state was not yet checked, and the usual way
    // also looks up a retried request's Idempotency-Key first (a retry whose change is now refused gets its answer).
    delete (qr as Partial<QueryRunner>).query;
    if (begun) await rollback();
    speculation.refused += changes.length;
    return null;
  }
  delete (qr as Partial<QueryRunner>).query;
  if (changed) {
    // A change caught the lock's refusal and went on: the transaction is aborted, and the changes are made again.
    await rollback();
    speculation.refused += changes.length;
    return null;
  }
  // The seqs from the locked row: another process's events since (the hotline's, the worker's) do not refuse the change.
  const append = pending.length ? [store.appendStatement(branchId, 'current', changes[0].actor, pending, publishesItself)] : [];
  const head: (Statement | string)[] = locked ? [] : ['BEGIN', check];
  try {
    begun = true;
    const tail = await runBatch(client, [...head, ...writes, ...append, ...commitReads.map((r) => r.statement), 'COMMIT']);
    const from = head.length + writes.length + append.length;
    commitReads.forEach((r, i) => r.then(tail[from + i]));
    if (locked) speculation.lockedToRead += changes.length;
    else speculation.committed += changes.length;
    markTransaction(qr, false);
    return { ok: true, results, events: append.length ? EventStoreRepository.appended(tail[head.length + writes.length]) : [] };
  } catch (error) {
    await rollback();
    if (!locked && isChanged(error)) {
      speculation.refused += changes.length;
      return null;
    }
    return { ok: false, failedAt: null, error };
  }
}

/**
 * Runs `fn` under the branch's lock: changes of one branch happen one at a time (two counters never take
 * the same ticket) and its events get the next seqs, in the same transaction as the change.
 * `beforeCommit` runs last inside the transaction (the API queues the Idempotency-Key result there with `tx.write`).
 * The committed events are returned. With `publishesItself` (the API) they are written as published and the
 * caller pushes them; a screen that misses one (the process died in between) notices through the `sync` beacon
 * and replays it from the log. Without it (the worker) an API instance's outbox sweep pushes them.
 *
 * Every round trip under the lock holds up every other change of the branch, so the transaction makes two of its
 * own: BEGIN, the lock and `now` (or the `read`), and `alsoRead`, in one; the queued writes, the events and COMMIT
 * in the other.
 * Between them, only what `fn` sends through `tx.em`.
 */
export async function runBranchTransaction<T>(
  ds: DataSource,
  store: EventStoreRepository,
  branchId: string,
  actor: string,
  fn: (tx: BranchTransaction) => Promise<T>,
  beforeCommit?: (tx: BranchTransaction, result: T) => void | Promise<void>,
  options: { publishesItself?: boolean; read?: LockedRead; alsoRead?: Statement } = {},
): Promise<{ result: T; events: LiveEvent[] }> {
  const qr = ds.createQueryRunner();
  // The pooled pg client: batches go to it directly (TypeORM's query() takes one statement at a time).
  const client = (await qr.connect()) as Parameters<typeof runBatch>[0];
  let open = false;
  try {
    const speculated = await speculate(qr, client, store, branchId, options.read, [{ actor, fn, beforeCommit } as BranchChange], options.publishesItself ?? false);
    if (speculated?.ok) return { result: speculated.results[0] as T, events: speculated.events };
    if (speculated) throw speculated.error;
    // Postgres's default isolation, READ COMMITTED (naming it would cost a SET), so each statement of a batch
    // sees what committed before it ran: the read, after the lock, sees the previous change of the branch.
    // `now` is read after the lock so that times follow the order in which changes happen.
    open = true;
    const also = options.alsoRead ? [options.alsoRead] : [];
    const head = await runBatch(client, ['BEGIN', store.lockStatement(branchId), options.read ?? 'SELECT clock_timestamp() AS now', ...also]);
    markTransaction(qr, true);
    let lastSeq: number;
    let [, , read, alsoRows] = head;
    if (head[1].length) lastSeq = Number(head[1][0].last_seq);
    else {
      // The branch's first change: its seq row is created here, and the reads are made again under the lock.
      lastSeq = await store.lockBranch(qr.manager, branchId);
      read = options.read ? await qr.manager.query(options.read.sql, options.read.params) : await qr.manager.query(`SELECT clock_timestamp() AS now`);
      if (options.alsoRead) alsoRows = await qr.manager.query(options.alsoRead.sql, options.alsoRead.params);
    }
    measureClock(read[0].now);
    const tx = new BranchTransaction(qr.manager, branchId, read[0].now as Date, options.read ? read : null, options.alsoRead ? alsoRows : null);
    const value = await fn(tx);
    if (beforeCommit) await beforeCommit(tx, value);
    const append = tx.pending.length ? [store.appendStatement(branchId, lastSeq, actor, tx.pending, options.publishesItself ?? false)] : [];
    const appended = await commit(client, tx.writes, append, tx.commitReads);
    open = false;
    markTransaction(qr, false);
    const events = appended ? EventStoreRepository.appended(appended) : [];
    return { result: value, events };
  } catch (err) {
    if (open) {
      markTransaction(qr, true);
      await qr.rollbackTransaction().catch(() => undefined);
    }
    throw err;
  } finally {
    await qr.release();
  }
}

/** One change of a batch (see runBranchBatch): what runBranchTransaction takes for one change. */
export interface BranchChange<T = unknown> {
  actor: string;
  fn: (tx: BranchTransaction) => Promise<T>;
  beforeCommit?: (tx: BranchTransaction, result: T) => void | Promise<void>;
  alsoRead?: Statement;
}

export type BatchOutcome =
  | { ok: true; results: unknown[]; events: LiveEvent[] }
  /** Nothing was written. `failedAt`: the change whose own code threw (the others did not); null: the batch itself failed. */
  | { ok: false; failedAt: number | null; error: unknown };

/**
 * Several changes of one branch in ONE transaction under the branch lock, one after the other (group commit): the
 * lock is taken, the LockedRead read and the changes committed once for all of them, so a busy branch makes one
 * transaction of the changes that queued up while the last one ran instead of one each.
 * The changes see each other as if they ran one after the other: they share the queue read once (`tx.memo`), and
 * a query one of them sends through `tx.em` first sends the writes queued so far. They share `now`. Their events
 * get consecutive seqs in the changes' order, each with its change's actor.
 * If a change throws, or the transaction fails, everything is rolled back and the outcome says which change threw
 * (its in-memory changes to the shared queue are undone only by reading again): the caller runs them again, without
 * the batch.
 */
export async function runBranchBatch(
  ds: DataSource,
  store: EventStoreRepository,
  branchId: string,
  changes: BranchChange[],
  options: { publishesItself?: boolean; read: LockedRead },
): Promise<BatchOutcome> {
  const qr = ds.createQueryRunner();
  const client = (await qr.connect()) as Parameters<typeof runBatch>[0];
  const writes: Statement[] = [];
  const ownQuery = qr.query.bind(qr);
  let open = false;
  let failedAt: number | null = null;
  try {
    const speculated = await speculate(qr, client, store, branchId, options.read, changes, options.publishesItself ?? false);
    if (speculated) return speculated;
    open = true;
    const also = changes.flatMap((c) => (c.alsoRead ? [c.alsoRead] : []));
    const head = await runBatch(client, ['BEGIN', store.lockStatement(branchId), options.read, ...also]);
    markTransaction(qr, true);
    // The branch's first change creates its seq row: runBranchTransaction does that, one change at a time.
    if (!head[1].length) throw new Error(`branch ${branchId} has no event seq row yet`);
    const lastSeq = Number(head[1][0].last_seq);
    const read = head[2];
    measureClock(read[0]?.now);
    // Read-your-writes between the changes: a query through tx.em first sends the writes queued before it.
    qr.query = (async (...args: Parameters<QueryRunner['query']>): Promise<unknown> => {
      if (writes.length) await runBatch(client, writes.splice(0));
      return (await ownQuery(...args)) as unknown;
    }) as QueryRunner['query'];
    const memo = new Map<string, unknown>();
    const commitReads: CommitRead[] = [];
    const pending: { type: LiveEventType; data: LiveEvent['data']; actor: string }[] = [];
    const results: unknown[] = [];
    let alsoAt = 3;
    for (let i = 0; i < changes.length; i++) {
      const change = changes[i];
      const alsoRows = change.alsoRead ? head[alsoAt++] : null;
      const tx = new BranchTransaction(qr.manager, branchId, read[0].now as Date, options.read === NOW_READ ? null : read, alsoRows, { writes, memo, commitReads });
      failedAt = i;
      const value = await change.fn(tx);
      if (change.beforeCommit) await change.beforeCommit(tx, value);
      failedAt = null;
      for (const e of tx.pending) pending.push({ ...e, actor: change.actor });
      results.push(value);
    }
    const append = pending.length ? [store.appendStatement(branchId, lastSeq, changes[0].actor, pending, options.publishesItself ?? false)] : [];
    const appended = await commit(client, writes, append, commitReads);
    open = false;
    markTransaction(qr, false);
    const events = appended ? EventStoreRepository.appended(appended) : [];
    return { ok: true, results, events };
  } catch (error) {
    writes.length = 0;
    delete (qr as Partial<QueryRunner>).query;
    if (open) {
      markTransaction(qr, true);
      await qr.rollbackTransaction().catch(() => undefined);
    }
    return { ok: false, failedAt, error };
  } finally {
    // Back to the class's own method (the wrapper was an own property of this query runner).
    delete (qr as Partial<QueryRunner>).query;
    await qr.release();
  }
}
