import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When the relay last handed a pending notice to BullMQ (issue 8). The relay used to re-add every due pending notice
 * on every pass, up to 500 a second of no-op adds during a backlog; it now skips notices handed over recently and
 * re-adds them only when they become due or after NOTIFY_REQUEUE_MS (in case Redis lost them).
 */
export class NotificationQueuedAt1764800000000 implements MigrationInterface {
  name = 'NotificationQueuedAt1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notifications ADD COLUMN queued_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notifications DROP COLUMN IF EXISTS queued_at`);
  }
}
