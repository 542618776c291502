import type { AnyJob, JobDataMap, JobName, JobOutcome } from '@frontdesk/contracts';

/** Where a run stands among BullMQ's tries: the handler marks a notice failed for good on the last one. */
export interface JobRunContext {
  attemptsMade: number;
  attempts: number;
}

export interface JobHandler<N extends JobName = JobName> {
  readonly name: N;
  handle(data: JobDataMap[N], ctx?: JobRunContext): Promise<JobOutcome>;
}

/**
 * One handler per job name, checked when the worker starts: a job with no handler, or with two,
 * stops the worker at once instead of failing jobs at run time.
 */
export class JobRegistry {
  private readonly handlers = new Map<JobName, JobHandler>();

  constructor(handlers: JobHandler[], expected: readonly JobName[]) {
    for (const h of handlers) {
      if (this.handlers.has(h.name)) throw new Error(`job ${h.name} has two handlers`);
      this.handlers.set(h.name, h);
    }
    const missing = expected.filter((n) => !this.handlers.has(n));
    if (missing.length) throw new Error(`no handler for job(s): ${missing.join(', ')}`);
  }

  async run(job: AnyJob, ctx?: JobRunContext): Promise<JobOutcome> {
    const handler = this.handlers.get(job.name);
    if (!handler) return { status: 'failed', detail: `no handler for job ${job.name}` };
    return (handler as JobHandler<typeof job.name>).handle(job.data, ctx);
  }
}
