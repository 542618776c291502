#!/usr/bin/env node
// Lobby traffic for the demo, through the public HTTP API only, so every screen has something
// to show: customers take tickets at the kiosk (Poisson arrivals, a few balk when the queue is
// long) and simulated receptionists at counters 1-3 call, serve and finish them, now and then
// send a consultation on to payment or repair intake with the same ticket, recall a customer
// who does not come and mark a no-show, or take a break. Counter 4 is left
// to a human. It survives API restarts: requests are retried with backoff, with the same
// Idempotency-Key, so a retried POST never acts twice. Stopped (SIGTERM, SIGINT), it finishes the
// customers at counters 1-3 and closes them within 2.5 s.
//
// Env (all optional):
//   API_URL               http://127.0.0.1:$PORT (PORT default 3000)
//   DEMO_FILE             .data/demo.json, written by the seed: {branchId, kioskToken, ...}
//   SIM_BRANCH_ID, SIM_KIOSK_TOKEN   instead of DEMO_FILE
//   DEMO_PASSWORD         frontdesk-demo
//   SIM_USERS             frontdesk1,frontdesk2 (the receptionists, in turn per counter)
//   SIM_COUNTERS          3 (how many counters, in name order, the simulator drives)
//   SIM_SPEED             1 (multiplies arrivals and divides every simulated duration)
//   SIM_ARRIVALS_PER_MIN  3 (customers per minute over all services, at SIM_SPEED=1)
//   SIM_TRANSFER_SHARE    0.3 (share of consultations sent on to payment or repair intake)
//   SIM_REPAIRS           on; off: no repair traffic (intake at A, tech1 on the board, pickups at B; most customers
//                         whose repair is ready take their pickup ticket in the kiosk's fast lane, SIM_FASTLANE_SHARE 0.6)
//   SIM_TECH              tech1 (the technician who works the repair board)
//   SIM_HOTLINE           on; off sends no hotline events
//   SIM_HOTLINE_CALLS_PER_MIN  2 (hotline calls per minute at SIM_SPEED=1); SIM_HOTLINE_AGENTS agent1,agent2,agent3
//   HOTLINE_SECRET        demo-hotline-secret (the demo branch's webhook secret)
//   SIM_CALLBACKS         on: agent1 works the callbacks that fall due (promised, abandoned calls, follow-ups), 1-8
//                         minutes after their due time; off leaves them to you
//   SIM_STALE_MINUTES     30: tickets still waiting when the simulator starts that were taken longer ago than this
//                         are cancelled, as a receptionist clears the queue of customers who left (0 keeps them)

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const num = (v, d) => (Number.isFinite(Number(v)) && Number(v) > 0 ? Number(v) : d);

const API = `${(process.env.API_URL || `http://127.0.0.1:${process.env.PORT || 3000}`).replace(/\/$/, '')}/api`;
const DEMO_FILE = process.env.DEMO_FILE || path.join(ROOT, '.data', 'demo.json');
const PASSWORD = process.env.DEMO_PASSWORD || 'frontdesk-demo';
const USERS = (process.env.SIM_USERS || 'frontdesk1,frontdesk2').split(',').map((s) => s.trim()).filter(Boolean);
const FALLBACK_USERS = ['manager', 'admin'];
const COUNTERS = Math.floor(num(process.env.SIM_COUNTERS, 3));
const SPEED = num(process.env.SIM_SPEED, 1);
const ARRIVALS_PER_MIN = num(process.env.SIM_ARRIVALS_PER_MIN, 3);

/** Which services customers come for (DOMAIN.md: A intake, B pickup, C consultation, D payment). */
const MIX = { A: 0.4, B: 0.25, C: 0.25, D: 0.1 };
/**
 * Typical service minutes per service, compressed for a lively demo: at 3 arrivals a minute,
 * three counters are busy most of the time and a queue builds and drains. A real intake takes
 * 5-10 minutes; SIM_SPEED < 1 slows everything down.
 */
const TYPICAL_MINUTES = { A: 1.0, B: 0.5, C: 0.7, D: 0.4 };
/**
 * A demo started again later the same day finds the waits of its last run's customers still growing (the lobby
 * showed 51 minutes' longest wait, in red, until the counters reached them), so they are cancelled at the start.
 */
const STALE_MINUTES = process.env.SIM_STALE_MINUTES === '0' ? 0 : num(process.env.SIM_STALE_MINUTES, 30);
const PRIORITY_SHARE = 0.1;
const PHONE_SHARE = 0.5;
/** Of the customers coming for a ready repair (pickup, B), those who take the kiosk's fast lane with their SMS's code. */
const FASTLANE_SHARE = Math.min(1, num(process.env.SIM_FASTLANE_SHARE, 0.6));
const NO_SHOW_SHARE = 0.05;
const BREAK_SHARE = 0.03;
/**
 * Consultations (C) that end at another desk: the customer is sent on, with the same ticket, to payment (D) or to
 * repair intake (A), and waits there in the place their ticket's time gives them.
 */
const TRANSFER_SHARE = Math.min(1, num(process.env.SIM_TRANSFER_SHARE, 0.3));

// ---------------------------------------------------------------------------------------------
// Small helpers

