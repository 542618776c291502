import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * fdl_lock_expected (BranchExpectedLock1764850000000) checks the queue only: the queue stamp and the local day, no
 * longer the branch's last event seq. A change made on the kept queue now takes its events' seqs from the locked row
 * (EventStoreRepository.appendStatement with 'current'), so another process's events in between (the hotline's, the
 * worker's) need not refuse it: with the seq checked, the npm start demo refused 11 of 44 such changes, each paying a
 * wasted round trip, a rollback and a full read of the queue. A new function (one argument fewer) replaces the old.
 */
export class BranchExpectedLockQueueOnly1764860000000 implements MigrationInterface {
  name = 'BranchExpectedLockQueueOnly1764860000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION IF EXISTS fdl_lock_expected(uuid, bigint, xid8, text, timestamptz)`);
    await q.query(`
      CREATE FUNCTION fdl_lock_expected(branch uuid, stamp xid8, day text, at timestamptz) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE
        s record;
      BEGIN
        SELECT e.queue_tx INTO s FROM branch_event_seq e WHERE e.branch_id = branch FOR UPDATE;
        IF NOT FOUND OR s.queue_tx IS DISTINCT FROM stamp
           OR NOT EXISTS (SELECT 1 FROM branches b WHERE b.id = branch AND to_char((at AT TIME ZONE b.time_zone)::date, 'YYYY-MM-DD') = day) THEN
          RAISE EXCEPTION 'the queue of branch % changed since this process last saw it', branch USING ERRCODE = 'FD001';
        END IF;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION IF EXISTS fdl_lock_expected(uuid, xid8, text, timestamptz)`);
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
}
