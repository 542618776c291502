/**
 * Background jobs, typed by name: the API enqueues, the worker processes, both from this one map.
 * Each queue groups jobs with the same urgency so a slow kind cannot hold up another.
 */
export interface JobDataMap {
  /** Closes tickets still open from an earlier local day (the lobby closed; nobody will call them). */
  'lobby.close-day': { branchId?: string };
  /** Deletes stored Idempotency-Key results past their retention (they may hold a pickup code). */
  'maintenance.purge-idempotency-keys': { olderThanHours?: number };
  /** Sends one notice; the job id is the notification id, which is also the provider's idempotency key. */
  'notify.send': { notificationId: string };
  /**
   * A scheduled callback reaches its due time: it turns `due` and `callback.due` is pushed. Delayed until `dueAt`;
   * the job id (`callbackDueJobId`) holds the callback and its due time, so duplicates collapse and a rescheduled
   * callback gets a new job while the stale one finds nothing to do.
   */
  'callback.due': { callbackId: string; branchId: string; dueAt: string };
  /** Catches callbacks whose due job was lost (Redis flushed) and queues the due jobs of the coming hour. */
  'callback.sweep': Record<string, never>;
}

export type JobName = keyof JobDataMap;
export type JobOf<N extends JobName> = { name: N; data: JobDataMap[N] };
export type AnyJob = { [N in JobName]: JobOf<N> }[JobName];

export const JOB_QUEUES = { housekeeping: 'housekeeping', notify: 'notify', callbacks: 'callbacks' } as const;
export type JobQueue = (typeof JOB_QUEUES)[keyof typeof JOB_QUEUES];

/** Which queue each job runs on. */
export const JOB_QUEUE_OF: Record<JobName, JobQueue> = {
  'lobby.close-day': 'housekeeping',
  'maintenance.purge-idempotency-keys': 'housekeeping',
  'notify.send': 'notify',
  'callback.due': 'callbacks',
  'callback.sweep': 'callbacks',
};

/** BullMQ job id of a callback's due job: one per callback and due time (BullMQ ids may not hold a colon). */
export function callbackDueJobId(callbackId: string, dueAt: string | Date): string {
  return `callback-due.${callbackId}.${new Date(dueAt).getTime()}`;
}

/** Options of the due job, beside the job: it must fire, so it retries; kept a while for inspection. */
export const CALLBACK_DUE_JOB_OPTS = { attempts: 5, backoff: { type: 'exponential' as const, delay: 1000 }, removeOnComplete: 1000, removeOnFail: 1000 };

/** What a handler reports; `skipped` is a success with nothing to do; a `final` failure is not retried. */
export type JobOutcome = { status: 'success'; detail?: string } | { status: 'skipped'; detail: string } | { status: 'failed'; detail: string; final?: boolean };
