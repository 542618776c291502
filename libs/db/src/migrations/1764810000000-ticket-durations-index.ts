import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The latest service durations of each service, read with the queue in every lobby change under the branch lock.
 * tickets_finished_idx has the right order but not `serving_at`, so the planner preferred tickets_branch_done_idx
 * and filtered the branch's whole history of done tickets for each service that is seldom used (measured: 3,750
 * rows filtered per service, most of the read's time, with 5,000 done tickets). This index answers the read alone.
 */
export class TicketDurationsIndex1764810000000 implements MigrationInterface {
  name = 'TicketDurationsIndex1764810000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX tickets_service_durations_idx ON tickets (branch_id, service_id, finished_at DESC) INCLUDE (serving_at) WHERE status = 'done' AND serving_at IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS tickets_service_durations_idx`);
  }
}
