import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The kiosk fast lane (issue 4): a pickup ticket taken with the order number and pickup code is linked to its repair,
 * so the counter that calls it opens that order at once. The index serves "does this order already have a ticket
 * waiting?" on every scan.
 */
export class TicketRepair1764700000000 implements MigrationInterface {
  name = 'TicketRepair1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tickets ADD COLUMN repair_id uuid NULL REFERENCES repairs(id)`);
    await q.query(`CREATE INDEX tickets_repair_idx ON tickets (repair_id) WHERE repair_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS tickets_repair_idx`);
    await q.query(`ALTER TABLE tickets DROP COLUMN IF EXISTS repair_id`);
  }
}
