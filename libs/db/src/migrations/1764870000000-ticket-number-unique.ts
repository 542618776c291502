import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A ticket's number is unique in its branch and local day, whatever service it is at now. The lobby migration made
 * (service_id, local_day, day_seq) unique, but a transfer moves a ticket to another service keeping its number (the
 * customer holds "A003"): A003 moved to B then held B's third place in that key, and the kiosk's third B ticket of
 * the day, B003, was a 500 (unique violation). Numbers are the service's code and its day counter, and codes are
 * unique in a branch, so (branch_id, local_day, number) says what was meant.
 *
 * `down` restores the old key, which fails while a ticket transferred that day sits on another service's sequence.
 */
export class TicketNumberUnique1764870000000 implements MigrationInterface {
  name = 'TicketNumberUnique1764870000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tickets DROP CONSTRAINT tickets_service_id_local_day_day_seq_key`);
    await q.query(`ALTER TABLE tickets ADD CONSTRAINT tickets_branch_id_local_day_number_key UNIQUE (branch_id, local_day, number)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tickets DROP CONSTRAINT tickets_branch_id_local_day_number_key`);
    await q.query(`ALTER TABLE tickets ADD CONSTRAINT tickets_service_id_local_day_day_seq_key UNIQUE (service_id, local_day, day_seq)`);
  }
}
