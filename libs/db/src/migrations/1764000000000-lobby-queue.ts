import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The lobby queue: branches, services, counters, tickets, users, devices, and the per-branch event log. */
export class LobbyQueue1764000000000 implements MigrationInterface {
  name = 'LobbyQueue1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pgcrypto`);
    await q.query(`
      CREATE TABLE branches (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9-]{2,32}$'),
        name_zh text NOT NULL,
        name_en text NOT NULL,
        time_zone text NOT NULL,
        default_language text NOT NULL DEFAULT 'zh' CHECK (default_language IN ('zh','en')),
        queue_settings jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE services (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        branch_id uuid NOT NULL REFERENCES branches(id) ON DELETE CASCADE,
        code text NOT NULL CHECK (code ~ '^[A-Z]{1,2}$'),
        name_zh text NOT NULL,
        name_en text NOT NULL,
        open boolean NOT NULL DEFAULT true,
        default_service_seconds integer NOT NULL DEFAULT 300 CHECK (default_service_seconds > 0),
        sort integer NOT NULL DEFAULT 0,
        UNIQUE (branch_id, code)
      )`);
    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username text NOT NULL UNIQUE,
        display_name text NOT NULL,
        password_hash text NOT NULL,
        role text NOT NULL CHECK (role IN ('admin','manager','frontdesk','technician','agent')),
        active boolean NOT NULL DEFAULT true,
        failed_logins integer NOT NULL DEFAULT 0,
        locked_until timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE user_branches (
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        branch_id uuid NOT NULL REFERENCES branches(id) ON DELETE CASCADE,
        PRIMARY KEY (user_id, branch_id)
      )`);
    await q.query(`
      CREATE TABLE counters (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        branch_id uuid NOT NULL REFERENCES branches(id) ON DELETE CASCADE,
        name text NOT NULL,
        service_ids uuid[] NOT NULL DEFAULT '{}',
        status text NOT NULL DEFAULT 'closed' CHECK (status IN ('open','paused','closed')),
        pause_reason text,
        user_id uuid REFERENCES users(id) ON DELETE SET NULL,
        current_ticket_id uuid,
        sort integer NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (branch_id, name)
      )`);
    await q.query(`
      CREATE TABLE devices (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        branch_id uuid NOT NULL REFERENCES branches(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('kiosk','display')),
        name text NOT NULL,
        token_hash text NOT NULL UNIQUE,
        created_by uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        last_seen_at timestamptz
      )`);
    await q.query(`
      CREATE TABLE tickets (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        branch_id uuid NOT NULL REFERENCES branches(id) ON DELETE CASCADE,
        service_id uuid NOT NULL REFERENCES services(id),
        local_day date NOT NULL,
        day_seq integer NOT NULL,
        number text NOT NULL,
        priority text NOT NULL DEFAULT 'normal' CHECK (priority IN ('normal','priority')),
        status text NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting','called','serving','done','no_show','cancelled')),
        phone text,
        language text CHECK (language IN ('zh','en')),
        counter_id uuid REFERENCES counters(id) ON DELETE SET NULL,
        call_reason text,
        recall_count integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        first_called_at timestamptz,
        called_at timestamptz,
        serving_at timestamptz,
        finished_at timestamptz,
        closed_at timestamptz,
        estimated_wait_seconds integer,
        wait_error_seconds integer,
        issued_by text NOT NULL,
        UNIQUE (service_id, local_day, day_seq)
      )`);
    await q.query(`CREATE INDEX tickets_active_idx ON tickets (branch_id, local_day) WHERE status IN ('waiting','called','serving')`);
    await q.query(`CREATE INDEX tickets_finished_idx ON tickets (branch_id, service_id, finished_at DESC) WHERE status = 'done'`);
    await q.query(`CREATE INDEX tickets_recent_calls_idx ON tickets (branch_id, called_at DESC) WHERE called_at IS NOT NULL`);
    await q.query(`
      CREATE TABLE ticket_day_sequences (
        service_id uuid NOT NULL REFERENCES services(id) ON DELETE CASCADE,
        local_day date NOT NULL,
        last_seq integer NOT NULL,
        PRIMARY KEY (service_id, local_day)
      )`);
    // One row per branch, locked by every change of that branch: it orders the branch's events (seq)
    // and serialises the branch's queue decisions so two counters never take the same ticket.
    await q.query(`
      CREATE TABLE branch_event_seq (
        branch_id uuid PRIMARY KEY REFERENCES branches(id) ON DELETE CASCADE,
        last_seq bigint NOT NULL DEFAULT 0
      )`);
    // Append-only event log and transactional outbox: written in the same transaction as the change,
    // published to sockets after commit, swept again if a process died before publishing.
    await q.query(`
      CREATE TABLE events (
        branch_id uuid NOT NULL REFERENCES branches(id) ON DELETE CASCADE,
        seq bigint NOT NULL,
        type text NOT NULL,
        at timestamptz NOT NULL DEFAULT now(),
        actor text NOT NULL,
        data jsonb NOT NULL,
        published_at timestamptz,
        PRIMARY KEY (branch_id, seq)
      )`);
    await q.query(`CREATE INDEX events_unpublished_idx ON events (at) WHERE published_at IS NULL`);
    await q.query(`
      CREATE TABLE idempotency_keys (
        key text PRIMARY KEY,
        request_hash text NOT NULL,
        response jsonb,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['idempotency_keys', 'events', 'branch_event_seq', 'ticket_day_sequences', 'tickets', 'devices', 'counters', 'user_branches', 'users', 'services', 'branches']) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
  }
}
