import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { EventStoreRepository, runBranchBatch, runBranchTransaction, type BranchChange, type BranchTransaction, type LockedRead } from '@frontdesk/db';
import { IdempotentReplay, type StoredResponse } from '../common/idempotency.interceptor';
import { idempotencyStorage } from '../common/request-context';
import { EventPublisher } from './event-publisher.service';
import { branchBatchSize } from '../health/metrics';

export type { BranchTransaction } from '@frontdesk/db';

/** The most changes one transaction takes from a branch's line (a batch's changes all wait for its commit). */
export const MAX_BATCH = 32;

interface Queued {
  change: BranchChange;
  read: LockedRead;
  /** Marks the request's Idempotency-Key as stored, once the change committed. */
  committed: () => void;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/** A branch's changes waiting in this process for the one running before them. */
interface Line {
  waiting: Queued[];
  running: boolean;
}

/**
 * Branch transactions of the API: the shared runner, plus the Idempotency-Key result and the fast publish.
 *
 * Changes that work on the queue (those made with a LockedRead) line up per branch in this process: while one
 * transaction of a branch runs, the changes that arrive wait here, not holding a pooled connection while they wait
 * for the branch lock, and the next transaction takes all of them at once (runBranchBatch: one lock, one read, one
 * commit). A batch in which a change fails is rolled back and its changes made again: those before the failing
 * one together, then the failing one alone (so it fails exactly as it would have alone), then the rest.
 */
@Injectable()
export class BranchTransactions {
  private readonly lines = new Map<string, Line>();

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
    const { change, committed } = this.change(actor, fn);
    if (!read?.name) return (await this.alone(branchId, change, committed, read)) as T;
    return new Promise<T>((resolve, reject) => {
      let line = this.lines.get(branchId);
      if (!line) this.lines.set(branchId, (line = { waiting: [], running: false }));
      line.waiting.push({ change, read, committed, resolve: resolve as (v: unknown) => void, reject });
      if (!line.running) void this.drain(branchId, line);
    });
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

  private async alone(branchId: string, change: BranchChange, committed: () => void, read?: LockedRead): Promise<unknown> {
    const { result, events } = await runBranchTransaction(this.ds, this.store, branchId, change.actor, change.fn, change.beforeCommit, {
      publishesItself: true,
      read,
      alsoRead: change.alsoRead,
    });
    committed();
    this.counted(1);
    this.publisher.publish(events);
    return result;
  }

  private async drain(branchId: string, line: Line): Promise<void> {
    line.running = true;
    try {
      while (line.waiting.length) {
        const next = line.waiting[0].read.name;
        let n = 1;
        while (n < line.waiting.length && n < MAX_BATCH && line.waiting[n].read.name === next) n += 1;
        await this.runQueued(branchId, line, line.waiting.splice(0, n));
      }
    } finally {
      line.running = false;
      if (!line.waiting.length) this.lines.delete(branchId);
      else void this.drain(branchId, line);
    }
  }

  private async runQueued(branchId: string, line: Line, batch: Queued[]): Promise<void> {
    if (batch.length === 1) {
      const [q] = batch;
      await this.alone(branchId, q.change, q.committed, q.read).then(q.resolve, q.reject);
      return;
    }
    const outcome = await runBranchBatch(this.ds, this.store, branchId, batch.map((q) => q.change), { publishesItself: true, read: batch[0].read }).catch(
      (error: unknown) => ({ ok: false as const, failedAt: null, error }),
    );
    if (outcome.ok) {
      for (const q of batch) q.committed();
      this.counted(batch.length);
      this.publisher.publish(outcome.events);
      batch.forEach((q, i) => q.resolve(outcome.results[i]));
      return;
    }
    if (outcome.failedAt === null) {
      // The transaction failed (a duplicate Idempotency-Key, a lost connection): each change alone says why.
      for (const q of batch) await this.runQueued(branchId, line, [q]);
      return;
    }
    // The changes after the failing one go back to the front of the line; those before it are made again together.
    line.waiting.unshift(...batch.slice(outcome.failedAt + 1));
    if (outcome.failedAt > 0) await this.runQueued(branchId, line, batch.slice(0, outcome.failedAt));
    await this.runQueued(branchId, line, [batch[outcome.failedAt]]);
  }

  private counted(size: number): void {
    branchBatchSize.observe(size);
  }
}
