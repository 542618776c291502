import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { JOB_QUEUES } from '@frontdesk/contracts';
import { NotificationRepository } from '@frontdesk/db';
import { APP_CONFIG, type AppConfig } from '../config/config';

export interface QueueDepth {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
}

/** The worker's BullMQ queues as seen from the API (read only): depth for /api/health, /api/metrics and Bull Board. */
@Injectable()
export class JobQueues implements OnApplicationShutdown {
  readonly queues: Queue[];
  private readonly connection: Redis;
  private readonly notifications = new NotificationRepository();

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @InjectDataSource() private readonly ds: DataSource,
  ) {
    // Its own client: a command fails at once while Redis is away instead of hanging a health check.
    this.connection = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
    this.connection.on('error', () => undefined);
    this.queues = Object.values(JOB_QUEUES).map((name) => new Queue(name, { connection: this.connection, prefix: `${config.REDIS_PREFIX}:bull` }));
  }

  async depths(): Promise<Record<string, QueueDepth>> {
    const out: Record<string, QueueDepth> = {};
    for (const q of this.queues) {
      const c = await q.getJobCounts('wait', 'prioritized', 'active', 'delayed', 'failed');
      out[q.name] = { waiting: (c.wait ?? 0) + (c.prioritized ?? 0), active: c.active ?? 0, delayed: c.delayed ?? 0, failed: c.failed ?? 0 };
    }
    return out;
  }

  /** Notices by state in Postgres (the outbox is the truth; failed ones stay failed there after their jobs are gone). */
  async notices(): Promise<{ pending: number; overdue: number; sent: number; failed: number; cancelled: number }> {
    const counts = await this.notifications.counts(this.ds.manager);
    const [{ n }]: { n: number }[] = await this.ds.query(`SELECT count(*)::int AS n FROM notifications WHERE state = 'pending' AND due_at < now() - interval '1 minute'`);
    return { ...counts, overdue: n };
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.queues.map((q) => q.close().catch(() => undefined)));
    await this.connection.quit().catch(() => this.connection.disconnect());
  }
}
