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
}

interface CachedCalls {
  /** The branch's last seq once the transaction that produced these calls committed. */
  seq: number;
  localDay: string;
  calls: Map<string, StoredCall>;
}

/**
 * What follows every hotline change inside the branch transaction: the numbers pushed as `hotline.metrics`,
 * and the alerts raised or cleared to match the situation (also run on a timer, as waits grow with no event).
 *
 * The numbers need every call of the day; reading them all after each ingest was most of its cost, so the
 * process keeps the day's calls per branch after each commit and reuses them while no other hotline change
 * (another API instance, the watch) was committed since: checked under the branch lock from the event log.
 */
@Injectable()
export class HotlineMonitor {
  private readonly cache = new Map<string, CachedCalls>();

  constructor(private readonly repo: HotlineRepository) {}

  /** `changed`: calls this transaction already saved (they replace the cached ones). */
  async load(tx: BranchTransaction, branch: BranchHotline, changed: readonly StoredCall[] = []): Promise<HotlinePicture> {
    const day = localDay(tx.now, branch.timeZone);
    const [row]: { last_seq: string }[] = await tx.em.query(`SELECT last_seq FROM branch_event_seq WHERE branch_id = $1`, [branch.id]);
    const lastSeq = Number(row?.last_seq ?? 0);
    const agents = await this.repo.agents(tx.em, branch.id);
    const cached = this.cache.get(branch.id);
    if (cached && cached.localDay === day && (cached.seq === lastSeq || !(await this.hotlineChangedSince(tx, branch.id, cached.seq)))) {
      const calls = new Map(cached.calls);
      for (const c of changed) calls.set(c.callId, c);
      return { calls: [...calls.values()], agents, lastSeq, localDay: day };
    }
    const since = new Date(tx.now.getTime() - branch.settings.serviceLevelWindowMinutes * 60_000);
    const calls = await this.repo.recentCalls(tx.em, branch.id, day, since);
    return { calls, agents, lastSeq, localDay: day };
  }

  /** After commit: the picture is now what the database holds at `seqAfter`. */
  remember(branchId: string, picture: HotlinePicture, seqAfter: number): void {
    const current = this.cache.get(branchId);
    if (current && current.seq >= seqAfter) return;
    this.cache.set(branchId, { seq: seqAfter, localDay: picture.localDay, calls: new Map(picture.calls.map((c) => [c.callId, c])) });
  }

  private async hotlineChangedSince(tx: BranchTransaction, branchId: string, seq: number): Promise<boolean> {
    const rows: unknown[] = await tx.em.query(`SELECT 1 FROM events WHERE branch_id = $1 AND seq > $2 AND type LIKE 'hotline.%' LIMIT 1`, [branchId, seq]);
    return rows.length > 0;
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