function log(text) {
  process.stdout.write(`${text}\n`);
}
function warn(text) {
  process.stderr.write(`${text}\n`);
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** Simulated time: divided by SIM_SPEED. */
const simSleep = (seconds) => sleep((seconds * 1000) / SPEED);
const uniform = (a, b) => a + Math.random() * (b - a);
/** One of `[value, share]` pairs, drawn by share (the shares sum to 1). */
function weighted(choices) {
  let r = Math.random();
  for (const [value, share] of choices) if ((r -= share) < 0) return value;
  return choices[choices.length - 1][0];
}
const exponential = (ratePerSecond) => -Math.log(1 - Math.random()) / ratePerSecond;
function normal() {
  const u = 1 - Math.random();
  const v = Math.random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
/** Lognormal with the given median; sigma 0.45 gives a realistic right tail. */
const lognormal = (median, sigma = 0.45) => median * Math.exp(sigma * normal());
function fmtSeconds(s) {
  if (s === null || s === undefined || !Number.isFinite(Number(s))) return '?';
  s = Math.round(Number(s));
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}
function pickService(services) {
  const code = weighted(Object.entries(MIX));
  return services.find((s) => s.code === code) ?? services.find((s) => s.code === 'A');
}
function typicalSeconds(service) {
  if (TYPICAL_MINUTES[service?.code]) return TYPICAL_MINUTES[service.code] * 60;
  const d = Number(service?.defaultServiceSeconds);
  return Number.isFinite(d) && d > 0 ? Math.min(120, Math.max(20, d / 8)) : 45;
}
const errorText = (res) => {
  const d = res.data;
  return `${res.status}${d && typeof d === 'object' && d.message ? ` ${Array.isArray(d.message) ? d.message.join('; ') : d.message}` : ''}`;
};

// ---------------------------------------------------------------------------------------------
// HTTP with retries. A network error, a 5xx or a 429 is retried with backoff until it works
// (the API may be restarting); the same Idempotency-Key is sent each time.

let apiDownSince = null;

class Identity {
  constructor(name, getToken, refresh) {
    this.name = name;
    this.getToken = getToken;
    this.refresh = refresh;
  }
}

async function request(method, urlPath, { as, body } = {}) {
  const key = method === 'GET' ? null : crypto.randomUUID();
  let attempt = 0;
  let refreshed = false;
  for (;;) {
    const headers = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (key) headers['idempotency-key'] = key;
    const token = as ? await as.getToken() : null;
    if (token) headers.authorization = `Bearer ${token}`;
    let res;
    try {
      res = await fetch(API + urlPath, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(15000),
      });
    } catch (err) {
      await backoff(++attempt, err.cause?.code ?? err.name ?? err.message);
      continue;
    }
    if (res.status >= 500 || res.status === 429) {
      const retryAfter = Number(res.headers.get('retry-after'));
      await res.body?.cancel().catch(() => {});
      await backoff(++attempt, `HTTP ${res.status}`, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 0);
      continue;
    }
    if (apiDownSince) {
      log(`API is back after ${fmtSeconds((Date.now() - apiDownSince) / 1000)}`);
      apiDownSince = null;
    }
    const text = await res.text();
    let data = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch {
      data = text;
    }
    if (res.status === 401 && as?.refresh && !refreshed) {
      refreshed = true;
      await as.refresh();
      continue;
    }
    return { status: res.status, data };
  }
}

async function backoff(attempt, why, minMs = 0) {
  if (!apiDownSince) {
    apiDownSince = Date.now();
    warn(`API unreachable (${why}): retrying with backoff`);
  }
  const ms = Math.max(minMs, Math.min(30000, 500 * 2 ** Math.min(attempt, 6)) * uniform(0.7, 1.3));
  await sleep(ms);
}

const get = (p, as) => request('GET', p, { as });
const post = (p, as, body = {}) => request('POST', p, { as, body });

// ---------------------------------------------------------------------------------------------
// Who we are: the kiosk (device token from the seed) and receptionists (logins).

function readDemo() {
  if (process.env.SIM_BRANCH_ID && process.env.SIM_KIOSK_TOKEN) {
    return { branchId: process.env.SIM_BRANCH_ID, kioskToken: process.env.SIM_KIOSK_TOKEN };
  }
  const demo = JSON.parse(fs.readFileSync(DEMO_FILE, 'utf8'));
  if (!demo.branchId || !demo.kioskToken) throw new Error(`${DEMO_FILE} has no branchId/kioskToken`);
  return demo;
}

async function loadDemo() {
  for (let i = 0; ; i++) {
    try {
      return readDemo();
    } catch (err) {
      if (i === 0) warn(`waiting for the demo data (${err.message}); run "npm run seed:demo" if it does not appear`);
      await sleep(5000);
    }
  }
}

function kioskIdentity(demo) {
  let token = demo.kioskToken;
  return new Identity(
    'kiosk',
    () => token,
    async () => {
      // A new seed issues new device tokens: pick up the fresh one from the file.
      try {
        const fresh = readDemo();
        if (fresh.kioskToken !== token) {
          log('kiosk: picked up a new kiosk token from the demo file');
          token = fresh.kioskToken;
          return;
        }
      } catch {
        /* keep the old one */
      }
      warn('kiosk: the kiosk token was refused (401); waiting for a new seed');
      await sleep(10000);
    },
  );
}

const logins = new Map();
function userIdentity(username) {
  if (logins.has(username)) return logins.get(username);
  let token = null;
  let loggingIn = null;
  const login = async () => {
    for (let i = 0; ; i++) {
      const res = await request('POST', '/auth/login', { body: { username, password: PASSWORD } });
      if (res.status === 200 || res.status === 201) {
        token = res.data?.accessToken;
        if (token) return;
      }
      if (i === 0) warn(`${username}: login failed (${errorText(res)}); is DEMO_PASSWORD right? retrying every 30 s`);
      await sleep(30000);
    }
  };
  const ensure = () => {
    if (!loggingIn) loggingIn = login().finally(() => (loggingIn = null));
    return loggingIn;
  };
  const identity = new Identity(
    username,
    async () => {
      if (!token) await ensure();
      return token;
    },
    async () => {
      token = null;
      await ensure();
    },
  );
  logins.set(username, identity);
  return identity;
}

// ---------------------------------------------------------------------------------------------
// The branch as the simulator sees it

const state = {
  branchId: null,
  services: [],
  waitingByService: new Map(),
  recallCooldownSeconds: 30,
  maxRecalls: 2,
  onBreak: 0,
};

async function refreshServices(as) {
  const res = await get(`/branches/${state.branchId}/services`, as);
  if (res.status === 200 && Array.isArray(res.data)) state.services = res.data;
  else warn(`services: ${errorText(res)}`);
}

async function refreshSettings(as) {
  const res = await get('/branches', as);
  const list = Array.isArray(res.data) ? res.data : Array.isArray(res.data?.items) ? res.data.items : [];
  const branch = list.find((b) => b.id === state.branchId);
  const qs = branch?.queueSettings;
  if (qs) {
    if (Number.isFinite(qs.recallCooldownSeconds)) state.recallCooldownSeconds = qs.recallCooldownSeconds;
    if (Number.isFinite(qs.maxRecalls)) state.maxRecalls = qs.maxRecalls;
  }
}

async function refreshQueue(as) {
  const res = await get(`/branches/${state.branchId}/queue`, as);
  if (res.status !== 200 || !Array.isArray(res.data?.services)) return;
  for (const s of res.data.services) state.waitingByService.set(s.serviceId, Number(s.waiting) || 0);
}

/** Cancels the tickets an earlier run left waiting for more than STALE_MINUTES (the API keeps them for the day). */
async function cancelStaleWaiting(as) {
  if (STALE_MINUTES === 0) return;
  const res = await get(`/branches/${state.branchId}/tickets`, as);
  if (res.status !== 200 || !Array.isArray(res.data)) return warn(`stale tickets: cannot list the queue (${errorText(res)})`);
  const takenBefore = Date.now() - STALE_MINUTES * 60_000;
  const stale = res.data.filter((t) => t.status === 'waiting' && Date.parse(t.createdAt) < takenBefore);
  const cancelled = [];
  for (const t of stale) if (await ticketAction(t, { as, label: 'stale tickets' }, 'cancel')) cancelled.push(t.number);
  if (cancelled.length) log(`cancelled ${cancelled.length} ticket(s) left waiting over ${STALE_MINUTES} min by an earlier run: ${cancelled.join(', ')}`);
}

async function every(seconds, fn) {
  for (;;) {
    await sleep(seconds * 1000);
    try {
      await fn();
    } catch (err) {
      warn(`refresh: ${err.message}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Customers arriving at the kiosk

async function arrivals(kiosk) {
  const rate = (ARRIVALS_PER_MIN * SPEED) / 60;
  for (;;) {
    await sleep(exponential(rate) * 1000);
    try {
      await oneArrival(kiosk);
    } catch (err) {
      warn(`kiosk: ${err.message}`);
    }
  }
}

async function oneArrival(kiosk) {
  const service = pickService(state.services);
  if (!service || service.open === false) return;
  // Customers who see a long queue for their service sometimes leave without a ticket.
  const waiting = state.waitingByService.get(service.id) ?? 0;
  if (Math.random() < Math.min(0.85, Math.max(0, (waiting - 6) / 12))) {
    log(`kiosk: a customer for ${service.code} sees ${waiting} waiting and leaves`);
    return;
  }
  if (service.code === 'B' && (await fastLane(kiosk))) return;
  const priority = Math.random() < PRIORITY_SHARE ? 'priority' : 'normal';
  const body = { serviceId: service.id, priority };
  if (Math.random() < PHONE_SHARE) body.phone = `13800138${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}`;
  const res = await post(`/branches/${state.branchId}/tickets`, kiosk, body);
  if (res.status !== 201 && res.status !== 200) {
    warn(`kiosk: ticket for ${service.code} refused (${errorText(res)})`);
    return;
  }
  const t = res.data ?? {};
  const ahead = t.peopleAhead ?? (Number.isFinite(t.position) ? t.position - 1 : '?');
  if (Number.isFinite(Number(ahead))) state.waitingByService.set(service.id, Number(ahead) + 1);
  log(
    `kiosk: ${t.number ?? '?'} taken${priority === 'priority' ? ' (priority)' : ''}${body.phone ? ' with SMS' : ''}, ${ahead} ahead, estimated wait ${fmtSeconds(t.estimatedWaitSeconds)}`,
  );
}

/**
 * The fast-lane ticket a slip's customer holds, if any. One not served within 30 minutes (SIM_SPEED-scaled) is taken
 * as a customer who left (a no-show): the repair may then be handed over at an ordinary pickup ticket.
 */
function fastLaneTicket(slip) {
  return slip.ticketId && Date.now() - slip.ticketAt < (30 * 60_000) / SPEED ? slip.ticketId : null;
}

/**
 * A customer whose repair is ready (the SMS came, with the order number and the pickup code) takes a pickup ticket in
 * the kiosk's fast lane: the ticket names the repair, and the counter that calls it hands that repair over. False when
 * nobody with a ready repair is coming now; they then take an ordinary B ticket.
 */
async function fastLane(kiosk) {
  if (!REPAIRS_ON || Math.random() >= FASTLANE_SHARE) return false;
  const [repairId, slip] = [...repairSlips].find(([, s]) => s.ready && !fastLaneTicket(s)) ?? [];
  if (!slip) return false;
  const res = await post(`/branches/${state.branchId}/tickets/pickup`, kiosk, { orderNo: slip.orderNo, pickupCode: slip.code });
  if (res.status !== 201 && res.status !== 200) {
    warn(`kiosk: fast-lane ticket for ${slip.orderNo} refused (${errorText(res)})`);
    // Collected some other way meanwhile (or no longer ready): the slip is of no more use.
    if (res.status === 409 || res.status === 404) repairSlips.delete(repairId);
    return true;
  }
  slip.ticketId = res.data?.id ?? true;
  slip.ticketAt = Date.now();
  log(`kiosk: ${res.data?.number ?? '?'} taken in the fast lane for repair ${slip.orderNo}`);
  return true;
}

// ---------------------------------------------------------------------------------------------
// A receptionist at one counter

/** "counter 2 (frontdesk2)" whether the counter is named "2", "Counter 2" or "2号窗口". */
function counterLabel(counter, as) {
  const name = String(counter.name ?? counter.id);
  return `${/^\d+$/.test(name) ? `counter ${name}` : name} (${as.name})`;
}

function naturalSort(a, b) {
  return String(a.name ?? '').localeCompare(String(b.name ?? ''), undefined, { numeric: true });
}

async function counterAction(counter, ctx, action, body) {
  return post(`/counters/${counter.id}/${action}`, ctx.as, body);
}

async function ticketAction(ticket, ctx, action) {
  const res = await post(`/tickets/${ticket.id}/${action}`, ctx.as, {});
  if (res.status === 200 || res.status === 201 || res.status === 204) return true;
  warn(`${ctx.label}: ${action} ${ticket.number ?? ticket.id} refused (${errorText(res)}); moving on`);
  return false;
}

/** Opens the counter, trying the other receptionists if this one may not (e.g. busy elsewhere). */
async function openCounter(counter, ctx) {
  const candidates = [ctx.as, ...USERS.map(userIdentity).filter((u) => u !== ctx.as), ...FALLBACK_USERS.map(userIdentity)];
  for (const as of candidates) {
    const res = await post(`/counters/${counter.id}/open`, as, {});
    if (res.status < 300) {
      if (as !== ctx.as) log(`${ctx.label}: ${ctx.as.name} may not open it (${ctx.lastError ?? 'refused'}); ${as.name} takes over`);
      ctx.as = as;
      ctx.label = counterLabel(counter, as);
      return true;
    }
    ctx.lastError = errorText(res);
    if (res.status === 404) break;
  }
  warn(`${ctx.label}: cannot open it (${ctx.lastError}); trying again in a minute`);
  return false;
}

async function serveAndFinish(ticket, service, ctx, { walk = true } = {}) {
  if (walk) await simSleep(uniform(4, 15)); // the customer walks to the counter
  if (ticket.status !== 'serving') {
    if (!(await ticketAction(ticket, ctx, 'serve'))) return;
  }
  const seconds = lognormal(typicalSeconds(service));
  const repairWork = repairAtCounter(ticket, service, ctx, seconds);
  await simSleep(seconds);
  await repairWork;
  if (await ticketAction(ticket, ctx, 'finish')) log(`${ctx.label}: ${ticket.number} finished after ${fmtSeconds(seconds / SPEED)}`);
}

/**
 * A consultation that ends in a transfer: at the counter the customer turns out to need payment or repair intake, so
 * the receptionist sends them on with the same ticket (a called ticket can be transferred, one being served cannot).
 */
async function consultAndSendOn(ticket, service, ctx) {
  await simSleep(uniform(4, 15)); // the customer walks to the counter
  await simSleep(uniform(10, 30)); // and says what they came for
  const to = state.services.find((s) => s.code === (Math.random() < 0.6 ? 'D' : 'A'));
  const res = to ? await post(`/tickets/${ticket.id}/transfer`, ctx.as, { serviceId: to.id }) : null;
  if (res && res.status < 300) {
    log(`${ctx.label}: ${ticket.number} sent on to ${to.code}`);
    return;
  }
  if (res) warn(`${ctx.label}: transfer of ${ticket.number} refused (${errorText(res)}); serving it here`);
  await serveAndFinish(ticket, service, ctx, { walk: false });
}

/**
 * The customer does not come: recall them (as often as the branch's rules want before a
 * no-show is allowed), waiting the recall cooldown each time, then mark a no-show. A 409 is
 * logged and handled: one more recall and try, and if still refused the customer turns up.
 */
async function noShow(ticket, ctx) {
  const cooldownMs = (state.recallCooldownSeconds + 1) * 1000;
  await sleep(cooldownMs);
  const recall = async () => {
    const res = await post(`/tickets/${ticket.id}/recall`, ctx.as, {});
    if (res.status < 300) log(`${ctx.label}: ${ticket.number} recalled (nobody came)`);
    else log(`${ctx.label}: recall of ${ticket.number} refused (${errorText(res)})`);
    await sleep(cooldownMs);
    return res.status < 300;
  };
  for (let i = 0; i < state.maxRecalls; i++) if (!(await recall())) break;
  for (let attempt = 0; attempt < 2; attempt++) {
    const res = await post(`/tickets/${ticket.id}/no-show`, ctx.as, {});
    if (res.status < 300) {
      log(`${ctx.label}: ${ticket.number} marked no-show`);
      return;
    }
    log(`${ctx.label}: no-show of ${ticket.number} refused (${errorText(res)})`);
    if (res.status !== 409 || attempt === 1) break;
    await recall();
  }
  log(`${ctx.label}: ${ticket.number} turns up late after all`);
  await serveAndFinish(ticket, null, ctx, { walk: false });
}

async function takeBreak(counter, ctx) {
  state.onBreak += 1;
  try {
    const res = await counterAction(counter, ctx, 'pause', { reason: 'break' });
    if (res.status >= 300) {
      warn(`${ctx.label}: pause refused (${errorText(res)})`);
      return;
    }
    const seconds = lognormal(120);
    log(`${ctx.label}: on a break for ${fmtSeconds(seconds / SPEED)}`);
    await simSleep(seconds);
    if (await openCounter(counter, ctx)) log(`${ctx.label}: back from the break`);
  } finally {
    state.onBreak -= 1;
  }
}

/** Set once the simulator is asked to stop: no counter calls anybody after that. */
let stopping = false;
/** The counters the simulator works, each with its receptionist (ctx.as changes when another one takes over). */
const counterCtx = new Map();

/**
 * When the demo stops, the receptionists finish the customer being served, cancel one only called, and close their
 * counters. A ticket left in service was finished by the next run with the whole pause as its service time: a
 * consultation of 50.5 minutes put the manager's staffing table at 13.1 minutes a consultation.
 */
async function closeCounters() {
  const [first] = counterCtx.values();
  if (!first) return;
  const res = await get(`/branches/${state.branchId}/counters`, first.as);
  if (res.status !== 200 || !Array.isArray(res.data)) return warn(`closing the counters: ${errorText(res)}`);
  await Promise.all(
    res.data
      .filter((c) => counterCtx.has(c.id))
      .map(async (c) => {
        const ctx = counterCtx.get(c.id);
        const t = c.ticket;
        if (t?.status === 'serving' && (await ticketAction(t, ctx, 'finish'))) log(`${ctx.label}: ${t.number} finished (stopping)`);
        else if (t?.status === 'called' && (await ticketAction(t, ctx, 'cancel'))) log(`${ctx.label}: ${t.number} cancelled (stopping)`);
        if (c.status !== 'closed') {
          const closed = await counterAction(c, ctx, 'close', {});
          if (closed.status < 300) log(`${ctx.label}: closed`);
          else warn(`${ctx.label}: close refused (${errorText(closed)})`);
        }
      }),
  );
}

async function runCounter(counter, as) {
  const ctx = { as, label: counterLabel(counter, as), lastError: null };
  counterCtx.set(counter.id, ctx);
  // Whatever an earlier run left at this counter is finished first.
  const left = counter.ticket;
  if (left?.id && (left.status === 'called' || left.status === 'serving')) {
    log(`${ctx.label}: finishing ${left.number ?? left.id} left from before`);
    await serveAndFinish(left, state.services.find((s) => s.id === left.serviceId), ctx, { walk: false });
  }
  while (!(await openCounter(counter, ctx))) await sleep(60000);
  log(`${ctx.label}: open`);

  while (!stopping) {
    try {
      const res = await counterAction(counter, ctx, 'call-next', {});
      if (res.status === 204 || (res.status === 200 && !res.data)) {
        await sleep(Math.max(1000, 5000 / SPEED) * uniform(0.8, 1.2));
        continue;
      }
      if (res.status === 200 || res.status === 201) {
        const ticket = res.data.ticket ?? res.data;
        const service = state.services.find((s) => s.id === ticket.serviceId);
        log(`${ctx.label}: calls ${ticket.number}${ticket.priority === 'priority' ? ' (priority)' : ''}`);
        if (Math.random() < NO_SHOW_SHARE) await noShow(ticket, ctx);
        else if (service?.code === 'C' && Math.random() < TRANSFER_SHARE) await consultAndSendOn(ticket, service, ctx);
        else await serveAndFinish(ticket, service, ctx);
        if (Math.random() < BREAK_SHARE && state.onBreak === 0) await takeBreak(counter, ctx);
        continue;
      }
      if (res.status === 401 || res.status === 403 || res.status === 409) {
        // Paused or closed by a person, or someone else took the counter: open it again.
        warn(`${ctx.label}: call-next refused (${errorText(res)}); reopening`);
        await sleep(10000);
        await openCounter(counter, ctx);
        continue;
      }
      warn(`${ctx.label}: call-next: ${errorText(res)}`);
      await sleep(15000);
    } catch (err) {
      warn(`${ctx.label}: ${err.message}`);
      await sleep(5000);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The hotline: a telephone system sending signed events to POST /api/hotline/events

const HOTLINE_ON = process.env.SIM_HOTLINE !== 'off';
const HOTLINE_SECRET = process.env.HOTLINE_SECRET || 'demo-hotline-secret';
const HOTLINE_CALLS_PER_MIN = num(process.env.SIM_HOTLINE_CALLS_PER_MIN, 2);
const HOTLINE_AGENTS = (process.env.SIM_HOTLINE_AGENTS || 'agent1,agent2,agent3').split(',').map((s) => s.trim()).filter(Boolean);
/** Queues and their share of calls; handling and patience medians in seconds, compressed like the lobby's. */
const HOTLINE_QUEUES = { repair: 0.7, sales: 0.3 };
const HOTLINE_TALK_MEDIAN = 50;
const HOTLINE_WRAP_SECONDS = 10;
const HOTLINE_PATIENCE_MEDIAN = 45;

const hotline = { run: crypto.randomBytes(3).toString('hex'), n: 0, outbox: [], waiting: [], agents: new Map() };

function hotlineEvent(type, fields) {
  hotline.outbox.push({ id: `sim-${hotline.run}-${++hotline.n}`, type, at: new Date().toISOString(), ...fields });
}

function setAgent(agentId, state) {
  hotline.agents.set(agentId, state);
  hotlineEvent('agent_state', { agentId, state });
}

/** Sends what the "telephone system" produced, signed; a failed batch is re-sent (same event ids) until accepted. */
async function hotlineSender(branchId) {
  let attempt = 0;
  for (;;) {
    await sleep(500);
    if (hotline.outbox.length === 0) continue;
    const events = hotline.outbox.slice(0, 200);
    const raw = JSON.stringify({ branchId, events });
    const ts = String(Math.floor(Date.now() / 1000));
    const signature = `sha256=${crypto.createHmac('sha256', HOTLINE_SECRET).update(`${ts}.${raw}`).digest('hex')}`;
    try {
      const res = await fetch(`${API}/hotline/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-timestamp': ts, 'x-signature': signature },
        body: raw,
        signal: AbortSignal.timeout(15000),
      });
      const text = await res.text();
      if (res.status >= 500 || res.status === 429) throw new Error(`HTTP ${res.status}`);
      hotline.outbox.splice(0, events.length);
      attempt = 0;
      if (res.status !== 202) warn(`hotline: ${events.length} events refused (${res.status} ${text.slice(0, 200)})`);
    } catch (err) {
      await backoff(++attempt, `hotline: ${err.cause?.code ?? err.message}`);
    }
  }
}

