#!/usr/bin/env node
// Manager view benchmark (issue 6: "responsive with a year of history for 20 branches: initial load under 1 s,
// chart queries under 300 ms"). Self-contained: makes its own database on the local Postgres, migrates it with the
// built CLI, generates a year of lobby tickets, hotline calls and repairs for BENCH_BRANCHES branches in SQL, starts
// the built API on a free port and times what the /manager screen asks for:
//   initial load  = the requests the screen sends on opening (branches, kpis, alerts, staffing, today's 8 charts), in parallel
//   chart queries = each series / breakdown over a past day (15 min buckets) and over the whole year (1 day buckets)
// Needs `npx nx run-many -t build` first. Prints p50/p95/max per item; exits 1 if a p95 is over its budget.
// Env: DATABASE_SERVER_URL (postgres://postgres@127.0.0.1:5432/postgres), REDIS_URL, BENCH_BRANCHES (20),
// BENCH_DAYS (365), BENCH_TICKETS_PER_DAY (250), BENCH_CALLS_PER_DAY (150), BENCH_REPAIRS_PER_DAY (30), BENCH_ROUNDS (10), BENCH_KEEP=1.

import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const SERVER = process.env.DATABASE_SERVER_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const BRANCHES = Number(process.env.BENCH_BRANCHES || 20);
const DAYS = Number(process.env.BENCH_DAYS || 365);
const TICKETS = Number(process.env.BENCH_TICKETS_PER_DAY || 250);
const CALLS = Number(process.env.BENCH_CALLS_PER_DAY || 150);
const REPAIRS = Number(process.env.BENCH_REPAIRS_PER_DAY || 30);
const ROUNDS = Number(process.env.BENCH_ROUNDS || 10);
const BUDGET = { initial: 1000, chart: 300 };

if (!fs.existsSync(path.join(ROOT, 'apps/api/dist/main.js'))) throw new Error('build first: NX_DAEMON=false npx nx run-many -t build');

const name = `fdl_bench_mgr_${Date.now()}_${crypto.randomBytes(2).toString('hex')}`;
const dbUrl = new URL(SERVER);
dbUrl.pathname = `/${name}`;
const env = { ...process.env, DATABASE_URL: dbUrl.toString(), REDIS_URL: REDIS, REDIS_PREFIX: `fdl-bench-${crypto.randomBytes(3).toString('hex')}`, DEMO_MODE: 'true', LOG_LEVEL: 'warn' };
const log = (...a) => console.log(`[bench-manager ${new Date().toISOString().slice(11, 19)}]`, ...a);
const pct = (xs, p) => xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const freePort = () =>
  new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

