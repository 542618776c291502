import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the API's kept copy of a branch's queue is checked against (BranchQueue, docs/architecture.md): every write to
 * a table the queue read reads (branches, services, counters, tickets, ticket_day_sequences) stamps the branch's
 * event seq row with the writing transaction's id. A change under the branch lock holds that row (FOR UPDATE), so the
 * stamp it reads before its COMMIT is the one it leaves; any other write, from another process, a job, a migration
 * or psql, leaves a stamp of its own, and the next change reads the whole queue again. A write made without the
 * branch lock waits at this row for the change holding it, as every change of the branch does.
 */
export class QueueVersion1764830000000 implements MigrationInterface {
  name = 'QueueVersion1764830000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE branch_event_seq ADD COLUMN queue_tx xid8`);
    // One function per way a table names its branch. IS DISTINCT FROM: a transaction's second write stamps nothing new.
    await q.query(`
      CREATE FUNCTION fdl_stamp_queue(branch uuid) RETURNS void LANGUAGE sql AS $$
        UPDATE branch_event_seq SET queue_tx = pg_current_xact_id()
         WHERE branch_id = branch AND queue_tx IS DISTINCT FROM pg_current_xact_id()
      $$`);
    await q.query(`
      CREATE FUNCTION fdl_queue_written_by_branch_id() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'INSERT' THEN PERFORM fdl_stamp_queue(OLD.branch_id); END IF;
        IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.branch_id IS DISTINCT FROM OLD.branch_id) THEN PERFORM fdl_stamp_queue(NEW.branch_id); END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE FUNCTION fdl_queue_written_branch() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM fdl_stamp_queue(CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END);
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE FUNCTION fdl_queue_written_day_seq() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM fdl_stamp_queue(s.branch_id) FROM services s
          WHERE s.id = CASE WHEN TG_OP = 'DELETE' THEN OLD.service_id ELSE NEW.service_id END;
        RETURN NULL;
      END $$`);
    for (const table of ['services', 'counters', 'tickets']) {
      await q.query(`CREATE TRIGGER ${table}_queue_written AFTER INSERT OR UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION fdl_queue_written_by_branch_id()`);
    }
    await q.query(`CREATE TRIGGER branches_queue_written AFTER UPDATE OR DELETE ON branches FOR EACH ROW EXECUTE FUNCTION fdl_queue_written_branch()`);
    await q.query(`CREATE TRIGGER ticket_day_sequences_queue_written AFTER INSERT OR UPDATE OR DELETE ON ticket_day_sequences FOR EACH ROW EXECUTE FUNCTION fdl_queue_written_day_seq()`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['services', 'counters', 'tickets', 'branches', 'ticket_day_sequences']) {
      await q.query(`DROP TRIGGER IF EXISTS ${table}_queue_written ON ${table}`);
    }
    for (const fn of ['fdl_queue_written_by_branch_id()', 'fdl_queue_written_branch()', 'fdl_queue_written_day_seq()', 'fdl_stamp_queue(uuid)']) {
      await q.query(`DROP FUNCTION IF EXISTS ${fn}`);
    }
    await q.query(`ALTER TABLE branch_event_seq DROP COLUMN IF EXISTS queue_tx`);
  }
}
