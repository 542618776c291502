import type { DataSource } from 'typeorm';
import type { LiveEvent } from '@frontdesk/contracts';
import { NOW_READ, runBranchBatch, runBranchTransaction, type BranchChange, type LockedRead } from './branch-transaction';
import type { EventStoreRepository } from './event-store';

/** The most changes one transaction takes from a branch's line (a batch's changes all wait for its commit). */
export const MAX_BATCH = 32;


interface Queued {
  change: BranchChange;
  read: LockedRead;
  /** Called once the change committed (the API marks the request's Idempotency-Key as stored). */
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
 * Group commit per branch, in one process. Changes line up per branch: while one transaction of a branch runs, the
 * changes that arrive wait here (not holding a pooled connection while they would wait for the branch lock), and the
 * next transaction takes all of them at once (runBranchBatch: one lock, one read, one commit), up to MAX_BATCH. Only
 * changes with the same LockedRead go together. A batch in which a change fails is rolled back and made again: the
 * changes before the failing one together, then the failing one alone (so it fails exactly as it would have alone),
 * then the rest; a batch whose commit fails is made again one change at a time.
 * `committed` gets every transaction's events once, with the number of changes it held (1: alone).
 * A change's code must do nothing but through its transaction: a failed batch runs it again.
 */
export class BranchLines {
  private readonly lines = new Map<string, Line>();

  constructor(
    private readonly ds: DataSource,
    private readonly store: EventStoreRepository,
    private readonly options: { publishesItself: boolean; committed: (events: LiveEvent[], changes: number) => void },
  ) {}

  /** Lines the change up behind the branch's running transaction; resolves with its result once committed. */
  run(branchId: string, change: BranchChange, read: LockedRead = NOW_READ, committed: () => void = () => undefined): Promise<unknown> {
    return new Promise((resolve, reject) => {
      let line = this.lines.get(branchId);
      if (!line) this.lines.set(branchId, (line = { waiting: [], running: false }));
      line.waiting.push({ change, read, committed, resolve, reject });
      if (!line.running) void this.drain(branchId, line);
    });
  }

  /** The change in a transaction of its own, at once (not lined up). */
  async alone(branchId: string, change: BranchChange, read?: LockedRead, committed: () => void = () => undefined): Promise<unknown> {
    const { result, events } = await runBranchTransaction(this.ds, this.store, branchId, change.actor, change.fn, change.beforeCommit, {
      publishesItself: this.options.publishesItself,
      read: read === NOW_READ ? undefined : read,
      alsoRead: change.alsoRead,
    });
    committed();
    this.options.committed(events, 1);
    return result;
  }

  private async drain(branchId: string, line: Line): Promise<void> {
    line.running = true;
    try {
      while (line.waiting.length) {
        const key = line.waiting[0].read.sql;
        let n = 1;
        while (n < line.waiting.length && n < MAX_BATCH && line.waiting[n].read.sql === key) n += 1;
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
      await this.alone(branchId, q.change, q.read, q.committed).then(q.resolve, q.reject);
      return;
    }
    const outcome = await runBranchBatch(this.ds, this.store, branchId, batch.map((q) => q.change), {
      publishesItself: this.options.publishesItself,
      read: batch[0].read,
    }).catch((error: unknown) => ({ ok: false as const, failedAt: null, error }));
    if (outcome.ok) {
      for (const q of batch) q.committed();
      this.options.committed(outcome.events, batch.length);
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
}