async function generate(db) {
  // Branches spread over a few zones, each with the four default services and three counters.
  const zones = ['Asia/Shanghai', 'Asia/Hong_Kong', 'Asia/Singapore', 'Europe/London', 'America/New_York'];
  await db.query(
    `INSERT INTO branches (code, name_zh, name_en, time_zone, hotline_secret)
       SELECT 'bench-' || lpad(i::text, 2, '0'), '压测门店 ' || i, 'Bench branch ' || i, ($1::text[])[1 + i % $2], 'bench' FROM generate_series(1, $3) i`,
    [zones, zones.length, BRANCHES],
  );
  await db.query(`INSERT INTO branch_event_seq (branch_id) SELECT id FROM branches WHERE code LIKE 'bench-%'`);
  await db.query(
    `INSERT INTO services (branch_id, code, name_zh, name_en, default_service_seconds, sort)
       SELECT b.id, s.code, '服务' || s.code, 'Service ' || s.code, 300, s.n FROM branches b, (VALUES ('A', 0), ('B', 1), ('C', 2), ('D', 3)) s(code, n) WHERE b.code LIKE 'bench-%'`,
  );
  await db.query(
    `INSERT INTO counters (branch_id, name, service_ids, status, sort)
       SELECT b.id, 'Counter ' || c, ARRAY(SELECT id FROM services WHERE branch_id = b.id ORDER BY sort), CASE WHEN c < 3 THEN 'open' ELSE 'closed' END, c
         FROM branches b, generate_series(1, 3) c WHERE b.code LIKE 'bench-%'`,
  );
  const t0 = performance.now();
  // Tickets: opening hours 09:00-18:00 local, waits 0-30 min, service 2-12 min; 5 % no-shows.
  await db.query(
    `INSERT INTO tickets (branch_id, service_id, local_day, day_seq, number, status, counter_id, created_at, first_called_at, called_at, serving_at, finished_at, closed_at, estimated_wait_seconds, wait_error_seconds, issued_by)
     SELECT b.id, s.id, d.day, n, s.code || lpad(n::text, 3, '0'),
            CASE WHEN r.x < 0.05 THEN 'no_show' ELSE 'done' END, c.id,
            t.created, t.created + r.wait, t.created + r.wait,
            CASE WHEN r.x >= 0.05 THEN t.created + r.wait + interval '30 seconds' END,
            CASE WHEN r.x >= 0.05 THEN t.created + r.wait + r.service END,
            t.created + r.wait + r.service, 600, round(extract(epoch FROM r.wait))::int - 600, 'bench'
       FROM branches b
       CROSS JOIN generate_series(current_date - $1::int, current_date - 1, interval '1 day') d0(day0)
       CROSS JOIN LATERAL (SELECT d0.day0::date AS day) d
       CROSS JOIN generate_series(1, $2::int) n
       CROSS JOIN LATERAL (SELECT random() AS x, make_interval(secs => random() * 1800) AS wait, make_interval(secs => 120 + random() * 600) AS service, random() AS y) r
       JOIN LATERAL (SELECT id, code FROM services WHERE branch_id = b.id AND sort = n % 4) s ON true
       JOIN LATERAL (SELECT id FROM counters WHERE branch_id = b.id AND sort = 1 + n % 3) c ON true
       CROSS JOIN LATERAL (SELECT ((d.day + time '09:00' + make_interval(secs => r.y * 9 * 3600)) AT TIME ZONE b.time_zone) AS created) t
      WHERE b.code LIKE 'bench-%'`,
    [DAYS, TICKETS],
  );
  log(`tickets in ${Math.round(performance.now() - t0)} ms`);
  const t1 = performance.now();
  await db.query(
    `INSERT INTO hotline_calls (branch_id, call_id, queue, local_day, first_at, queued_at, answered_at, abandoned_at, ended_at, agent_id, status)
     SELECT b.id, 'c-' || d.day || '-' || n, CASE WHEN n % 3 = 0 THEN 'sales' ELSE 'repair' END, d.day, q.at, q.at,
            CASE WHEN r.x >= 0.1 THEN q.at + r.wait END, CASE WHEN r.x < 0.1 THEN q.at + r.wait END, q.at + r.wait + interval '3 minutes',
            CASE WHEN r.x >= 0.1 THEN 'agent-' || (n % 8) END, CASE WHEN r.x < 0.1 THEN 'abandoned' ELSE 'answered' END
       FROM branches b
       CROSS JOIN generate_series(current_date - $1::int, current_date - 1, interval '1 day') d0(day0)
       CROSS JOIN LATERAL (SELECT d0.day0::date AS day) d
       CROSS JOIN generate_series(1, $2::int) n
       CROSS JOIN LATERAL (SELECT random() AS x, make_interval(secs => 6 + random() * 60) AS wait, random() AS y) r
       CROSS JOIN LATERAL (SELECT ((d.day + time '08:30' + make_interval(secs => r.y * 10 * 3600)) AT TIME ZONE b.time_zone) AS at) q
      WHERE b.code LIKE 'bench-%'`,
    [DAYS, CALLS],
  );
  log(`hotline calls in ${Math.round(performance.now() - t1)} ms`);
  const t2 = performance.now();
  await db.query(`INSERT INTO customers (phone, name) VALUES ('+8613800000000', 'Bench')`);
  await db.query(
    `INSERT INTO repairs (branch_id, order_no, local_day, day_seq, customer_id, customer_name, customer_phone, brand, model, imei, device_key, fault, warranty_status, warranty_computed,
                          warranty_reason, warranty_reason_zh, notify, status, promised_at, pickup_code_hash, created_by, created_at, updated_at, ready_at, survey_score, survey_at)
     SELECT b.id, b.code || '-' || d.day || '-' || n, d.day, n, cu.id, 'Bench', '+8613800000000', 'Huawei', 'P60', lpad((n * 7919 % 1000000)::text, 15, '3'),
            'imei:' || (n * 7919 % 5000), 'screen', 'in_warranty', 'in_warranty', 'bench', 'bench', 'sms',
            CASE WHEN d.day > current_date - 3 AND r.x < 0.5 THEN 'repairing' ELSE 'picked_up' END, t.at + interval '2 days', 'x', 'bench', t.at, t.at,
            CASE WHEN d.day > current_date - 3 AND r.x < 0.5 THEN NULL ELSE t.at + make_interval(secs => 3600 + r.y * 5 * 86400) END,
            CASE WHEN r.x > 0.3 THEN 3 + (n % 3) END, CASE WHEN r.x > 0.3 THEN t.at + interval '3 days' END
       FROM branches b
       CROSS JOIN generate_series(current_date - $1::int, current_date - 1, interval '1 day') d0(day0)
       CROSS JOIN LATERAL (SELECT d0.day0::date AS day) d
       CROSS JOIN generate_series(1, $2::int) n
       CROSS JOIN LATERAL (SELECT random() AS x, random() AS y) r
       CROSS JOIN (SELECT id FROM customers LIMIT 1) cu
       CROSS JOIN LATERAL (SELECT ((d.day + time '09:00' + make_interval(secs => r.y * 9 * 3600)) AT TIME ZONE b.time_zone) AS at) t
      WHERE b.code LIKE 'bench-%'`,
    [DAYS, REPAIRS],
  );
  log(`repairs in ${Math.round(performance.now() - t2)} ms`);
  // A year-old table has been vacuumed by autovacuum many times: its visibility map allows index-only scans.
  await db.query(`VACUUM ANALYZE`);
  const [{ tickets }] = (await db.query(`SELECT count(*)::int AS tickets FROM tickets`)).rows;
  const [{ calls }] = (await db.query(`SELECT count(*)::int AS calls FROM hotline_calls`)).rows;
  const [{ repairs }] = (await db.query(`SELECT count(*)::int AS repairs FROM repairs`)).rows;
  return { tickets, calls, repairs };
}

