import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Alerts for managers, raised by any capability; one open alert per dedupe key. */
export class Alerts1764050000000 implements MigrationInterface {
  name = 'Alerts1764050000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE alerts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        branch_id uuid NOT NULL REFERENCES branches(id) ON DELETE CASCADE,
        kind text NOT NULL,
        severity text NOT NULL CHECK (severity IN ('info','warning','critical')),
        message text NOT NULL,
        data jsonb NOT NULL DEFAULT '{}'::jsonb,
        dedupe_key text,
        raised_at timestamptz NOT NULL DEFAULT now(),
        acknowledged_at timestamptz,
        acknowledged_by text,
        cleared_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX alerts_open_dedupe_idx ON alerts (branch_id, dedupe_key) WHERE cleared_at IS NULL AND dedupe_key IS NOT NULL`);
    await q.query(`CREATE INDEX alerts_branch_raised_idx ON alerts (branch_id, raised_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS alerts`);
  }
}
