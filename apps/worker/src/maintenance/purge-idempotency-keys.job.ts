import type { DataSource } from 'typeorm';
import type { JobOutcome } from '@frontdesk/contracts';
import type { JobHandler } from '../jobs/job-registry';

/** How long a retried request is answered from the store: far longer than any client retries. */
export const IDEMPOTENCY_RETENTION_HOURS = 24;

/**
 * Deletes stored Idempotency-Key results older than the retention. Besides keeping the table small,
 * this bounds how long a repair's pickup code (returned once, at intake, and so kept for retries of
 * that request) stays readable anywhere but on the customer's slip.
 */
export class PurgeIdempotencyKeysJob implements JobHandler<'maintenance.purge-idempotency-keys'> {
  readonly name = 'maintenance.purge-idempotency-keys' as const;

  constructor(private readonly ds: DataSource) {}

  async handle(data: { olderThanHours?: number }): Promise<JobOutcome> {
    const hours = data.olderThanHours ?? IDEMPOTENCY_RETENTION_HOURS;
    const [, deleted]: [unknown, number] = await this.ds.query(`DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(hours => $1)`, [hours]);
    return deleted ? { status: 'success', detail: `deleted ${deleted} stored result(s) older than ${hours} h` } : { status: 'skipped', detail: 'nothing to purge' };
  }
}
