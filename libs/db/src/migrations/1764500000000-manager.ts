import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The manager view (issue 6): per-branch KPI targets, and the indexes its range queries need so a chart over a
 * year of a busy branch reads only that branch's rows in that range (see tools/bench-manager.mjs).
 */
export class Manager1764500000000 implements MigrationInterface {
  name = 'Manager1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE branches ADD COLUMN kpi_targets jsonb NOT NULL DEFAULT '{}'::jsonb`);
    // Today's tiles read a branch's local day; charts read a range of creation, call and finish instants.
    await q.query(`CREATE INDEX tickets_branch_day_idx ON tickets (branch_id, local_day)`);
    await q.query(`CREATE INDEX tickets_branch_created_idx ON tickets (branch_id, created_at) INCLUDE (first_called_at, status)`);
    await q.query(`CREATE INDEX tickets_branch_done_idx ON tickets (branch_id, finished_at) INCLUDE (counter_id) WHERE status = 'done'`);
    await q.query(`CREATE INDEX repairs_branch_created_idx ON repairs (branch_id, created_at)`);
    await q.query(`CREATE INDEX repairs_branch_ready_idx ON repairs (branch_id, ready_at) WHERE ready_at IS NOT NULL`);
    await q.query(`CREATE INDEX repairs_branch_survey_idx ON repairs (branch_id, survey_at) WHERE survey_at IS NOT NULL`);
    // Day replay reads a branch's events of one local day up to an instant.
    await q.query(`CREATE INDEX events_branch_at_idx ON events (branch_id, at)`);
    await q.query(
      `CREATE INDEX hotline_calls_branch_queued_idx ON hotline_calls (branch_id, (COALESCE(queued_at, first_at))) INCLUDE (queued_at, first_at, answered_at, status)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const i of [
      'hotline_calls_branch_queued_idx',
      'events_branch_at_idx',
      'repairs_branch_survey_idx',
      'repairs_branch_ready_idx',
      'repairs_branch_created_idx',
      'tickets_branch_done_idx',
      'tickets_branch_created_idx',
      'tickets_branch_day_idx',
    ]) {
      await q.query(`DROP INDEX IF EXISTS ${i}`);
    }
    await q.query(`ALTER TABLE branches DROP COLUMN IF EXISTS kpi_targets`);
  }
}
