import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { HotlineRepository } from '@frontdesk/db';
import { BranchTransactions } from '../live/branch-tx.service';
import { HotlineMonitor } from './hotline-monitor.service';

/**
 * Waits grow with no event arriving: every few seconds, branches with a waiting call (or an open hotline
 * alert) get their alerts reconciled. Every API instance runs it; the branch lock and the dedupe keys keep
 * one alert per situation.
 */
@Injectable()
export class HotlineWatch implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('HotlineWatch');
  private timer: NodeJS.Timeout | null = null;
  private running = false;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repo: HotlineRepository,
    private readonly monitor: HotlineMonitor,
    private readonly txs: BranchTransactions,
  ) {}

  onApplicationBootstrap(): void {
    // How often time-based hotline alerts are checked (HOTLINE_WATCH_MS, default 2 s).
    const every = Number(process.env.HOTLINE_WATCH_MS) || 2000;
    this.timer = setInterval(() => void this.tick(), every);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (const branchId of await this.repo.branchesWithWaitingCalls(this.ds.manager)) {
        const branch = await this.repo.branch(this.ds.manager, branchId);
        if (!branch) continue;
        await this.txs.run(branchId, 'hotline:watch', async (tx) => {
          const picture = await this.monitor.load(tx, branch);
          const before = tx.pending.length;
          await this.monitor.reconcileAlerts(tx, branch, picture);
          // An alert came or went: the numbers (oldest wait) go with it.
          if (tx.pending.length > before) await this.monitor.recordMetrics(tx, branch, picture);
        });
      }
    } catch (err) {
      this.logger.warn(`hotline watch: ${(err as Error).message}`);
    } finally {
      this.running = false;
    }
  }
}
