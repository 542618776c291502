import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import type { LiveEvent, LiveEventDataMap, LiveEventType } from '@frontdesk/contracts';
import { EventStoreRepository } from './event-store';
import { runBatch, type Statement } from './sql-batch';

/**
 * A read run right after the branch lock, in the lock's round trip. Its first row carries `now`: `clock_timestamp()`
 * read once by the statement (it runs after the lock is held), which becomes the transaction's `now`.
 */
export type LockedRead = Statement;

/** A transaction holding the branch lock; events recorded here commit with the change or not at all. */
export class BranchTransaction {
  readonly pending: { type: LiveEventType; data: LiveEvent['data'] }[] = [];
  /** Writes sent with the COMMIT, in order (see `write`). */
  readonly writes: Statement[] = [];

  constructor(
    readonly em: EntityManager,
    readonly branchId: string,
    readonly now: Date,
    /** The rows of the LockedRead the transaction was started with, if any. */
    readonly lockedRows: Record<string, unknown>[] | null = null,
    /** The rows of the `alsoRead` statement, if any. */
    readonly alsoRows: Record<string, unknown>[] | null = null,
  ) {}

  record<T extends LiveEventType>(type: T, data: LiveEventDataMap[T]): void {
    this.pending.push({ type, data });
  }

  /**
   * A write whose result nothing needs: it is sent in the commit's round trip, after everything sent through `em`
   * (so nothing in the transaction may read back what it writes). Its failure fails the commit.
   */
  write(sql: string, params: unknown[]): void {
    this.writes.push({ sql, params });
  }
}

/** Tells TypeORM that the query runner is in a transaction it did not open itself (so `save` does not open one). */
function markTransaction(qr: QueryRunner, active: boolean): void {
  (qr as { isTransactionActive: boolean }).isTransactionActive = active;
  (qr as unknown as { transactionDepth: number }).transactionDepth = active ? 1 : 0;
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
    const tx = new BranchTransaction(qr.manager, branchId, read[0].now as Date, options.read ? read : null, options.alsoRead ? alsoRows : null);
    const value = await fn(tx);
    if (beforeCommit) await beforeCommit(tx, value);
    const append = tx.pending.length ? [store.appendStatement(branchId, lastSeq, actor, tx.pending, options.publishesItself ?? false)] : [];
    const tail = await runBatch(client, [...tx.writes, ...append, 'COMMIT']);
    open = false;
    markTransaction(qr, false);
    const events = append.length ? EventStoreRepository.appended(tail[tx.writes.length]) : [];
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
