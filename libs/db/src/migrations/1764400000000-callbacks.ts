import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Follow-up callbacks: the worker's sweep finds scheduled callbacks by due time across branches, and a picked-up
 * repair gets one follow-up whatever the retries.
 */
export class Callbacks1764400000000 implements MigrationInterface {
  name = 'Callbacks1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX callbacks_scheduled_due_idx ON callbacks (due_at) WHERE status = 'scheduled'`);
    // One follow-up per picked-up repair, whatever the retries of the pickup request.
    await q.query(`CREATE UNIQUE INDEX callbacks_follow_up_repair_idx ON callbacks (repair_id) WHERE reason = 'follow_up' AND created_by = 'system:pickup'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS callbacks_follow_up_repair_idx`);
    await q.query(`DROP INDEX IF EXISTS callbacks_scheduled_due_idx`);
  }
}
