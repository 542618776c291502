import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { EventStoreRepository, runBranchTransaction, type BranchTransaction, type LockedRead } from '@frontdesk/db';
import { IdempotentReplay, type StoredResponse } from '../common/idempotency.interceptor';
import { idempotencyStorage } from '../common/request-context';
import { EventPublisher } from './event-publisher.service';

export type { BranchTransaction } from '@frontdesk/db';

/** Branch transactions of the API: the shared runner, plus the Idempotency-Key result and the fast publish. */
@Injectable()
export class BranchTransactions {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly store: EventStoreRepository,
    private readonly publisher: EventPublisher,
  ) {}

  /**
   * The result is stored under the request's Idempotency-Key in the same transaction, so a retry never applies twice.
   * `read`: see LockedRead (made in the lock's round trip; its rows are `tx.lockedRows`).
   */
  async run<T>(branchId: string, actor: string, fn: (tx: BranchTransaction) => Promise<T>, read?: LockedRead): Promise<T> {
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
    const { result, events } = await runBranchTransaction(this.ds, this.store, branchId, actor, body, (tx, value) => {
      if (!idem || idem.stored) return;
      // Sent with the commit; a duplicate key fails the commit and the interceptor answers like the first request.
      tx.write(`INSERT INTO idempotency_keys (key, request_hash, response) VALUES ($1, $2, $3::jsonb)`, [
        idem.key,
        idem.requestHash,
        JSON.stringify({ body: value ?? null }),
      ]);
      idem.stored = true;
    }, { publishesItself: true, read, alsoRead });
    this.publisher.publish(events);
    return result;
  }
}
