import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Job } from 'bullmq';
import { JOB_QUEUES, type AnyJob } from '@frontdesk/contracts';
import type { JobRegistry } from '../jobs/job-registry';
import { WORKER_CONFIG, type WorkerConfig } from '../config';
import { JOB_REGISTRY } from '../worker.tokens';

/**
 * Runs the callbacks queue (due jobs and the sweep) apart from housekeeping, so a long close-day run never delays a
 * callback past its due time. A `failed` outcome throws so BullMQ retries with the job's backoff.
 * WORKER_CONCURRENCY jobs at once; due callbacks of one branch among them commit together (CallbackDueJob).
 */
@Processor(JOB_QUEUES.callbacks, { concurrency: 4 })
export class CallbacksProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(CallbacksProcessor.name);

  constructor(
    @Inject(JOB_REGISTRY) private readonly registry: JobRegistry,
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.WORKER_CONCURRENCY;
  }

  async process(job: Job<AnyJob['data'], unknown, AnyJob['name']>): Promise<unknown> {
    const outcome = await this.registry.run({ name: job.name, data: job.data } as AnyJob);
    if (outcome.status === 'failed') throw new Error(outcome.detail);
    if (outcome.status === 'success') this.logger.log(`${job.name}: ${outcome.detail ?? 'done'}`);
    return outcome;
  }
}