async function hotlineArrivals() {
  const queues = Object.entries(HOTLINE_QUEUES);
  for (;;) {
    await sleep(exponential((HOTLINE_CALLS_PER_MIN * SPEED) / 60) * 1000);
    let r = Math.random();
    const queue = (queues.find(([, share]) => (r -= share) < 0) ?? queues[0])[0];
    const callId = `sim-${hotline.run}-call-${hotline.n + 1}`;
    // Most callers show their number; a few of them call again and again (the same small pool).
    const callerNumber = Math.random() < 0.85 ? `139${String(Math.floor(Math.random() * 300)).padStart(8, '0')}` : undefined;
    hotlineEvent('call_queued', { callId, queue, ...(callerNumber ? { callerNumber } : {}) });
    hotline.waiting.push({ callId, queue, givesUpAt: Date.now() + (lognormal(HOTLINE_PATIENCE_MEDIAN, 0.7) * 1000) / SPEED });
  }
}

/** Every quarter second: callers out of patience hang up; free agents take the longest waiting call. */
async function hotlineSwitchboard() {
  for (const agentId of HOTLINE_AGENTS) setAgent(agentId, 'available');
  for (;;) {
    await sleep(250);
    const now = Date.now();
    for (const call of hotline.waiting.filter((c) => c.givesUpAt <= now)) {
      hotline.waiting.splice(hotline.waiting.indexOf(call), 1);
      hotlineEvent('call_abandoned', { callId: call.callId, queue: call.queue });
      hotlineEvent('call_ended', { callId: call.callId, queue: call.queue });
    }
    for (const agentId of HOTLINE_AGENTS) {
      if (hotline.agents.get(agentId) !== 'available') continue;
      // Now and then an agent takes a short break.
      if (Math.random() < 0.002 * SPEED) {
        setAgent(agentId, 'paused');
        setTimeout(() => setAgent(agentId, 'available'), (uniform(60, 180) * 1000) / SPEED);
        continue;
      }
      const call = hotline.waiting.shift();
      if (!call) continue;
      hotlineEvent('call_answered', { callId: call.callId, queue: call.queue, agentId });
      setAgent(agentId, 'on_call');
      setTimeout(() => {
        hotlineEvent('call_ended', { callId: call.callId, queue: call.queue, agentId });
        setAgent(agentId, 'wrap_up');
        setTimeout(() => setAgent(agentId, 'available'), (HOTLINE_WRAP_SECONDS * 1000) / SPEED);
      }, (lognormal(HOTLINE_TALK_MEDIAN) * 1000) / SPEED);
    }
  }
}

