import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { LiveEvent, LiveEventDataMap, LiveEventType } from '@frontdesk/contracts';
import { idempotencyStorage } from '../common/request-context';
import { EventPublisher } from './event-publisher.service';
import { EventStoreRepository } from './event-store.repository';

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

@Injectable()
export class BranchTransactions {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly store: EventStoreRepository,
    private readonly publisher: EventPublisher,
  ) {}

  /**
   * Runs `fn` under the branch lock. Its events get the next seqs of the branch, and the result is stored
   * under the request's Idempotency-Key, all in the same transaction, so a retry can never apply twice.
   */
  async run<T>(branchId: string, actor: string, fn: (tx: BranchTransaction) => Promise<T>): Promise<T> {
    let committed: LiveEvent[] = [];
    const result = await this.ds.transaction('READ COMMITTED', async (em) => {
      const lastSeq = await this.store.lockBranch(em, branchId);
      // `now` is read after the lock so that times follow the order in which changes happen.
      const [{ now }]: { now: Date }[] = await em.query(`SELECT clock_timestamp() AS now`);
      const tx = new BranchTransaction(em, branchId, now);
      const value = await fn(tx);
      committed = await this.store.append(em, branchId, lastSeq, actor, tx.pending);
      const idem = idempotencyStorage.getStore();
      if (idem && !idem.stored) {
        await em.query(`INSERT INTO idempotency_keys (key, request_hash, response) VALUES ($1, $2, $3::jsonb)`, [
          idem.key,
          idem.requestHash,
          JSON.stringify({ body: value ?? null }),
        ]);
        idem.stored = true;
      }
      return value;
    });
    this.publisher.publish(committed);
    return result;
  }
}
