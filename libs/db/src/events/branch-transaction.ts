import type { DataSource, EntityManager } from 'typeorm';
import type { LiveEvent, LiveEventDataMap, LiveEventType } from '@frontdesk/contracts';
import type { EventStoreRepository } from './event-store';

/** A transaction holding the branch lock; events recorded here commit with the change or not at all. */
export class BranchTransaction {
  readonly pending: { type: LiveEventType; data: LiveEvent['data'] }[] = [];

  constructor(
    readonly em: EntityManager,
    readonly branchId: string,
    readonly now: Date,
  ) {}

  record<T extends LiveEventType>(type: T, data: LiveEventDataMap[T]): void {
    this.pending.push({ type, data });
  }
}

/**
 * Runs `fn` under the branch's lock: changes of one branch happen one at a time (two counters never take
 * the same ticket) and its events get the next seqs, in the same transaction as the change.
 * `beforeCommit` runs last inside the transaction (the API stores the Idempotency-Key result there).
 * The committed events are returned. With `publishesItself` (the API) they are written as published and the
 * caller pushes them; a screen that misses one (the process died in between) notices through the `sync` beacon
 * and replays it from the log. Without it (the worker) an API instance's outbox sweep pushes them.
 */
export async function runBranchTransaction<T>(
  ds: DataSource,
  store: EventStoreRepository,
  branchId: string,
  actor: string,
  fn: (tx: BranchTransaction) => Promise<T>,
  beforeCommit?: (em: EntityManager, result: T) => Promise<void>,
  options: { publishesItself?: boolean } = {},
): Promise<{ result: T; events: LiveEvent[] }> {
  let events: LiveEvent[] = [];
  // Postgres's default isolation, READ COMMITTED: naming it would cost a SET round trip under the lock.
  const result = await ds.transaction(async (em) => {
    const lastSeq = await store.lockBranch(em, branchId);
    // `now` is read after the lock so that times follow the order in which changes happen.
    const [{ now }]: { now: Date }[] = await em.query(`SELECT clock_timestamp() AS now`);
    const tx = new BranchTransaction(em, branchId, now);
    const value = await fn(tx);
    events = await store.append(em, branchId, lastSeq, actor, tx.pending, options.publishesItself ?? false);
    if (beforeCommit) await beforeCommit(em, value);
    return value;
  });
  return { result, events };
}
