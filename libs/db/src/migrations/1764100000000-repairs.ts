import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Repair orders (issue 3): customers keyed by E.164 phone, repairs with their warranty, quote, pickup lock and
 * survey, an append-only history, and the per-branch per-local-day order number sequence.
 */
export class Repairs1764100000000 implements MigrationInterface {
  name = 'Repairs1764100000000';

  async up(q: QueryRunner): Promise<void> {
    // One customer per phone number across branches: the same person brings phones to any branch and calls the
    // one hotline. What a caller sees of a customer is limited to their own branches' repairs and tickets.
    await q.query(`
      CREATE TABLE customers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        phone text NOT NULL UNIQUE CHECK (phone ~ '^\\+[1-9][0-9]{7,14}$'),
        name text NOT NULL,
        alt_phone text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE repair_order_sequences (
        branch_id uuid NOT NULL REFERENCES branches(id) ON DELETE CASCADE,
        local_day date NOT NULL,
        last_seq integer NOT NULL,
        PRIMARY KEY (branch_id, local_day)
      )`);
    await q.query(`
      CREATE TABLE repairs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        branch_id uuid NOT NULL REFERENCES branches(id) ON DELETE CASCADE,
        order_no text NOT NULL,
        local_day date NOT NULL,
        day_seq integer NOT NULL,
        customer_id uuid NOT NULL REFERENCES customers(id),
        customer_name text NOT NULL,
        customer_phone text NOT NULL,
        alt_phone text,
        brand text NOT NULL,
        model text NOT NULL,
        imei text,
        serial text,
        device_key text NOT NULL,
        fault text NOT NULL,
        condition text,
        accessories jsonb NOT NULL DEFAULT '[]'::jsonb,
        purchase_date date,
        warranty_status text NOT NULL CHECK (warranty_status IN ('return_window','exchange_window','in_warranty','out_of_warranty','void')),
        warranty_computed text NOT NULL CHECK (warranty_computed IN ('return_window','exchange_window','in_warranty','out_of_warranty','void')),
        warranty_reason text NOT NULL,
        warranty_reason_zh text NOT NULL,
        warranty_override_note text,
        notify text NOT NULL CHECK (notify IN ('sms','none')),
        ticket_id uuid REFERENCES tickets(id) ON DELETE SET NULL,
        status text NOT NULL CHECK (status IN ('received','diagnosing','awaiting_approval','awaiting_parts','repairing','qa','ready_for_pickup','picked_up','returned_unrepaired','cancelled')),
        promised_at timestamptz NOT NULL,
        repeat_of uuid REFERENCES repairs(id) ON DELETE SET NULL,
        technician_id uuid REFERENCES users(id) ON DELETE SET NULL,
        diagnosis_note text,
        parts_note text,
        quote_amount integer CHECK (quote_amount >= 0),
        quote_currency text,
        quote_decision text CHECK (quote_decision IN ('pending','approved','refused')),
        quoted_at timestamptz,
        quote_decided_at timestamptz,
        payment_amount integer CHECK (payment_amount >= 0),
        payment_currency text,
        payment_method text,
        paid_at timestamptz,
        pickup_code_hash text NOT NULL,
        pickup_failed_attempts integer NOT NULL DEFAULT 0,
        pickup_locked_at timestamptz,
        survey_score integer CHECK (survey_score BETWEEN 1 AND 5),
        survey_comment text,
        survey_at timestamptz,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        ready_at timestamptz,
        closed_at timestamptz,
        UNIQUE (branch_id, order_no),
        CHECK (imei IS NOT NULL OR serial IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX repairs_branch_status_idx ON repairs (branch_id, status, promised_at)`);
    await q.query(`CREATE INDEX repairs_device_idx ON repairs (device_key, created_at DESC)`);
    await q.query(`CREATE INDEX repairs_customer_idx ON repairs (customer_id, created_at DESC)`);
    await q.query(`CREATE INDEX repairs_order_no_idx ON repairs (order_no)`);
    await q.query(`CREATE INDEX repairs_ticket_idx ON repairs (ticket_id) WHERE ticket_id IS NOT NULL`);
    await q.query(`
      CREATE TABLE repair_history (
        id bigserial PRIMARY KEY,
        repair_id uuid NOT NULL REFERENCES repairs(id) ON DELETE CASCADE,
        at timestamptz NOT NULL,
        actor text NOT NULL,
        kind text NOT NULL,
        from_value text,
        to_value text,
        note text
      )`);
    await q.query(`CREATE INDEX repair_history_repair_idx ON repair_history (repair_id, id)`);
    // Append-only: history is the record of who did what; it is never rewritten.
    await q.query(`
      CREATE FUNCTION repair_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'repair_history is append-only'; END $$`);
    await q.query(`CREATE TRIGGER repair_history_no_update BEFORE UPDATE ON repair_history FOR EACH ROW EXECUTE FUNCTION repair_history_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS repair_history`);
    await q.query(`DROP FUNCTION IF EXISTS repair_history_append_only()`);
    await q.query(`DROP TABLE IF EXISTS repairs`);
    await q.query(`DROP TABLE IF EXISTS repair_order_sequences`);
    await q.query(`DROP TABLE IF EXISTS customers`);
  }
}
