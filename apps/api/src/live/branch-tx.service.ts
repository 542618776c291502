import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { BranchLines, EventStoreRepository, type BranchChange, type BranchTransaction, type LockedRead } from '@frontdesk/db';
import { IdempotentReplay, type StoredResponse } from '../common/idempotency.interceptor';
import { idempotencyStorage } from '../common/request-context';
import { branchBatchSize } from '../health/metrics';
import { EventPublisher } from './event-publisher.service';

export type { BranchTransaction } from '@frontdesk/db';

/**
 * Branch transactions of the API: the shared runner, plus the Idempotency-Key result and the fast publish.
 *
 * Changes made with a read (a LockedRead: every counter and ticket route, the kiosk's ticket; or NOW_READ: scheduling
 * a callback) line up per branch and commit together when the branch is busy (BranchLines, group commit): their code
 * must do nothing but through the transaction, as a failed batch runs it again. Others (repairs, hotline, alerts,
 * callback outcomes) run alone.
 */
@Injectable()
export class BranchTransactions {
  private readonly lines: BranchLines;

  constructor(
    @InjectDataSource() ds: DataSource,
    store: EventStoreRepository,
    publisher: EventPublisher,
  ) {
    this.lines = new BranchLines(ds, store, {
      publishesItself: true,
      committed: (events, changes) => {
        branchBatchSize.observe(changes);
        publisher.publish(events);
      },
    });
  }

  /**
   * The result is stored under the request's Idempotency-Key in the same transaction, so a retry never applies twice.
   * `read`: see LockedRead (made in the lock's round trip; its rows are `tx.lockedRows`); given, the change is lined up.
   */
  async run<T>(branchId: string, actor: string, fn: (tx: BranchTransaction) => Promise<T>, read?: LockedRead): Promise<T> {
    const { change, committed } = this.change(actor, fn);
    if (!read) return (await this.lines.alone(branchId, change, read, committed)) as T;
    return (await this.lines.run(branchId, change, read, committed)) as T;
  }

  /** `fn` with the request's Idempotency-Key lookup (in the lock's round trip) and its stored result (with the commit). */
  private change<T>(actor: string, fn: (tx: BranchTransaction) => Promise<T>): { change: BranchChange; committed: () => void } {
    const idem = idempotencyStorage.getStore();
    // A route marked IdempotencyLookupInTransaction looks up the key's stored result here, in the lock's round trip.
    const lookup = idem?.lookupInTransaction && !idem.stored;
    if (lookup) idem.lookupInTransaction = false;
    const body = lookup
      ? async (tx: BranchTransaction) => {
          const previous = tx.alsoRows?.[0] as StoredResponse | undefined;
          if (previous) throw new IdempotentReplay(previous);
          return fn(tx);
        }
      : fn;
    const alsoRead = lookup ? { sql: `SELECT request_hash, response FROM idempotency_keys WHERE key = $1`, params: [idem.key], name: 'fdl_idempotency_key' } : undefined;
    const beforeCommit = (tx: BranchTransaction, value: unknown) => {
      if (!idem || idem.stored) return;
      // Sent with the commit; a duplicate key fails the commit and the interceptor answers like the first request.
      tx.write(`INSERT INTO idempotency_keys (key, request_hash, response) VALUES ($1, $2, $3::jsonb)`, [
        idem.key,
        idem.requestHash,
        JSON.stringify({ body: value ?? null }),
      ]);
    };
    return {
      change: { actor, fn: body, beforeCommit, alsoRead },
      committed: () => {
        if (idem) idem.stored = true;
      },
    };
  }
}
