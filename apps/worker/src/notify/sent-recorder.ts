import type { DataSource, EntityManager } from 'typeorm';
import { BranchTransaction, EventStoreRepository, NotificationRepository, toNotificationDto, type NotificationRow } from '@frontdesk/db';

export interface SentItem {
  id: string;
  branchId: string;
  provider: string;
  providerMessageId: string | null;
  body: string;
  at: Date;
}

interface Waiting extends SentItem {
  resolve: (row: NotificationRow | null) => void;
  reject: (err: unknown) => void;
}

/** At most this many notices per commit. */
const MAX_BATCH = 500;

/**
 * Writes provider acceptances as `sent`, with their `notification.status` events, several sends to one commit.
 *
 * A branch's events are appended under its branch lock, so each branch takes one commit at a time: one commit per
 * notice capped a branch's sending at one commit's round trips. Here a send that finishes while a commit is under way
 * waits for the next one, which takes everything that arrived meanwhile (no timer: with no load a notice is written at
 * once). Per commit, branch by branch in id order: branch lock, then one UPDATE of that branch's rows (the API's
 * order: branch lock, then rows), then one append of their events.
 *
 * `record` settles after the commit: with the row, or null when the notice was already sent (a duplicate run). If
 * the commit fails every send in it is rejected and its job retried; the retry calls the provider with the same
 * idempotency key.
 */
export class SentRecorder {
  private readonly repo = new NotificationRepository();
  private waiting: Waiting[] = [];
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly ds: DataSource,
    private readonly store: EventStoreRepository,
    private readonly actor: string,
  ) {}

  record(item: SentItem): Promise<NotificationRow | null> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ ...item, resolve, reject });
      this.flushing ??= this.drain().finally(() => (this.flushing = null));
    });
  }

  private async drain(): Promise<void> {
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, MAX_BATCH);
      try {
        const rows = await this.ds.transaction((em) => this.write(em, batch));
        // A notice twice in one batch (two runs of one job) is updated once: the first of them gets the row.
        for (const w of batch) {
          const row = rows.get(w.id) ?? null;
          rows.delete(w.id);
          w.resolve(row);
        }
      } catch (err) {
        for (const w of batch) w.reject(err);
      }
    }
  }

  private async write(em: EntityManager, batch: Waiting[]): Promise<Map<string, NotificationRow>> {
    const byBranch = new Map<string, Waiting[]>();
    for (const w of batch) byBranch.set(w.branchId, [...(byBranch.get(w.branchId) ?? []), w]);
    const out = new Map<string, NotificationRow>();
    for (const branchId of [...byBranch.keys()].sort()) {
      const lastSeq = await this.store.lockBranch(em, branchId);
      const rows = await this.repo.markSentMany(em, byBranch.get(branchId)!);
      if (rows.length === 0) continue;
      const now = new Date();
      const tx = new BranchTransaction(em, branchId, now);
      for (const r of rows) {
        tx.record('notification.status', { notification: toNotificationDto(r, now) });
        out.set(r.id, r);
      }
      await this.store.append(em, branchId, lastSeq, this.actor, tx.pending);
    }
    return out;
  }
}
