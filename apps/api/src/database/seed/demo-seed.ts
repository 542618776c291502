import { createHash, randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { DEFAULT_QUEUE_SETTINGS, DEVICE_TOKEN_PREFIX, type Role } from '@frontdesk/contracts';
import { hashPassword } from '../../auth/auth.service';

export interface DemoSeedResult {
  branchId: string;
  branchCode: string;
  kioskToken: string;
  displayToken: string;
  kioskUrl: string;
  displayUrl: string;
  users: { username: string; role: Role }[];
  password: string;
}

const SERVICES = [
  { code: 'A', zh: '维修受理', en: 'Repair intake', seconds: 600 },
  { code: 'B', zh: '取机', en: 'Pickup', seconds: 180 },
  { code: 'C', zh: '咨询', en: 'Consultation', seconds: 300 },
  { code: 'D', zh: '交费', en: 'Payment', seconds: 150 },
];

/** Counter → services it serves: two intake counters that also help with pickup, one pickup/payment, one consultation. */
const COUNTERS: { name: string; services: string[] }[] = [
  { name: '1号窗口 Counter 1', services: ['A', 'B'] },
  { name: '2号窗口 Counter 2', services: ['A', 'C'] },
  { name: '3号窗口 Counter 3', services: ['B', 'D'] },
  { name: '4号窗口 Counter 4', services: ['A', 'B', 'C', 'D'] },
];

const USERS: { username: string; displayName: string; role: Role }[] = [
  { username: 'admin', displayName: '系统管理员 Admin', role: 'admin' },
  { username: 'manager', displayName: '王店长 Manager Wang', role: 'manager' },
  { username: 'frontdesk1', displayName: '李前台 Li (front desk)', role: 'frontdesk' },
  { username: 'frontdesk2', displayName: '张前台 Zhang (front desk)', role: 'frontdesk' },
  { username: 'tech1', displayName: '赵工 Zhao (technician)', role: 'technician' },
  { username: 'agent1', displayName: '陈热线 Chen (hotline)', role: 'agent' },
];

/**
 * The demo branch of CONTRACT.md: code `demo`, Asia/Shanghai, services A-D, four counters, six users.
 * Re-running keeps the data and issues fresh kiosk and display tokens (older demo tokens are revoked).
 */
export async function seedDemo(ds: DataSource, opts: { password: string; publicUrl: string }): Promise<DemoSeedResult> {
  const passwordHash = await hashPassword(opts.password);
  return ds.transaction(async (em) => {
    const [branch]: { id: string }[] = await em.query(
      `INSERT INTO branches (code, name_zh, name_en, time_zone, default_language, queue_settings)
       VALUES ('demo', '演示服务中心', 'Demo Service Center', 'Asia/Shanghai', 'zh', $1::jsonb)
       ON CONFLICT (code) DO UPDATE SET code = EXCLUDED.code RETURNING id`,
      [JSON.stringify(DEFAULT_QUEUE_SETTINGS)],
    );
    await em.query(`INSERT INTO branch_event_seq (branch_id) VALUES ($1) ON CONFLICT DO NOTHING`, [branch.id]);
    // The telephone system signs its hotline events with this (CONTRACT.md, demo data).
    await em.query(`UPDATE branches SET hotline_secret = $2 WHERE id = $1`, [branch.id, process.env.HOTLINE_SECRET || 'demo-hotline-secret']);
    const serviceIds = new Map<string, string>();
    for (const [i, s] of SERVICES.entries()) {
      const [row]: { id: string }[] = await em.query(
        `INSERT INTO services (branch_id, code, name_zh, name_en, default_service_seconds, sort) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (branch_id, code) DO UPDATE SET code = EXCLUDED.code RETURNING id`,
        [branch.id, s.code, s.zh, s.en, s.seconds, i],
      );
      serviceIds.set(s.code, row.id);
    }
    for (const [i, c] of COUNTERS.entries()) {
      await em.query(
        `INSERT INTO counters (branch_id, name, service_ids, status, sort) VALUES ($1, $2, $3::uuid[], 'closed', $4)
         ON CONFLICT (branch_id, name) DO NOTHING`,
        [branch.id, c.name, c.services.map((code) => serviceIds.get(code)), i],
      );
    }
    for (const u of USERS) {
      const [row]: { id: string }[] = await em.query(
        `INSERT INTO users (username, display_name, password_hash, role) VALUES ($1, $2, $3, $4)
         ON CONFLICT (username) DO UPDATE SET password_hash = EXCLUDED.password_hash, failed_logins = 0, locked_until = NULL
         RETURNING id`,
        [u.username, u.displayName, passwordHash, u.role],
      );
      await em.query(`INSERT INTO user_branches (user_id, branch_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [row.id, branch.id]);
    }
    await em.query(`UPDATE devices SET revoked_at = now() WHERE branch_id = $1 AND name LIKE 'Demo %' AND revoked_at IS NULL`, [branch.id]);
    const tokens: Record<'kiosk' | 'display', string> = { kiosk: '', display: '' };
    for (const kind of ['kiosk', 'display'] as const) {
      const token = DEVICE_TOKEN_PREFIX + randomBytes(24).toString('base64url');
      tokens[kind] = token;
      await em.query(`INSERT INTO devices (branch_id, kind, name, token_hash) VALUES ($1, $2, $3, $4)`, [
        branch.id,
        kind,
        kind === 'kiosk' ? 'Demo kiosk' : 'Demo wall display',
        createHash('sha256').update(token).digest('hex'),
      ]);
    }
    return {
      branchId: branch.id,
      branchCode: 'demo',
      kioskToken: tokens.kiosk,
      displayToken: tokens.display,
      kioskUrl: `${opts.publicUrl}/kiosk/demo?token=${tokens.kiosk}`,
      displayUrl: `${opts.publicUrl}/display/demo?token=${tokens.display}`,
      users: USERS.map((u) => ({ username: u.username, role: u.role })),
      password: opts.password,
    };
  });
}
