import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { CALLBACK_DUE_JOB_OPTS, callbackDueJobId, type JobDataMap, type JobOutcome } from '@frontdesk/contracts';
import { CallbackRepository } from '@frontdesk/db';
import type { JobHandler } from '../jobs/job-registry';
import type { CallbackDueJob } from './callback-due.job';

/** How far ahead the sweep queues due jobs; anything later is queued by a later sweep. */
export const SWEEP_HORIZON_MS = 60 * 60_000;

/**
 * The safety net under the per-callback due jobs: a callback still `scheduled` past its due time (its job was lost
 * with Redis, or the API could not queue it) is made due at once, and every callback due within the next hour gets
 * its due job (the job id dedups against the one already queued).
 */
export class CallbackSweepJob implements JobHandler<'callback.sweep'> {
  readonly name = 'callback.sweep' as const;
  private readonly repo = new CallbackRepository();

  constructor(
    private readonly ds: DataSource,
    private readonly queue: Queue,
    private readonly due: CallbackDueJob,
  ) {}

  async handle(): Promise<JobOutcome> {
    const now = Date.now();
    const soon = await this.repo.scheduledDueBy(this.ds.manager, new Date(now + SWEEP_HORIZON_MS));
    let madeDue = 0;
    let queued = 0;
    for (const c of soon) {
      const data: JobDataMap['callback.due'] = { callbackId: c.id, branchId: c.branchId, dueAt: c.dueAt.toISOString() };
      if (c.dueAt.getTime() <= now) {
        const outcome = await this.due.handle(data);
        if (outcome.status === 'success') madeDue += 1;
      } else {
        await this.queue.add('callback.due', data, { ...CALLBACK_DUE_JOB_OPTS, jobId: callbackDueJobId(c.id, c.dueAt), delay: c.dueAt.getTime() - now });
        queued += 1;
      }
    }
    if (madeDue === 0) return { status: 'skipped', detail: `no missed callbacks; ${queued} due job(s) in the next hour ensured` };
    return { status: 'success', detail: `${madeDue} missed callback(s) made due; ${queued} due job(s) in the next hour ensured` };
  }
}
