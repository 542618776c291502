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
}

export type JobName = keyof JobDataMap;
export type JobOf<N extends JobName> = { name: N; data: JobDataMap[N] };
export type AnyJob = { [N in JobName]: JobOf<N> }[JobName];

export const JOB_QUEUES = { housekeeping: 'housekeeping', notify: 'notify' } as const;
export type JobQueue = (typeof JOB_QUEUES)[keyof typeof JOB_QUEUES];

/** Which queue each job runs on. */
export const JOB_QUEUE_OF: Record<JobName, JobQueue> = {
  'lobby.close-day': 'housekeeping',
  'maintenance.purge-idempotency-keys': 'housekeeping',
  'notify.send': 'notify',
};

/** What a handler reports; `skipped` is a success with nothing to do; a `final` failure is not retried. */
export type JobOutcome = { status: 'success'; detail?: string } | { status: 'skipped'; detail: string } | { status: 'failed'; detail: string; final?: boolean };
