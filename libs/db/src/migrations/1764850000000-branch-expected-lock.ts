import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The branch lock of a change made on the API's kept copy of the queue without reading first (runBranchTransaction,
 * docs/architecture.md "One round trip"): it takes the branch's lock as the lock statement does and raises FD001,
 * so that nothing after it in the message runs, unless the branch is still what the copy was made from: the same
 * last event seq, the same queue stamp, and `at` still on the copy's local day in the branch's time zone.
 */
export class BranchExpectedLock1764850000000 implements MigrationInterface {
  name = 'BranchExpectedLock1764850000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION fdl_lock_expected(branch uuid, seq bigint, stamp xid8, day text, at timestamptz) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE
        s record;
      BEGIN
        SELECT e.last_seq, e.queue_tx INTO s FROM branch_event_seq e WHERE e.branch_id = branch FOR UPDATE;
        IF NOT FOUND OR s.last_seq <> seq OR s.queue_tx IS DISTINCT FROM stamp
           OR NOT EXISTS (SELECT 1 FROM branches b WHERE b.id = branch AND to_char((at AT TIME ZONE b.time_zone)::date, 'YYYY-MM-DD') = day) THEN
          RAISE EXCEPTION 'branch % changed since this process last saw it', branch USING ERRCODE = 'FD001';
        END IF;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION IF EXISTS fdl_lock_expected(uuid, bigint, xid8, text, timestamptz)`);
  }
}
