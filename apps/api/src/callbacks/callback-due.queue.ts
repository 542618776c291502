import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { CALLBACK_DUE_JOB_OPTS, callbackDueJobId, JOB_QUEUES, type CallbackDto, type JobDataMap } from '@frontdesk/contracts';
import { APP_CONFIG, type AppConfig } from '../config/config';

/**
 * Puts a scheduled callback's due job on the worker's queue, delayed until its due time, after the callback is
 * committed. Best effort: if Redis is unreachable the worker's sweep queues the job (or marks the callback due) on
 * its next round, so a failure here is logged, never the caller's error.
 */
@Injectable()
export class CallbackDueQueue implements OnApplicationShutdown {
  private readonly logger = new Logger(CallbackDueQueue.name);
  private readonly connection: Redis;
  private readonly queue: Queue;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.connection = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1, retryStrategy: (n) => Math.min(n * 200, 2000) });
    this.connection.on('error', (e: Error) => this.logger.warn(e.message));
    this.queue = new Queue(JOB_QUEUES.callbacks, { connection: this.connection, prefix: `${config.REDIS_PREFIX}:bull` });
  }

  /** Queues the due job of each callback that is still waiting for its time; others need none. */
  async schedule(callbacks: readonly CallbackDto[]): Promise<void> {
    for (const c of callbacks) {
      if (c.status !== 'scheduled') continue;
      const data: JobDataMap['callback.due'] = { callbackId: c.id, branchId: c.branchId, dueAt: c.dueAt };
      const delay = Math.max(0, new Date(c.dueAt).getTime() - Date.now());
      try {
        await this.queue.add('callback.due', data, { ...CALLBACK_DUE_JOB_OPTS, jobId: callbackDueJobId(c.id, c.dueAt), delay });
      } catch (e) {
        this.logger.warn(`callback ${c.id}: due job not queued (${(e as Error).message}); the worker's sweep will catch it`);
      }
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close().catch(() => undefined);
    await this.connection.quit().catch(() => this.connection.disconnect());
  }
}
