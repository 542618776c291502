import { Injectable } from '@nestjs/common';
import { clearAlert, HotlineRepository, raiseAlert, type BranchHotline, type BranchTransaction, type StoredCall } from '@frontdesk/db';
import { HOTLINE_ALERT_PREFIX, localDay, wantedHotlineAlerts, type AgentStateRecord } from '@frontdesk/domain';
import type { HotlineMetrics } from '@frontdesk/contracts';
import { metricsDto, queuesOf } from './hotline-metrics';

export interface HotlinePicture {
  calls: StoredCall[];
  agents: AgentStateRecord[];
}

/**
 * What follows every hotline change inside the branch transaction: the numbers pushed as `hotline.metrics`,
 * and the alerts raised or cleared to match the situation (also run on a timer, as waits grow with no event).
 */
@Injectable()
export class HotlineMonitor {
  constructor(private readonly repo: HotlineRepository) {}

  async load(tx: BranchTransaction, branch: BranchHotline): Promise<HotlinePicture> {
    const since = new Date(tx.now.getTime() - branch.settings.serviceLevelWindowMinutes * 60_000);
    const [calls, agents] = await Promise.all([
      this.repo.recentCalls(tx.em, branch.id, localDay(tx.now, branch.timeZone), since),
      this.repo.agents(tx.em, branch.id),
    ]);
    return { calls, agents };
  }

  /** Records `hotline.metrics` (branch and every queue); its seq is the one this event will get. */
  async recordMetrics(tx: BranchTransaction, branch: BranchHotline, picture: HotlinePicture): Promise<HotlineMetrics> {
    // The branch row is locked by this transaction: last_seq is what the pending events are appended after.
    const [row]: { last_seq: string }[] = await tx.em.query(`SELECT last_seq FROM branch_event_seq WHERE branch_id = $1`, [branch.id]);
    const seq = Number(row?.last_seq ?? 0) + tx.pending.length + 1;
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
