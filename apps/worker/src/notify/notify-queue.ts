import type { JobsOptions } from 'bullmq';
import type { WorkerConfig } from '../config';

/** Options of every notify.send job: the notification id is the job id, so adding it twice is one job. */
export function sendJobOptions(config: WorkerConfig, notificationId: string, delayMs: number): JobsOptions {
  return {
    jobId: notificationId,
    delay: Math.max(0, delayMs),
    attempts: config.SMS_ATTEMPTS,
    backoff: { type: 'exponential', delay: config.SMS_BACKOFF_MS },
    // The row keeps the outcome; a finished job leaves Redis so the relay may hand the notice over again if needed.
    removeOnComplete: true,
    removeOnFail: true,
  };
}
