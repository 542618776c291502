#!/usr/bin/env node
// Hotline ingest benchmark (issue 5: "at least 1,000 events/s with metrics updated live"), against a running API:
//   API_URL=http://127.0.0.1:3000 BENCH_BRANCH_ID=<uuid> HOTLINE_SECRET=demo-hotline-secret node tools/bench-hotline.mjs
// Sends BENCH_EVENTS signed events (calls: queued, answered or abandoned, ended; some agent states) in batches of
// BENCH_BATCH with BENCH_CONCURRENCY requests in flight, while a staff socket counts the `hotline.metrics` events
// pushed. Prints events/s, request latency and how long after the last request the pushed numbers were final.
// Nothing asserts: the figures are for people to read. Uses .data/demo.json for the branch when BENCH_BRANCH_ID is unset.

import crypto from 'node:crypto';
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { io } from 'socket.io-client';

const API = (process.env.API_URL || 'http://127.0.0.1:3000').replace(/\/$/, '');
const demo = fs.existsSync('.data/demo.json') ? JSON.parse(fs.readFileSync('.data/demo.json', 'utf8')) : {};
const BRANCH = process.env.BENCH_BRANCH_ID || demo.branchId;
const SECRET = process.env.HOTLINE_SECRET || 'demo-hotline-secret';
const TOTAL = Number(process.env.BENCH_EVENTS || 30000);
const BATCH = Number(process.env.BENCH_BATCH || 100);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY || 4);
const USER = process.env.BENCH_USER || 'manager';
const PASSWORD = process.env.DEMO_PASSWORD || 'frontdesk-demo';
if (!BRANCH) throw new Error('set BENCH_BRANCH_ID (or run the demo seed so .data/demo.json exists)');

const run = crypto.randomBytes(3).toString('hex');
function makeEvents() {
  const events = [];
  const now = Date.now();
  for (let i = 0; events.length < TOTAL; i++) {
    const callId = `bench-${run}-${i}`;
    const queue = i % 3 ? 'repair' : 'sales';
    const q = now - 3600_000 + Math.random() * 3500_000;
    const wait = Math.random() * 40_000;
    events.push({ id: `${callId}-q`, type: 'call_queued', callId, queue, at: new Date(q).toISOString(), callerNumber: `137${String(i % 100000).padStart(8, '0')}` });
    if (Math.random() < 0.85) events.push({ id: `${callId}-a`, type: 'call_answered', callId, queue, agentId: `bench-agent-${i % 20}`, at: new Date(q + wait).toISOString() });
    else events.push({ id: `${callId}-x`, type: 'call_abandoned', callId, queue, at: new Date(q + wait).toISOString() });
    events.push({ id: `${callId}-e`, type: 'call_ended', callId, queue, at: new Date(q + wait + 120_000).toISOString() });
    if (i % 10 === 0) events.push({ id: `${callId}-s`, type: 'agent_state', agentId: `bench-agent-${i % 20}`, state: 'available', at: new Date(q + wait + 130_000).toISOString() });
  }
  return events.slice(0, TOTAL);
}

async function post(events) {
  const raw = JSON.stringify({ branchId: BRANCH, events });
  const ts = String(Math.floor(Date.now() / 1000));
  const signature = `sha256=${crypto.createHmac('sha256', SECRET).update(`${ts}.${raw}`).digest('hex')}`;
  const t = performance.now();
  const res = await fetch(`${API}/api/hotline/events`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-timestamp': ts, 'x-signature': signature }, body: raw });
  const body = await res.json();
  if (res.status !== 202) throw new Error(`HTTP ${res.status}: ${JSON.stringify(body)}`);
  return { ms: performance.now() - t, ...body };
}

const pct = (xs, p) => xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

async function main() {
  const login = await fetch(`${API}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: USER, password: PASSWORD }) });
  const { accessToken } = await login.json();
  const socket = io(`${API}/live`, { path: '/socket.io', auth: { token: accessToken }, transports: ['websocket'] });
  await new Promise((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  let pushes = 0;
  let lastPushAt = 0;
  let lastMetrics = null;
  socket.on('event', (e) => {
    if (e.type !== 'hotline.metrics') return;
    pushes += 1;
    lastPushAt = performance.now();
    lastMetrics = e.data.metrics;
  });
  await socket.timeout(5000).emitWithAck('subscribe', { branchId: BRANCH, view: 'staff' });

  const events = makeEvents();
  const batches = [];
  for (let i = 0; i < events.length; i += BATCH) batches.push(events.slice(i, i + BATCH));
  const latencies = [];
  let accepted = 0;
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < batches.length) {
        const r = await post(batches[next++]);
        latencies.push(r.ms);
        accepted += r.accepted;
      }
    }),
  );
  const end = performance.now();
  const before = (await (await fetch(`${API}/api/branches/${BRANCH}/hotline`, { headers: { authorization: `Bearer ${accessToken}` } })).json());
  await new Promise((r) => setTimeout(r, 1500));
  socket.close();
  const seconds = (end - start) / 1000;
  console.log(`hotline ingest: ${events.length} events in ${batches.length} requests of ${BATCH}, ${CONCURRENCY} in flight`);
  console.log(`  accepted ${accepted} in ${seconds.toFixed(2)} s = ${Math.round(accepted / seconds)} events/s`);
  console.log(`  request latency p50 ${pct(latencies, 50).toFixed(0)} ms, p99 ${pct(latencies, 99).toFixed(0)} ms, max ${Math.max(...latencies).toFixed(0)} ms`);
  console.log(`  live: ${pushes} hotline.metrics pushes; the last ${Math.max(0, lastPushAt - end).toFixed(0)} ms after the last request; answered ${lastMetrics?.answered} (GET says ${before.answered})`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