// The callback desk: without it every abandoned call's callback and every follow-up went overdue, and the manager
// view showed a callback on-time rate of 0 %, in red.
const CALLBACKS_ON = (process.env.SIM_CALLBACKS || 'on') !== 'off';
const CALLBACK_AGENT = 'agent1';
/** How calls back end (CONTRACT.md outcomes); unreachable ones come back the next working day. */
const CALLBACK_OUTCOMES = [
  ['reached_satisfied', 0.75],
  ['reached_unsatisfied', 0.08],
  ['unreachable', 0.15],
  ['wrong_number', 0.02],
];

async function callbackDesk(branchId) {
  const agent = userIdentity(CALLBACK_AGENT);
  /** When (ms after its due time) each listed callback is called back: it stays on the hotline console a while. */
  const callAfter = new Map();
  for (;;) {
    // Each non-empty list is a customer-data view in the audit log, so the desk looks once a minute (at SIM_SPEED=1).
    await simSleep(60);
    try {
      await workCallbacks(branchId, agent, callAfter);
    } catch (err) {
      warn(`callback desk: ${err.message}`);
    }
  }
}

/** Calls back each due or overdue callback once its moment (callAfter) has come, with an outcome drawn at random. */
async function workCallbacks(branchId, agent, callAfter) {
  const listed = new Set();
  for (const status of ['due', 'overdue']) {
    const res = await get(`/callbacks?branchId=${branchId}&status=${status}`, agent);
    if (res.status !== 200 || !Array.isArray(res.data)) {
      warn(`callback desk: ${status} list: ${errorText(res)}`);
      continue;
    }
    for (const c of res.data) {
      listed.add(c.id);
      if (!callAfter.has(c.id)) callAfter.set(c.id, (uniform(1, 8) * 60_000) / SPEED);
      if (Date.now() - Date.parse(c.dueAt) < callAfter.get(c.id)) continue;
      const outcome = weighted(CALLBACK_OUTCOMES);
      const done = await post(`/callbacks/${c.id}/complete`, agent, { outcome, note: 'demo: called back by the simulator' });
      if (done.status === 200) {
        callAfter.delete(c.id);
        log(`callback desk (${CALLBACK_AGENT}): ${c.reason} callback, ${outcome}`);
      } else warn(`callback desk: complete: ${errorText(done)}`);
    }
  }
  // Those a person called back (or that were moved to a later day) are forgotten.
  for (const id of callAfter.keys()) if (!listed.has(id)) callAfter.delete(id);
}

