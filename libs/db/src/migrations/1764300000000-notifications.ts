import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SMS notices through an outbox. A notice is a row written in the same transaction as the change that causes it
 * (a repair ready for pickup, a promised time moved later); the worker relays due rows to BullMQ with the row id as
 * job id and sends each with the row id as idempotency key, so no crash or duplicate sends one twice or loses one.
 */
export class Notifications1764300000000 implements MigrationInterface {
  name = 'Notifications1764300000000';

  async up(q: QueryRunner): Promise<void> {
    // Quiet hours, reminder days and the opening hours quoted in messages; defaults live in contracts.
    await q.query(`ALTER TABLE branches ADD COLUMN notify_settings jsonb NOT NULL DEFAULT '{}'::jsonb`);
    // The pickup SMS must carry the pickup code, which is otherwise only kept as a hash: kept while a notice may
    // still need it (notify=sms and not yet handed over), cleared when the repair closes.
    await q.query(`ALTER TABLE repairs ADD COLUMN sms_pickup_code text`);
    await q.query(`
      CREATE TABLE notifications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        branch_id uuid NOT NULL REFERENCES branches(id) ON DELETE CASCADE,
        repair_id uuid REFERENCES repairs(id) ON DELETE CASCADE,
        ticket_id uuid,
        channel text NOT NULL DEFAULT 'sms' CHECK (channel IN ('sms')),
        to_phone text NOT NULL,
        language text NOT NULL CHECK (language IN ('zh','en')),
        template text NOT NULL CHECK (template IN ('pickup_ready','pickup_reminder','promise_slipped','lobby_near')),
        params jsonb NOT NULL DEFAULT '{}'::jsonb,
        -- One notice per cause however often the cause is retried (e.g. repair:<id>:reminder:3).
        dedupe_key text NOT NULL,
        state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','sent','failed','cancelled')),
        due_at timestamptz NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        provider text,
        provider_message_id text,
        body text,
        error text,
        sent_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (branch_id, dedupe_key)
      )`);
    await q.query(`CREATE INDEX notifications_pending_idx ON notifications (due_at) WHERE state = 'pending'`);
    await q.query(`CREATE INDEX notifications_repair_idx ON notifications (repair_id) WHERE repair_id IS NOT NULL`);
    await q.query(`CREATE INDEX notifications_ticket_idx ON notifications (ticket_id) WHERE ticket_id IS NOT NULL`);
    await q.query(`
      CREATE TABLE sms_templates (
        branch_id uuid NOT NULL REFERENCES branches(id) ON DELETE CASCADE,
        template text NOT NULL,
        language text NOT NULL CHECK (language IN ('zh','en')),
        body text NOT NULL,
        updated_by text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (branch_id, template, language)
      )`);
    // The development provider's outbox: what would have gone to phones, one row per idempotency key.
    await q.query(`
      CREATE TABLE dev_sms_messages (
        id bigserial PRIMARY KEY,
        idempotency_key text NOT NULL UNIQUE,
        branch_id uuid,
        to_phone text NOT NULL,
        body text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE dev_sms_messages`);
    await q.query(`DROP TABLE sms_templates`);
    await q.query(`DROP TABLE notifications`);
    await q.query(`ALTER TABLE repairs DROP COLUMN sms_pickup_code`);
    await q.query(`ALTER TABLE branches DROP COLUMN notify_settings`);
  }
}
