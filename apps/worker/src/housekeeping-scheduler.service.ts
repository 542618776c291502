import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { JOB_QUEUES } from '@frontdesk/contracts';
import { WORKER_CONFIG, type WorkerConfig } from './config';

const CLOSE_DAY_OPTS = { removeOnComplete: 100, removeOnFail: 500, attempts: 3, backoff: { type: 'exponential' as const, delay: 5000 } };

/** Schedules the recurring housekeeping jobs; a scheduler id makes each one schedule however many workers start. */
@Injectable()
export class HousekeepingScheduler implements OnApplicationBootstrap {
  constructor(
    @InjectQueue(JOB_QUEUES.housekeeping) private readonly queue: Queue,
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(
      'lobby.close-day',
      { every: this.config.CLOSE_DAY_EVERY_MS },
      { name: 'lobby.close-day', data: {}, opts: CLOSE_DAY_OPTS },
    );
    // Also once at start-up (a worker started after midnight closes the day at once); the job id
    // dedups the start-up runs of several workers started in the same minute.
    await this.queue.add('lobby.close-day', {}, { ...CLOSE_DAY_OPTS, jobId: `lobby.close-day.startup.${Math.floor(Date.now() / 60_000)}` });
    await this.queue.upsertJobScheduler('maintenance.purge-idempotency-keys', { every: 60 * 60_000 }, { name: 'maintenance.purge-idempotency-keys', data: {}, opts: CLOSE_DAY_OPTS });
  }
}
