import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A person's recent entries, looked up before a view is logged: the same view of the same record by the same person
 * within a few minutes is one entry (the hotline console and the callback list re-read after every event).
 */
export class CustomerAuditActor1764820000000 implements MigrationInterface {
  name = 'CustomerAuditActor1764820000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX customer_audit_actor_at_idx ON customer_audit (actor_id, at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS customer_audit_actor_at_idx`);
  }
}
