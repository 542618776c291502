import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Follow-up callbacks and the kiosk pickup lane: the worker's sweep finds scheduled callbacks by due time across
 * branches, and a pickup (B) ticket issued against a pickup code remembers its repair order.
 */
export class Callbacks1764400000000 implements MigrationInterface {
  name = 'Callbacks1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX callbacks_scheduled_due_idx ON callbacks (due_at) WHERE status = 'scheduled'`);
    // One follow-up per picked-up repair, whatever the retries of the pickup request.
    await q.query(`CREATE UNIQUE INDEX callbacks_follow_up_repair_idx ON callbacks (repair_id) WHERE reason = 'follow_up' AND created_by = 'system:pickup'`);
    await q.query(`ALTER TABLE tickets ADD COLUMN repair_id uuid REFERENCES repairs(id) ON DELETE SET NULL`);
    await q.query(`CREATE INDEX tickets_repair_idx ON tickets (repair_id) WHERE repair_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tickets DROP COLUMN IF EXISTS repair_id`);
    await q.query(`DROP INDEX IF EXISTS callbacks_follow_up_repair_idx`);
    await q.query(`DROP INDEX IF EXISTS callbacks_scheduled_due_idx`);
  }
}
