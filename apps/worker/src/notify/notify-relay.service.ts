import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { JOB_QUEUES } from '@frontdesk/contracts';
import { NotificationRepository } from '@frontdesk/db';
import { WORKER_CONFIG, type WorkerConfig } from '../config';
import { WORKER_REDIS } from '../worker.tokens';
import { sendJobOptions } from './notify-queue';

/** Notices per addBulk. */
const RELAY_BATCH = 500;

/**
 * The outbox relay: every NOTIFY_RELAY_MS, pending notices due within the look-ahead are added to the notify queue
 * with their id as job id and a delay to their due time, and stamped `queued_at`. A notice in the queue is not added
 * again on the next pass (during a backlog that was up to 500 no-op adds a second); it is looked at again when it
 * becomes due and after NOTIFY_REQUEUE_MS, and added again if its job is gone from Redis (Redis lost its data, the
 * job failed past its stall limit, or it ran early and was skipped). Adding a job that is already there does
 * nothing, so every worker may relay.
 */
@Injectable()
export class NotifyRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(NotifyRelay.name);
  private readonly repo = new NotificationRepository();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @InjectQueue(JOB_QUEUES.notify) private readonly queue: Queue,
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
    @Inject(WORKER_REDIS) private readonly redis: Redis,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), this.config.NOTIFY_RELAY_MS);
    void this.tick();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => 0);
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = this.relay();
    try {
      await this.running;
    } catch (err) {
      // Redis or Postgres away: the rows stay pending and the next pass tries again.
      this.logger.warn(`notify relay: ${String((err as Error).message ?? err)}`);
    } finally {
      this.running = null;
    }
  }

  /**
   * One pass; returns how many notices it looked at. A full batch is followed at once by the next, so a backlog
   * reaches the queue at the speed of Redis rather than 500 per tick.
   */
  async relay(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.relayBatch();
      total += n;
      if (n < RELAY_BATCH) return total;
    }
  }

  private async relayBatch(): Promise<number> {
    const now = Date.now();
    const rows = await this.repo.toRelay(this.ds.manager, {
      now: new Date(now),
      horizon: new Date(now + this.config.NOTIFY_LOOKAHEAD_MS),
      staleBefore: new Date(now - this.config.NOTIFY_REQUEUE_MS),
      limit: RELAY_BATCH,
    });
    if (rows.length === 0) return 0;
    // Notices handed over before: only those whose job is gone from Redis are added again (one pipelined EXISTS
    // instead of an add each), so a long backlog is not re-added every NOTIFY_REQUEUE_MS.
    const seen = rows.filter((r) => r.queued_at !== null);
    const inQueue = new Set<string>();
    if (seen.length > 0) {
      const pipeline = this.redis.pipeline();
      for (const r of seen) pipeline.exists(this.queue.toKey(r.id));
      const exists = (await pipeline.exec()) ?? [];
      seen.forEach((r, i) => {
        if (exists[i]?.[1] === 1) inQueue.add(r.id);
      });
    }
    const add = rows.filter((r) => !inQueue.has(r.id));
    if (add.length > 0) {
      await this.queue.addBulk(
        add.map((r) => ({ name: 'notify.send', data: { notificationId: r.id }, opts: sendJobOptions(this.config, r.id, r.due_at.getTime() - now) })),
      );
    }
    // Stamped after the add: a failed add leaves them unstamped for the next pass.
    await this.repo.markQueued(this.ds.manager, rows.map((r) => r.id), new Date(now));
    return rows.length;
  }
}
