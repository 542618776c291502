import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { JOB_QUEUES, type AnyJob } from '@frontdesk/contracts';
import { WORKER_CONFIG, type WorkerConfig } from '../config';
import type { JobRegistry } from '../jobs/job-registry';
import { JOB_REGISTRY } from '../worker.tokens';

/**
 * Runs the notify queue. Built by hand rather than with @Processor so that the concurrency and the stall timing come
 * from configuration. The provider's rate limit is not the queue's limiter (which would count cancelled notices too)
 * but SmsRateGate, taken by the send right before the provider call, global across all workers.
 */
@Injectable()
export class NotifyWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(NotifyWorker.name);
  private worker: Worker | null = null;
  private connection: Redis | null = null;

  constructor(
    @Inject(JOB_REGISTRY) private readonly registry: JobRegistry,
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
  ) {}

  onApplicationBootstrap(): void {
    const c = this.config;
    this.connection = new Redis(c.REDIS_URL, { maxRetriesPerRequest: null, enableReadyCheck: false });
    this.worker = new Worker(JOB_QUEUES.notify, (job: Job) => this.process(job), {
      connection: this.connection,
      prefix: `${c.REDIS_PREFIX}:bull`,
      concurrency: c.SMS_CONCURRENCY,
      lockDuration: c.NOTIFY_LOCK_MS,
      stalledInterval: c.NOTIFY_LOCK_MS,
      maxStalledCount: 5,
    });
    this.worker.on('error', (err) => this.logger.warn(`notify worker: ${err.message}`));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
    // A connection handed to BullMQ stays open after the worker closes.
    await this.connection?.quit().catch(() => this.connection?.disconnect());
  }

  private async process(job: Job): Promise<unknown> {
    const outcome = await this.registry.run({ name: job.name, data: job.data as unknown } as AnyJob, { attemptsMade: job.attemptsMade, attempts: job.opts.attempts ?? 1 });
    if (outcome.status === 'failed') throw outcome.final ? new UnrecoverableError(outcome.detail) : new Error(outcome.detail);
    // Debug, not info: hundreds of sends a second would write hundreds of info lines a second.
    if (outcome.status === 'success') this.logger.debug(outcome.detail ?? `${job.name} done`);
    return outcome;
  }
}
