import type { DataSource, EntityManager } from 'typeorm';
import { BranchTransaction, EventStoreRepository, NotificationRepository, toNotificationDto, type NotificationRow } from '@frontdesk/db';
import { Batcher } from './batcher';

export interface SentItem {
  id: string;
  branchId: string;
  provider: string;
  providerMessageId: string | null;
  body: string;
  at: Date;
}

/**
 * Writes provider acceptances as `sent`, with their `notification.status` events, several sends to one commit.
 *
 * A branch's events are appended under its branch lock, so each branch takes one commit at a time: one commit per
 * notice capped a branch's sending at one commit's round trips. Here a send that finishes while a commit is under way
 * waits for the next one, which takes everything that arrived meanwhile (Batcher). Per commit, branch by branch in id
 * order: branch lock, then one UPDATE of that branch's rows (the API's order: branch lock, then rows), then one append
 * of their events.
 *
 * `record` settles after the commit: with the row, or null when the notice was already sent (a duplicate run). If
 * the commit fails every send in it is rejected and its job retried; the retry calls the provider with the same
 * idempotency key.
 */
export class SentRecorder {
  private readonly repo = new NotificationRepository();
  private readonly batcher = new Batcher<SentItem, NotificationRow | null>((items) => this.ds.transaction((em) => this.write(em, items)));

  constructor(
    private readonly ds: DataSource,
    private readonly store: EventStoreRepository,
    private readonly actor: string,
  ) {}

  record(item: SentItem): Promise<NotificationRow | null> {
    return this.batcher.add(item);
  }

  private async write(em: EntityManager, items: SentItem[]): Promise<(NotificationRow | null)[]> {
    const byBranch = new Map<string, SentItem[]>();
    for (const i of items) byBranch.set(i.branchId, [...(byBranch.get(i.branchId) ?? []), i]);
    const written = new Map<string, NotificationRow>();
    for (const branchId of [...byBranch.keys()].sort()) {
      const lastSeq = await this.store.lockBranch(em, branchId);
      const rows = await this.repo.markSentMany(em, byBranch.get(branchId)!);
      if (rows.length === 0) continue;
      const now = new Date();
      const tx = new BranchTransaction(em, branchId, now);
      for (const r of rows) {
        tx.record('notification.status', { notification: toNotificationDto(r, now) });
        written.set(r.id, r);
      }
      await this.store.append(em, branchId, lastSeq, this.actor, tx.pending);
    }
    // A notice twice in one batch (two runs of one job) is updated once: the first of them gets the row.
    return items.map((i) => {
      const row = written.get(i.id) ?? null;
      written.delete(i.id);
      return row;
    });
  }
}
