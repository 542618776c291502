import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { JOB_QUEUES, type AnyJob } from '@frontdesk/contracts';
import type { JobRegistry } from './jobs/job-registry';
import { JOB_REGISTRY } from './worker.tokens';

/** Runs the housekeeping queue's jobs; a `failed` outcome throws so BullMQ retries with its backoff. */
@Processor(JOB_QUEUES.housekeeping)
export class HousekeepingProcessor extends WorkerHost {
  private readonly logger = new Logger(HousekeepingProcessor.name);

  constructor(@Inject(JOB_REGISTRY) private readonly registry: JobRegistry) {
    super();
  }

  async process(job: Job<AnyJob['data'], unknown, AnyJob['name']>): Promise<unknown> {
    // BullMQ types name and data separately; the producer put a matching pair (JobOf<Name>) on the queue.
    const outcome = await this.registry.run({ name: job.name, data: job.data } as AnyJob);
    if (outcome.status === 'failed') throw new Error(outcome.detail);
    if (outcome.status === 'success') this.logger.log(`${job.name}: ${outcome.detail ?? 'done'}`);
    return outcome;
  }
}
