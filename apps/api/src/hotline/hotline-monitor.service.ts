import { Injectable } from '@nestjs/common';
import { clearAlert, HotlineRepository, raiseAlert, type BranchHotline, type BranchTransaction, type StoredCall } from '@frontdesk/db';
import { HOTLINE_ALERT_PREFIX, localDay, wantedHotlineAlerts, type AgentStateRecord } from '@frontdesk/domain';
import type { HotlineMetrics } from '@frontdesk/contracts';
import { metricsDto, queuesOf } from './hotline-metrics';

export interface HotlinePicture {
  calls: StoredCall[];
  agents: AgentStateRecord[];
  /** The branch's last seq when the transaction took the lock (its events follow it). */
  lastSeq: number;
  localDay: string;
  /** The transaction's start (`now()`, to the microsecond): the `at` of every event it appends. */
  txStart: string;
  byId: Map<string, StoredCall>;
}

interface CachedCalls {
  /** The branch's last seq once the transaction that produced these calls committed. */
  seq: number;
  localDay: string;
  txStart: string;
  calls: Map<string, StoredCall>;
}

/**
 * What follows every hotline change inside the branch transaction: the numbers pushed as `hotline.metrics`,
 * and the alerts raised or cleared to match the situation (also run on a timer, as waits grow with no event).
 *
 * The numbers need every call of the day; reading them all after each ingest was most of its cost, so the
 * process keeps the day's calls per branch and reuses them while no other hotline change (another API
 * instance, the watch) was committed since: checked under the branch lock from the event log. A picture is
 * staged before its transaction commits (the next ingest may take the lock before this one's code runs on);
 * it is used only once the log shows that transaction's last event at the expected seq.
 */
@Injectable()
export class HotlineMonitor {
  private readonly cache = new Map<string, CachedCalls>();
  private readonly staged = new Map<string, CachedCalls>();

  constructor(private readonly repo: HotlineRepository) {}

  /** `changed`: calls this transaction already saved (they replace the cached ones). */
  async load(tx: BranchTransaction, branch: BranchHotline, changed: readonly StoredCall[] = []): Promise<HotlinePicture> {
    const day = localDay(tx.now, branch.timeZone);
    const [row]: { last_seq: string; tx_start: string }[] = await tx.em.query(
      `SELECT last_seq, now()::text AS tx_start FROM branch_event_seq WHERE branch_id = $1`,
      [branch.id],
    );
    const lastSeq = Number(row?.last_seq ?? 0);
    const base = { agents: await this.repo.agents(tx.em, branch.id), lastSeq, localDay: day, txStart: row?.tx_start ?? '' };
    const known = await this.knownCalls(tx, branch.id, day, lastSeq);
    if (known) {
      const byId = new Map(known);
      for (const c of changed) byId.set(c.callId, c);
      return { ...base, calls: [...byId.values()], byId };
    }
    const since = new Date(tx.now.getTime() - branch.settings.serviceLevelWindowMinutes * 60_000);
    const calls = await this.repo.recentCalls(tx.em, branch.id, day, since);
    return { ...base, calls, byId: new Map(calls.map((c) => [c.callId, c])) };
  }

  /** Inside the transaction, once its events are all recorded: `seqAfter` is its last event's seq. */
  stage(branchId: string, picture: HotlinePicture, seqAfter: number): void {
    this.staged.set(branchId, { seq: seqAfter, localDay: picture.localDay, txStart: picture.txStart, calls: picture.byId });
  }

  /** After commit: the staged picture is what the database holds at its seq. */
  remember(branchId: string, seqAfter: number): void {
    const staged = this.staged.get(branchId);
    if (!staged || staged.seq !== seqAfter) return;
    this.staged.delete(branchId);
    const current = this.cache.get(branchId);
    if (!current || current.seq < staged.seq) this.cache.set(branchId, staged);
  }

  /** The day's calls as of `lastSeq`, when this process knows them; null means read them from the database. */
  private async knownCalls(tx: BranchTransaction, branchId: string, day: string, lastSeq: number): Promise<Map<string, StoredCall> | null> {
    const staged = this.staged.get(branchId);
    if (staged && staged.localDay === day && staged.seq === lastSeq) {
      const rows: { at: string }[] = await tx.em.query(`SELECT at::text AS at FROM events WHERE branch_id = $1 AND seq = $2`, [branchId, lastSeq]);
      if (rows[0]?.at === staged.txStart) {
        this.staged.delete(branchId);
        this.cache.set(branchId, staged);
        return staged.calls;
      }
    }
    const cached = this.cache.get(branchId);
    if (!cached || cached.localDay !== day) return null;
    if (cached.seq === lastSeq) return cached.calls;
    const rows: unknown[] = await tx.em.query(`SELECT 1 FROM events WHERE branch_id = $1 AND seq > $2 AND type LIKE 'hotline.%' LIMIT 1`, [branchId, cached.seq]);
    return rows.length > 0 ? null : cached.calls;
  }

  /** Records `hotline.metrics` (branch and every queue); its seq is the one this event will get. */
  async recordMetrics(tx: BranchTransaction, branch: BranchHotline, picture: HotlinePicture): Promise<HotlineMetrics> {
    // The branch row is locked by this transaction: its events are appended after lastSeq.
    const seq = picture.lastSeq + tx.pending.length + 1;
    const base = { seq, now: tx.now, branch, calls: picture.calls, agents: picture.agents };
    const metrics = metricsDto({ ...base, queue: null });
    const queues = queuesOf(picture.calls, picture.agents, tx.now, branch.timeZone).map((queue) => metricsDto({ ...base, queue }));
    tx.record('hotline.metrics', { metrics, queues });
    return metrics;
  }

  async reconcileAlerts(tx: BranchTransaction, branch: BranchHotline, picture: HotlinePicture): Promise<void> {
    const wanted = wantedHotlineAlerts({ calls: picture.calls, agents: picture.agents, now: tx.now, settings: branch.settings });
    const open = new Set(await this.repo.openAlertKeys(tx.em, branch.id, HOTLINE_ALERT_PREFIX));
    for (const w of wanted) {
      if (open.has(w.dedupeKey)) continue;
      await raiseAlert(tx, w);
    }
    const keep = new Set(wanted.map((w) => w.dedupeKey));
    for (const key of open) {
      if (!keep.has(key)) await clearAlert(tx, key);
    }
  }
}