function startHotline(branchId) {
  if (!HOTLINE_ON) return;
  log(`hotline: ${HOTLINE_CALLS_PER_MIN * SPEED} calls/min into ${Object.keys(HOTLINE_QUEUES).join('/')}, agents ${HOTLINE_AGENTS.join(', ')} (SIM_HOTLINE=off to stop)`);
  for (const task of [hotlineSender(branchId), hotlineArrivals(), hotlineSwitchboard()]) {
    task.catch((err) => warn(`hotline: ${err.stack || err.message}`));
  }
}

// ---------------------------------------------------------------------------------------------
// Repair traffic (issue 3): a receptionist serving an A ticket takes a repair in from it, the
// technician moves repairs along the board (diagnosis, quote for paid work, repair, QA, ready),
// and a receptionist serving a B ticket hands a ready repair over against its pickup code.

const REPAIRS_ON = (process.env.SIM_REPAIRS || 'on') !== 'off';
const TECH = process.env.SIM_TECH || 'tech1';
const DEVICES = [
  ['Huawei', 'Mate 60'],
  ['Huawei', 'P60'],
  ['Xiaomi', '14'],
  ['Apple', 'iPhone 15'],
  ['OPPO', 'Find X7'],
  ['vivo', 'X100'],
  ['Honor', 'Magic6'],
];
const FAULTS = ['屏幕闪烁', '无法充电', 'battery drains fast', '听筒无声音', 'camera will not focus', '手机进水后无法开机', '摔坏屏幕', 'restarts by itself'];
const ACCESSORIES = [[], ['charger'], ['case'], ['charger', 'cable']];
/** Pickup codes of the repairs this simulator took in: the customer keeps the slip. */
const repairSlips = new Map();
const recentImeis = [];

