import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who viewed or changed a customer record, for the admins (issue 7). Append-only. The phone is kept masked: the log
 * proves who looked at whom without becoming one more copy of the numbers. No foreign key to users, so the trail of a
 * user who is later removed stays.
 */
export class CustomerAudit1764600000000 implements MigrationInterface {
  name = 'CustomerAudit1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE customer_audit (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        at timestamptz NOT NULL DEFAULT now(),
        branch_id uuid REFERENCES branches(id) ON DELETE CASCADE,
        actor_id uuid,
        actor_name text NOT NULL,
        actor_role text NOT NULL,
        action text NOT NULL CHECK (action IN ('view','change')),
        customer_id uuid,
        phone_masked text,
        route text NOT NULL
      )`);
    await q.query(`CREATE INDEX customer_audit_branch_at_idx ON customer_audit (branch_id, at DESC)`);
    await q.query(`CREATE INDEX customer_audit_at_idx ON customer_audit (at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS customer_audit`);
  }
}
