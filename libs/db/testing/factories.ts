import { createHash, randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { DEFAULT_QUEUE_SETTINGS, type QueueSettings, type Role } from '@frontdesk/contracts';
import * as argon2 from 'argon2';
import { DEVICE_TOKEN_PREFIX } from '@frontdesk/contracts';

export const TEST_PASSWORD = 'test-password-1';
let passwordHash: Promise<string> | null = null;

export interface TestBranch {
  id: string;
  code: string;
  services: Record<string, string>;
  counters: string[];
  users: Record<string, string>;
  kioskToken: string;
  displayToken: string;
  kioskId: string;
}

/**
 * A branch of its own for one test: services A-D, `counters` counters (each serving the listed codes),
 * one user per role named `<code>-<role>`, and a kiosk and display token.
 */
export async function makeBranch(
  ds: DataSource,
  opts: { counters?: string[][]; timeZone?: string; settings?: Partial<QueueSettings>; roles?: Role[] } = {},
): Promise<TestBranch> {
  passwordHash ??= argon2.hash(TEST_PASSWORD, { type: argon2.argon2id });
  const code = `b-${randomBytes(4).toString('hex')}`;
  const [b]: { id: string }[] = await ds.query(
    `INSERT INTO branches (code, name_zh, name_en, time_zone, queue_settings) VALUES ($1, '测试', 'Test', $2, $3::jsonb) RETURNING id`,
    [code, opts.timeZone ?? 'Asia/Shanghai', JSON.stringify({ ...DEFAULT_QUEUE_SETTINGS, ...opts.settings })],
  );
  await ds.query(`INSERT INTO branch_event_seq (branch_id) VALUES ($1)`, [b.id]);
  const services: Record<string, string> = {};
  for (const [i, c] of ['A', 'B', 'C', 'D'].entries()) {
    const [s]: { id: string }[] = await ds.query(
      `INSERT INTO services (branch_id, code, name_zh, name_en, default_service_seconds, sort) VALUES ($1, $2, $3, $4, 300, $5) RETURNING id`,
      [b.id, c, `服务${c}`, `Service ${c}`, i],
    );
    services[c] = s.id;
  }
  const counters: string[] = [];
  for (const [i, codes] of (opts.counters ?? [['A', 'B'], ['A', 'C'], ['B', 'D']]).entries()) {
    const [c]: { id: string }[] = await ds.query(
      `INSERT INTO counters (branch_id, name, service_ids, status, sort) VALUES ($1, $2, $3::uuid[], 'closed', $4) RETURNING id`,
      [b.id, `Counter ${i + 1}`, codes.map((x) => services[x]), i],
    );
    counters.push(c.id);
  }
  const users: Record<string, string> = {};
  for (const role of opts.roles ?? (['admin', 'manager', 'frontdesk', 'technician', 'agent'] as Role[])) {
    const username = `${code}-${role}`;
    const [u]: { id: string }[] = await ds.query(
      `INSERT INTO users (username, display_name, password_hash, role) VALUES ($1, $1, $2, $3) RETURNING id`,
      [username, await passwordHash, role],
    );
    if (role !== 'admin') await ds.query(`INSERT INTO user_branches (user_id, branch_id) VALUES ($1, $2)`, [u.id, b.id]);
    users[role] = username;
  }
  const token = async (kind: 'kiosk' | 'display') => {
    const t = DEVICE_TOKEN_PREFIX + randomBytes(24).toString('base64url');
    const [d]: { id: string }[] = await ds.query(`INSERT INTO devices (branch_id, kind, name, token_hash) VALUES ($1, $2, $3, $4) RETURNING id`, [
      b.id,
      kind,
      `${kind} of ${code}`,
      createHash('sha256').update(t).digest('hex'),
    ]);
    return { t, id: d.id };
  };
  const kiosk = await token('kiosk');
  const display = await token('display');
  return { id: b.id, code, services, counters, users, kioskToken: kiosk.t, kioskId: kiosk.id, displayToken: display.t };
}