function luhnImei() {
  let digits = '86';
  while (digits.length < 14) digits += Math.floor(Math.random() * 10);
  let sum = 0;
  for (let i = 0; i < 14; i++) {
    let d = Number(digits[i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return digits + ((10 - (sum % 10)) % 10);
}

const pick = (list) => list[Math.floor(Math.random() * list.length)];

/** Runs beside the service time of an A or B ticket; whatever it does is logged, never thrown. */
async function repairAtCounter(ticket, service, ctx, seconds) {
  if (!REPAIRS_ON || !service) return;
  try {
    await simSleep(seconds * 0.5);
    if (service.code === 'A') await repairIntake(ticket, ctx);
    else if (service.code === 'B') await repairPickup(ticket, ctx);
  } catch (err) {
    warn(`${ctx.label}: repair: ${err.message}`);
  }
}

async function repairIntake(ticket, ctx) {
  // Now and then the same phone comes back: a repeat repair the manager hears about.
  const imei = recentImeis.length && Math.random() < 0.05 ? pick(recentImeis) : luhnImei();
  const [brand, model] = pick(DEVICES);
  const purchasedDaysAgo = Math.floor(uniform(1, 900));
  const body = {
    customer: {
      name: pick(['陈', '李', '王', '张', '刘', '杨']) + pick(['明', '丽', '强', '芳', '伟', '静']),
      phone: `13${Math.floor(uniform(5, 10))}${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`,
    },
    device: { brand, model, imei },
    fault: pick(FAULTS),
    accessories: pick(ACCESSORIES),
    purchaseDate: new Date(Date.now() - purchasedDaysAgo * 86400_000).toISOString().slice(0, 10),
    ticketId: ticket.id,
    notify: Math.random() < 0.7 ? 'sms' : 'none',
  };
  const res = await post(`/branches/${state.branchId}/repairs`, ctx.as, body);
  if (res.status !== 201) {
    warn(`${ctx.label}: repair intake from ${ticket.number} refused (${errorText(res)})`);
    return;
  }
  repairSlips.set(res.data.id, { code: res.data.pickupCode, orderNo: res.data.orderNo, ready: false, ticketId: null, ticketAt: 0 });
  recentImeis.push(imei);
  if (recentImeis.length > 50) recentImeis.shift();
  log(`${ctx.label}: ${ticket.number} → repair ${res.data.orderNo} (${res.data.warranty.status}${res.data.repeatOf ? `, repeat of ${res.data.repeatOf.orderNo}` : ''})`);
}

/**
 * The receptionist serving a pickup ticket hands a ready repair over against its slip's code: the repair the ticket
 * was taken for in the fast lane, or else one whose customer did not take the fast lane.
 */
async function repairPickup(ticket, ctx) {
  const res = await get(`/repairs?branchId=${state.branchId}&status=ready_for_pickup&pageSize=50`, ctx.as);
  if (res.status !== 200) return;
  const ready = ticket.repairId
    ? res.data.items.find((r) => r.id === ticket.repairId && repairSlips.has(r.id))
    : res.data.items.find((r) => repairSlips.has(r.id) && !fastLaneTicket(repairSlips.get(r.id)) && !r.pickup.locked);
  if (!ready) return;
  const payment = ready.quote?.decision === 'approved' ? { amount: ready.quote.amount, currency: ready.quote.currency, method: pick(['wechat', 'alipay', 'card', 'cash']) } : undefined;
  const done = await post(`/repairs/${ready.id}/pickup`, ctx.as, { pickupCode: repairSlips.get(ready.id).code, ...(payment ? { payment } : {}) });
  if (done.status !== 200) {
    warn(`${ctx.label}: pickup of ${ready.orderNo} refused (${errorText(done)})`);
    return;
  }
  repairSlips.delete(ready.id);
  log(`${ctx.label}: ${ready.orderNo} picked up${ticket.repairId ? ' (fast lane)' : ''}${payment ? ` (paid ${payment.amount / 100} ${payment.currency})` : ''}`);
  if (Math.random() < 0.6) await post(`/repairs/${ready.id}/survey`, ctx.as, { score: pick([5, 5, 5, 4, 4, 3, 2]) });
}

/** One step of the technician's (or, for QA and the customer's answer, the front desk's) work on one repair. */
async function repairStep(r, tech, techId, desk) {
  const move = (as, body) => post(`/repairs/${r.id}/transition`, as, body);
  const chargeable = r.warranty.status === 'out_of_warranty' || r.warranty.status === 'void';
  switch (r.status) {
    case 'received':
      return move(tech, { to: 'diagnosing', ...(techId ? { technicianId: techId } : {}) });
    case 'diagnosing':
      if (!chargeable) return move(tech, { to: Math.random() < 0.15 ? 'awaiting_parts' : 'repairing', note: 'diagnosed' });
      return move(tech, { to: 'awaiting_approval', quote: { amount: Math.round(uniform(80, 900)) * 100, currency: 'CNY' }, note: 'parts + labour' });
    case 'awaiting_approval':
      return post(`/repairs/${r.id}/quote-decision`, desk, Math.random() < 0.85 ? { decision: 'approved', note: 'customer agreed by phone' } : { decision: 'refused', note: 'too expensive' });
    case 'awaiting_parts':
      return move(tech, { to: 'repairing', note: 'parts arrived' });
    case 'repairing':
      return move(tech, { to: 'qa' });
    case 'qa':
      return Math.random() < 0.1 ? move(desk, { to: 'repairing', note: 'QA failed: retest' }) : move(desk, { to: 'ready_for_pickup', note: 'QA passed' });
    default:
      return null;
  }
}

async function runTechnician() {
  const tech = userIdentity(TECH);
  const desk = userIdentity(USERS[0] ?? 'frontdesk1');
  const me = await get('/auth/me', tech);
  const techId = me.status === 200 ? me.data.id : null;
  log(`${TECH}: working the repair board`);
  for (;;) {
    await simSleep(uniform(15, 30));
    try {
      const res = await get(`/repairs?branchId=${state.branchId}&pageSize=100`, tech);
      if (res.status !== 200) {
        warn(`${TECH}: cannot list repairs (${errorText(res)})`);
        continue;
      }
      // One or two repairs per round, oldest promise first, so the board moves without emptying at once.
      const work = res.data.items.filter((r) => r.status !== 'ready_for_pickup').slice(0, 2);
      for (const r of work) {
        const step = await repairStep(r, tech, techId, desk);
        if (step && step.status >= 300) warn(`${TECH}: ${r.orderNo} ${r.status}: ${errorText(step)}`);
        else if (step) {
          log(`${TECH}: ${r.orderNo} ${r.status} → ${step.data.status}`);
          // The customer's SMS (or a call) says it is ready: from now on they may come for it.
          if (step.data.status === 'ready_for_pickup' && repairSlips.has(r.id)) repairSlips.get(r.id).ready = true;
        }
      }
    } catch (err) {
      warn(`${TECH}: ${err.message}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------

async function main() {
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => {
      if (stopping) return; // already closing: it exits within 2.5 s whatever happens
      stopping = true;
      log('stopping: the receptionists finish their customers and close their counters');
      // start.mjs waits 3 s for the simulator before it stops the api.
      Promise.race([closeCounters().catch((err) => warn(`closing the counters: ${err.message}`)), sleep(2500)]).finally(() => process.exit(0));
    });
  }
  const demo = await loadDemo();
  state.branchId = demo.branchId;
  const kiosk = kioskIdentity(demo);
  const staff = userIdentity(USERS[0] ?? 'frontdesk1');

  await refreshServices(kiosk);
  await refreshSettings(staff).catch(() => {});
  const countersRes = await get(`/branches/${state.branchId}/counters`, staff);
  if (countersRes.status !== 200 || !Array.isArray(countersRes.data)) throw new Error(`cannot list counters (${errorText(countersRes)})`);
  const counters = [...countersRes.data].sort(naturalSort).slice(0, COUNTERS);
  log(
    `simulating ${ARRIVALS_PER_MIN * SPEED} arrivals/min over ${state.services.map((s) => s.code).join('/') || 'no services'}, ` +
      `counters ${counters.map((c) => c.name).join(', ')} driven by ${USERS.join(', ')} (SIM_SPEED=${SPEED})`,
  );

  await cancelStaleWaiting(staff).catch((err) => warn(`stale tickets: ${err.message}`));
  void every(60, () => refreshServices(kiosk));
  void every(15, () => refreshQueue(staff));
  await refreshQueue(staff).catch(() => {});
  counters.forEach((counter, i) => void runCounter(counter, userIdentity(USERS[i % USERS.length] ?? 'frontdesk1')));
  if (REPAIRS_ON) void runTechnician();
  startHotline(state.branchId);
  if (CALLBACKS_ON) callbackDesk(state.branchId).catch((err) => warn(`callback desk: ${err.stack || err.message}`));
  await arrivals(kiosk);
}

main().catch((err) => {
  warn(`simulator: ${err.stack || err.message}`);
  process.exit(1);
});
