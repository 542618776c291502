import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The hotline: the telephone system's events as received (append-only, one row per event id), the calls
 * folded from them (what the metrics read: one row per call instead of every event of the day), agents'
 * latest states, each branch's webhook secret and hotline settings, and callbacks.
 */
export class Hotline1764200000000 implements MigrationInterface {
  name = 'Hotline1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE branches ADD COLUMN hotline_secret text, ADD COLUMN hotline_settings jsonb NOT NULL DEFAULT '{}'::jsonb`);
    await q.query(`
      CREATE TABLE hotline_events (
        branch_id uuid NOT NULL REFERENCES branches(id) ON DELETE CASCADE,
        id text NOT NULL,
        type text NOT NULL CHECK (type IN ('call_queued','call_answered','call_abandoned','call_ended','agent_state')),
        call_id text,
        queue text,
        at timestamptz NOT NULL,
        agent_id text,
        state text CHECK (state IN ('available','on_call','wrap_up','paused','offline')),
        caller_number text,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (branch_id, id)
      )`);
    await q.query(`CREATE INDEX hotline_events_call_idx ON hotline_events (branch_id, call_id)`);
    await q.query(`CREATE INDEX hotline_events_at_idx ON hotline_events (branch_id, at)`);
    await q.query(`
      CREATE TABLE hotline_calls (
        branch_id uuid NOT NULL REFERENCES branches(id) ON DELETE CASCADE,
        call_id text NOT NULL,
        queue text NOT NULL,
        local_day date NOT NULL,
        first_at timestamptz NOT NULL,
        queued_at timestamptz,
        answered_at timestamptz,
        abandoned_at timestamptz,
        ended_at timestamptz,
        agent_id text,
        caller_number text,
        status text NOT NULL CHECK (status IN ('waiting','answered','abandoned','short_abandoned')),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (branch_id, call_id)
      )`);
    await q.query(`CREATE INDEX hotline_calls_day_idx ON hotline_calls (branch_id, local_day)`);
    await q.query(`CREATE INDEX hotline_calls_waiting_idx ON hotline_calls (branch_id) WHERE status = 'waiting'`);
    await q.query(`CREATE INDEX hotline_calls_number_idx ON hotline_calls (branch_id, caller_number, local_day) WHERE caller_number IS NOT NULL`);
    await q.query(`
      CREATE TABLE hotline_agents (
        branch_id uuid NOT NULL REFERENCES branches(id) ON DELETE CASCADE,
        agent_id text NOT NULL,
        queue text NOT NULL DEFAULT '',
        state text NOT NULL CHECK (state IN ('available','on_call','wrap_up','paused','offline')),
        at timestamptz NOT NULL,
        event_id text NOT NULL,
        PRIMARY KEY (branch_id, agent_id, queue)
      )`);
    await q.query(`
      CREATE TABLE callbacks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        branch_id uuid NOT NULL REFERENCES branches(id) ON DELETE CASCADE,
        phone text NOT NULL,
        name text,
        due_at timestamptz NOT NULL,
        reason text NOT NULL CHECK (reason IN ('promised','follow_up','complaint','abandoned')),
        repair_id uuid,
        call_id text,
        note text,
        status text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled','due','done')),
        outcome text CHECK (outcome IN ('reached_satisfied','reached_unsatisfied','unreachable','wrong_number','got_through')),
        attempts integer NOT NULL DEFAULT 0,
        created_by text,
        created_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz
      )`);
    await q.query(`CREATE INDEX callbacks_branch_due_idx ON callbacks (branch_id, status, due_at)`);
    // One callback per abandoned call, whatever the number of times its events are re-sent.
    await q.query(`CREATE UNIQUE INDEX callbacks_abandoned_call_idx ON callbacks (branch_id, call_id) WHERE reason = 'abandoned'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS callbacks`);
    await q.query(`DROP TABLE IF EXISTS hotline_agents`);
    await q.query(`DROP TABLE IF EXISTS hotline_calls`);
    await q.query(`DROP TABLE IF EXISTS hotline_events`);
    await q.query(`ALTER TABLE branches DROP COLUMN IF EXISTS hotline_settings, DROP COLUMN IF EXISTS hotline_secret`);
  }
}