async function main() {
  const admin = new pg.Client({ connectionString: SERVER });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  let api = null;
  try {
    const m = spawnSync('node', ['apps/api/dist/cli.js', 'migrate'], { cwd: ROOT, env, stdio: 'inherit' });
    if (m.status !== 0) throw new Error('migrate failed');
    const seedFile = path.join(os.tmpdir(), `${name}.json`);
    const s = spawnSync('node', ['apps/api/dist/cli.js', 'seed-demo'], { cwd: ROOT, env: { ...env, SEED_OUTPUT: seedFile }, stdio: 'inherit' });
    if (s.status !== 0) throw new Error('seed failed');
    const seed = JSON.parse(fs.readFileSync(seedFile, 'utf8'));
    const db = new pg.Client({ connectionString: dbUrl.toString() });
    await db.connect();
    log(`generating ${DAYS} days for ${BRANCHES} branches (${TICKETS} tickets, ${CALLS} calls, ${REPAIRS} repairs a day each)…`);
    const counts = await generate(db);
    log(`rows: ${JSON.stringify(counts)}`);
    // The demo manager manages every bench branch.
    await db.query(`INSERT INTO user_branches (user_id, branch_id) SELECT u.id, b.id FROM users u, branches b WHERE u.username = 'manager' AND b.code LIKE 'bench-%' ON CONFLICT DO NOTHING`);
    const branches = (await db.query(`SELECT id, time_zone FROM branches WHERE code LIKE 'bench-%' ORDER BY code`)).rows;
    await db.end();

    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    api = spawn('node', ['apps/api/dist/main.js'], { cwd: ROOT, env: { ...env, PORT: String(port), PUBLIC_URL: url }, stdio: ['ignore', 'ignore', 'inherit'] });
    for (let i = 0; ; i++) {
      if (i > 150) throw new Error('API did not start');
      try {
        if ((await fetch(`${url}/api/health/live`)).ok) break;
      } catch {
        // not yet listening
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'manager', password: seed.password }) });
    const { accessToken } = await login.json();
    const get = async (p) => {
      const t = performance.now();
      const res = await fetch(`${url}/api${p}`, { headers: { authorization: `Bearer ${accessToken}` } });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`GET ${p}: ${res.status}`);
      return performance.now() - t;
    };
    const today = (zone) => new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(new Date());
    const shift = (day, n) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86400_000).toISOString().slice(0, 10);
    const initialRequests = (b) => {
      const d = today(b.time_zone);
      const lw = shift(d, -7);
      return [
        '/branches',
        `/branches/${b.id}/kpis`,
        `/alerts?branchId=${b.id}&state=open`,
        `/branches/${b.id}/staffing?horizon=1h`,
        `/branches/${b.id}/series?metric=lobby.arrivals&bucket=15m&from=${d}&to=${d}`,
        `/branches/${b.id}/series?metric=lobby.arrivals&bucket=15m&from=${lw}&to=${lw}`,
        `/branches/${b.id}/series?metric=lobby.wait.avg&bucket=15m&from=${d}&to=${d}`,
        `/branches/${b.id}/series?metric=lobby.wait.avg&bucket=15m&from=${lw}&to=${lw}`,
        `/branches/${b.id}/series?metric=hotline.calls&bucket=30m&from=${d}&to=${d}`,
        `/branches/${b.id}/series?metric=hotline.sl&bucket=30m&from=${d}&to=${d}`,
        `/branches/${b.id}/breakdown?kind=repairs.pipeline&from=${d}&to=${d}`,
        `/branches/${b.id}/breakdown?kind=repairs.turnaround&from=${d}&to=${d}`,
        `/branches/${b.id}/breakdown?kind=lobby.counter.throughput&from=${d}&to=${d}`,
        `/branches/${b.id}/breakdown?kind=hotline.agent.throughput&from=${d}&to=${d}`,
        '/manager/branches',
      ];
    };
    const chartRequests = (b) => {
      const d = today(b.time_zone);
      const past = shift(d, -30);
      const yearAgo = shift(d, -DAYS);
      const out = [];
      for (const metric of ['lobby.arrivals', 'lobby.wait.avg', 'lobby.served', 'hotline.calls', 'hotline.sl', 'repairs.created', 'repairs.ready']) {
        out.push([`${metric} past day 15m`, `/branches/${b.id}/series?metric=${metric}&bucket=15m&from=${past}&to=${past}`]);
        out.push([`${metric} year 1d`, `/branches/${b.id}/series?metric=${metric}&bucket=1d&from=${yearAgo}&to=${shift(d, -1)}`]);
      }
      for (const kind of ['repairs.pipeline', 'repairs.turnaround', 'lobby.counter.throughput', 'hotline.agent.throughput']) {
        out.push([`${kind} year`, `/branches/${b.id}/breakdown?kind=${kind}&from=${yearAgo}&to=${shift(d, -1)}`]);
      }
      out.push(['kpis (today)', `/branches/${b.id}/kpis`]);
      return out;
    };
    // Warm-up: the first request of a fresh process pays for connections and JIT.
    await Promise.all(initialRequests(branches[0]).map(get));

    const initial = [];
    for (let r = 0; r < ROUNDS; r++) {
      const b = branches[r % branches.length];
      const t = performance.now();
      await Promise.all(initialRequests(b).map(get));
      initial.push(performance.now() - t);
    }
    const charts = new Map();
    for (let r = 0; r < ROUNDS; r++) {
      const b = branches[(r * 7) % branches.length];
      for (const [label, p] of chartRequests(b)) {
        if (!charts.has(label)) charts.set(label, []);
        charts.get(label).push(await get(p));
      }
    }
    const fmt = (xs) => `p50 ${pct(xs, 50).toFixed(0)} ms  p95 ${pct(xs, 95).toFixed(0)} ms  max ${Math.max(...xs).toFixed(0)} ms`;
    console.log('');
    console.log(`Manager view, ${BRANCHES} branches × ${DAYS} days: ${counts.tickets} tickets, ${counts.calls} calls, ${counts.repairs} repairs`);
    console.log(`initial load (${initialRequests(branches[0]).length} requests in parallel, incl. the 20-branch comparison): ${fmt(initial)}  [budget ${BUDGET.initial} ms]`);
    let over = pct(initial, 95) > BUDGET.initial;
    for (const [label, xs] of charts) {
      const bad = pct(xs, 95) > BUDGET.chart;
      over ||= bad;
      console.log(`  ${label.padEnd(34)} ${fmt(xs)}${bad ? '  OVER BUDGET' : ''}`);
    }
    console.log('');
    process.exitCode = over ? 1 : 0;
  } finally {
    if (api) api.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    if (process.env.BENCH_KEEP !== '1') await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    else log(`kept database ${name}`);
    await admin.end();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
