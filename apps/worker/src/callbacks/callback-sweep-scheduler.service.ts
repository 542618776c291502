import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { JOB_QUEUES } from '@frontdesk/contracts';
import { WORKER_CONFIG, type WorkerConfig } from '../config';

const SWEEP_OPTS = { removeOnComplete: 100, removeOnFail: 500 };

/** Schedules the callback sweep every `CALLBACK_SWEEP_EVERY_MS`, and once at start-up (a worker back after an outage). */
@Injectable()
export class CallbackSweepScheduler implements OnApplicationBootstrap {
  constructor(
    @InjectQueue(JOB_QUEUES.callbacks) private readonly queue: Queue,
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler('callback.sweep', { every: this.config.CALLBACK_SWEEP_EVERY_MS }, { name: 'callback.sweep', data: {}, opts: SWEEP_OPTS });
    // No job id: every worker that starts sweeps once (a sweep is idempotent, and a restarted worker must not find
    // the previous start's id and skip the catch-up).
    await this.queue.add('callback.sweep', {}, SWEEP_OPTS);
  }
}
