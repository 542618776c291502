#!/usr/bin/env node
// `npm start`: the whole product on this machine, with demo data and simulated lobby traffic.
//   install what is missing → find/start Postgres and Redis → database "frontdesk" → build →
//   migrate → seed the demo branch → api + worker (+ simulator) → wait for /api/health → URLs.
// `npm run seed:demo` (= --seed-only) stops after the seed.
// Ctrl-C stops everything (children first, then any Postgres/Redis we started) and exits 0.
// If the api or the worker dies, everything stops with exit code 1; the simulator is only
// restarted. Env: see README.md ("Configuration").

import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {
  createLogger,
  DATA_DIR,
  ensureDatabase,
  ensureInfra,
  ensureInstalled,
  InfraError,
  paint,
  ROOT,
  safeUrl,
  withDatabase,
} from './infra.mjs';

process.env.NX_DAEMON = 'false';
process.env.NX_TUI = 'false';
process.env.NX_NO_CLOUD = 'true';

const args = process.argv.slice(2);
const SEED_ONLY = args.includes('--seed-only');
const PORT = Number(process.env.PORT || 3000);
const PUBLIC_URL = (process.env.PUBLIC_URL || `http://localhost:${PORT}`).replace(/\/$/, '');
const DEMO_PASSWORD = process.env.DEMO_PASSWORD || 'frontdesk-demo';
const HOTLINE_SECRET = process.env.HOTLINE_SECRET || 'demo-hotline-secret';
const SEED_OUTPUT = path.join(DATA_DIR, 'demo.json');
// Past days of lobby, hotline, repair and callback traffic made up for a new demo database
// (apps/api/src/database/seed/demo-history.ts), so the manager view has last week to compare with; 0 leaves the past
// empty. A database with events keeps its own.
const DEMO_HISTORY_DAYS = process.env.DEMO_HISTORY_DAYS ?? '28';
const SIMULATOR_ON = !['off', '0', 'false', 'no'].includes(String(process.env.SIMULATOR ?? 'on').toLowerCase());
const HEALTH_TIMEOUT_S = Number(process.env.FDL_HEALTH_TIMEOUT) > 0 ? Number(process.env.FDL_HEALTH_TIMEOUT) : 120;
const SIMULATOR_RESTART_MS = 5000;

const log = createLogger('start', 'cyan');

let infra = null;
let shuttingDown = false;
let firstSignalAt = 0;
const children = new Map(); // name → { child, critical }
let simulatorTimer = null;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------
// Child processes with prefixed output. Each runs in its own process group, so a Ctrl-C in the
// terminal reaches only this script, which then stops them in order.

const LEVELS = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const LEVEL_COLORS = { WARN: 'yellow', ERROR: 'red', FATAL: 'red', DEBUG: 'gray', TRACE: 'gray' };

const VERBOSE = process.env.FDL_VERBOSE_LOGS === '1';
/** Nest's start-up inventory: dozens of lines per start that say nothing went wrong. */
const QUIET_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'WebSocketsController']);

/**
 * Pino's JSON lines made readable; anything else passes through. Returns null for lines not
 * worth a person's attention in a demo: successful access logs (the simulator makes several
 * requests a second) and Nest's module inventory. FDL_VERBOSE_LOGS=1 shows them;
 * FDL_RAW_LOGS=1 shows the JSON as it is.
 */
function formatLine(line) {
  if (process.env.FDL_RAW_LOGS === '1' || line[0] !== '{') return line;
  let o;
  try {
    o = JSON.parse(line);
  } catch {
    return line;
  }
  if (typeof o !== 'object' || o === null || !('level' in o) || !('msg' in o)) return line;
  const level = LEVELS[o.level] ?? String(o.level).toUpperCase();
  if (!VERBOSE && o.level <= 30 && (QUIET_CONTEXTS.has(o.context) || (o.req && o.res && o.res.statusCode < 400))) return null;
  const parts = [paint(level.padEnd(5), LEVEL_COLORS[level] ?? 'green')];
  if (o.context) parts.push(paint(`[${o.context}]`, 'gray'));
  parts.push(String(o.msg));
  if (o.req?.method) parts.push(`${o.req.method} ${o.req.url}${o.res?.statusCode ? ` → ${o.res.statusCode}` : ''}${o.responseTime !== undefined ? ` ${o.responseTime} ms` : ''}`);
  const err = o.err ?? o.error;
  if (err?.message && !String(o.msg).includes(err.message)) parts.push(paint(err.message, 'red'));
  if (err?.stack && (level === 'ERROR' || level === 'FATAL')) parts.push(`\n${err.stack}`);
  return parts.join(' ');
}

function pipeLines(stream, out, prefix) {
  let buf = '';
  const emit = (line) => {
    const text = formatLine(line.replace(/\r$/, ''));
    if (text === null) return;
    for (const l of text.split('\n')) out.write(`${prefix} ${l}\n`);
  };
  stream.on('data', (chunk) => {
    buf += chunk.toString();
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      emit(buf.slice(0, i));
      buf = buf.slice(i + 1);
    }
  });
  stream.on('end', () => buf && emit(buf));
}

function spawnPrefixed(name, color, command, argv, env) {
  const prefix = paint(`[${name}]`.padEnd(9), color);
  const child = spawn(command, argv, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  pipeLines(child.stdout, process.stdout, prefix);
  pipeLines(child.stderr, process.stderr, prefix);
  return child;
}

function signalGroup(child, signal) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

// If this script dies without its shutdown (an uncaught error), take the children with it.
process.on('exit', () => {
  for (const { child } of children.values()) signalGroup(child, 'SIGTERM');
});

/** Runs one step to completion (build, migrate, seed); throws with the step's name when it fails. */
function runStep(name, command, argv, env) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawnPrefixed(name, 'gray', command, argv, env);
    children.set(name, { child, critical: false, step: true });
    child.on('error', (err) => reject(new Error(`${name}: could not run ${command}: ${err.message}`)));
    child.on('close', (code, signal) => {
      children.delete(name);
      if (shuttingDown) return resolve(false);
      if (code === 0) {
        log(`${name} done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        resolve(true);
      } else reject(new Error(`${name} failed (${signal ? `signal ${signal}` : `exit code ${code}`}); see the [${name}] lines above`));
    });
  });
}

/** Starts a long-running service. If it exits on its own, a critical one (api, worker) stops everything; the simulator is restarted. */
function startService(name, color, argv, env, critical) {
  const child = spawnPrefixed(name, color, process.execPath, argv, env);
  children.set(name, { child, critical });
  child.on('error', (err) => log.error(`${name}: ${err.message}`));
  child.on('exit', (code, signal) => {
    if (children.get(name)?.child === child) children.delete(name);
    if (shuttingDown) return;
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    if (critical) {
      log.error(`${name} ${how}: stopping everything`);
      void shutdown(1);
    } else {
      log.warn(`${name} ${how}: restarting it in ${SIMULATOR_RESTART_MS / 1000} s`);
      simulatorTimer = setTimeout(() => {
        simulatorTimer = null;
        if (!shuttingDown) startService(name, color, argv, env, critical);
      }, SIMULATOR_RESTART_MS);
    }
  });
  return child;
}

async function shutdown(code) {
  if (shuttingDown) return;
  shuttingDown = true;
  if (simulatorTimer) clearTimeout(simulatorTimer);
  const running = [...children.entries()];
  if (running.length) log(`stopping ${running.map(([n]) => n).join(', ')} ...`);
  // The simulator first (it only talks to the api), then the api and the worker together.
  const order = running.sort(([a], [b]) => (a === 'sim' ? -1 : b === 'sim' ? 1 : 0));
  for (const [name, { child }] of order) {
    signalGroup(child, 'SIGTERM');
    if (name === 'sim') await waitExit(child, 3000);
  }
  await Promise.all(
    order.map(async ([name, { child }]) => {
      if (!(await waitExit(child, 10000))) {
        log.warn(`${name} did not stop within 10 s: killing it`);
        signalGroup(child, 'SIGKILL');
        await waitExit(child, 3000);
      }
    }),
  );
  if (infra) {
    await infra.stop().catch((err) => log.warn(`stopping Postgres/Redis: ${err.message}`));
    infra = null;
  }
  log(code === 0 ? 'stopped' : `stopped (exit code ${code})`);
  process.exit(code);
}

function waitExit(child, ms) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(t);
      resolve(true);
    });
  });
}

function onSignal(signal) {
  // npm forwards the terminal's SIGINT to us as well, so one Ctrl-C arrives twice: only a
  // signal more than 3 s after the first one means "stop now".
  const now = Date.now();
  if (!shuttingDown) {
    firstSignalAt = now;
    log(`${signal}: stopping`);
    void shutdown(0);
    return;
  }
  if (now - firstSignalAt < 3000) return;
  log.warn(`${signal} again: killing everything now`);
  for (const { child } of children.values()) signalGroup(child, 'SIGKILL');
  const stopping = infra ? infra.stop() : Promise.resolve();
  stopping.finally(() => process.exit(130));
}
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
process.on('SIGHUP', onSignal);

/**
 * Ctrl-C read as a key instead of a signal. npm runs this script through `sh -c`, and Debian's
 * sh (dash) exits with 130 after its child got the terminal's SIGINT, even when the child
 * stopped cleanly with 0: npm start would then report a failure on every Ctrl-C. With the
 * terminal in raw mode, Ctrl-C sends no signal to anyone; we see the key and stop as for
 * SIGINT, then exit 0, and so do sh and npm. Only when we are the terminal's foreground job
 * (changing the mode from the background would stop us with SIGTTOU), and only on Linux.
 */
function catchCtrlCKey() {
  if (!process.stdin.isTTY || typeof process.stdin.setRawMode !== 'function') return;
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    const [, , pgrp, , , tpgid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (pgrp !== tpgid) return;
  } catch {
    return;
  }
  process.stdin.setRawMode(true);
  process.stdin.on('data', (buf) => {
    if (buf.includes(0x03)) onSignal('Ctrl-C');
  });
  process.stdin.resume();
  process.on('exit', () => {
    try {
      process.stdin.setRawMode(false);
    } catch {
      /* the terminal is gone */
    }
  });
}

/**
 * `kill <npm pid>` (or a service manager stopping npm) makes npm forward SIGTERM to its `sh -c`,
 * which dies of it without passing it on: we would run on as an orphan. So our parent going
 * away counts as SIGTERM.
 */
function watchParent() {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) onSignal('parent exited');
  }, 1000).unref();
}

// ---------------------------------------------------------------------------------------------

function portAnswers(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

/** A JWT secret that survives restarts (so logins do too) without a shared default. */
function jwtSecret() {
  if (process.env.JWT_SECRET) return process.env.JWT_SECRET;
  const file = path.join(DATA_DIR, 'jwt-secret');
  try {
    const s = fs.readFileSync(file, 'utf8').trim();
    if (s.length >= 32) return s;
  } catch {
    /* first start */
  }
  const s = crypto.randomBytes(32).toString('hex');
  fs.mkdirSync(DATA_DIR, { recursive: true });
  fs.writeFileSync(file, `${s}\n`, { mode: 0o600 });
  return s;
}

function requireBuilt(files) {
  const missing = files.filter((f) => !fs.existsSync(path.join(ROOT, f)));
  if (missing.length) {
    throw new Error(`the build did not produce ${missing.join(', ')}: check the [build] output above (npx nx run-many -t build)`);
  }
}

function readDemo() {
  try {
    return JSON.parse(fs.readFileSync(SEED_OUTPUT, 'utf8'));
  } catch (err) {
    throw new Error(`the seed did not write ${path.relative(ROOT, SEED_OUTPUT)} (${err.message})`);
  }
}

async function waitForHealth(url) {
  const deadline = Date.now() + HEALTH_TIMEOUT_S * 1000;
  let last = 'no answer yet';
  let lastReport = Date.now();
  while (Date.now() < deadline) {
    if (shuttingDown) return false;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
      const body = await res.text();
      if (res.ok) return true;
      last = `HTTP ${res.status} ${body.slice(0, 300)}`;
    } catch (err) {
      last = err.cause?.code ?? err.message;
    }
    if (Date.now() - lastReport > 15000) {
      log(`waiting for ${url} (${last})`);
      lastReport = Date.now();
    }
    await sleep(500);
  }
  throw new Error(`${url} did not answer 200 within ${HEALTH_TIMEOUT_S} s (last: ${last})`);
}

/** One ticket for the "track a ticket" example, issued as the kiosk would. */
async function exampleTicket(demo) {
  try {
    const headers = { authorization: `Bearer ${demo.kioskToken}`, 'content-type': 'application/json' };
    const base = `http://127.0.0.1:${PORT}/api`;
    const services = await (await fetch(`${base}/branches/${demo.branchId}/services`, { headers })).json();
    const service = services.find((s) => s.code === 'A' && s.open) ?? services.find((s) => s.open);
    if (!service) return null;
    const res = await fetch(`${base}/branches/${demo.branchId}/tickets`, {
      method: 'POST',
      headers: { ...headers, 'idempotency-key': crypto.randomUUID() },
      body: JSON.stringify({ serviceId: service.id, priority: 'normal' }),
    });
    if (!res.ok) return null;
    const ticket = await res.json();
    return ticket.trackUrl ? { number: ticket.number, url: new URL(ticket.trackUrl, PUBLIC_URL).toString() } : null;
  } catch {
    return null;
  }
}

function printBox(title, rows, footer = []) {
  const label = Math.max(...rows.map(([k]) => k.length));
  const bar = paint('│', 'cyan');
  const lines = [
    paint(`┌─ ${title} ${'─'.repeat(Math.max(4, 60 - title.length))}`, 'cyan'),
    ...rows.map(([k, v]) => `${bar} ${k.padEnd(label)}  ${paint(v, k ? 'green' : 'gray')}`),
    ...(footer.length ? [bar, ...footer.map((f) => `${bar} ${f}`)] : []),
    paint(`└${'─'.repeat(Math.max(4, 63))}`, 'cyan'),
  ];
  process.stdout.write(`\n${lines.join('\n')}\n\n`);
}

function usersLine(demo) {
  const users = Array.isArray(demo.users) ? demo.users : [];
  return users.length ? users.map((u) => (u.role ? `${u.username} (${u.role})` : u.username)).join(', ') : 'admin, manager, frontdesk1, frontdesk2, tech1, agent1';
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const t0 = Date.now();
  ensureInstalled();
  catchCtrlCKey();
  watchParent();
  if (!SEED_ONLY && (await portAnswers(PORT))) {
    throw new InfraError(`port ${PORT} is already in use (another npm start?). Stop it, or run with PORT=<another port>.`);
  }

  infra = await ensureInfra({ purpose: 'start' });
  let databaseUrl = infra.databaseUrl;
  if (!process.env.DATABASE_URL) {
    const created = await ensureDatabase(infra.databaseUrl, 'frontdesk');
    databaseUrl = withDatabase(infra.databaseUrl, 'frontdesk');
    log(`${created ? 'created database' : 'using database'} "frontdesk" (${safeUrl(databaseUrl)})`);
  }
  if (shuttingDown) return;

  const baseEnv = { ...process.env, NX_DAEMON: 'false' };
  await runStep('build', 'npx', ['nx', 'run-many', '-t', 'build'], baseEnv);
  if (shuttingDown) return;
  requireBuilt(['apps/api/dist/cli.js', 'apps/api/dist/main.js', 'apps/worker/dist/main.js']);

  const appEnv = {
    ...baseEnv,
    PORT: String(PORT),
    DATABASE_URL: databaseUrl,
    REDIS_URL: infra.redisUrl,
    DEMO_MODE: 'true',
    DEMO_PASSWORD,
    HOTLINE_SECRET,
    PUBLIC_URL,
    JWT_SECRET: jwtSecret(),
  };
  const webDist = path.join(ROOT, 'apps/web/dist');
  if (!appEnv.WEB_DIST && fs.existsSync(path.join(webDist, 'index.html'))) appEnv.WEB_DIST = webDist;

  await runStep('migrate', process.execPath, ['apps/api/dist/cli.js', 'migrate'], appEnv);
  if (shuttingDown) return;
  fs.mkdirSync(DATA_DIR, { recursive: true });
  fs.rmSync(SEED_OUTPUT, { force: true });
  await runStep('seed', process.execPath, ['apps/api/dist/cli.js', 'seed-demo'], { ...appEnv, SEED_OUTPUT, DEMO_HISTORY_DAYS });
  if (shuttingDown) return;
  const demo = readDemo();

  if (SEED_ONLY) {
    printBox('Demo data seeded', [
      ['Branch', `${demo.branchCode ?? 'demo'} (${demo.branchId})`],
      ['Kiosk', demo.kioskUrl ?? '(not printed by the seed)'],
      ['Lobby display', demo.displayUrl ?? '(not printed by the seed)'],
      ['Users', usersLine(demo)],
      ['Password', DEMO_PASSWORD],
      ['Saved to', path.relative(ROOT, SEED_OUTPUT)],
    ]);
    await shutdown(0);
    return;
  }

  startService('api', 'green', ['apps/api/dist/main.js'], appEnv, true);
  startService('worker', 'magenta', ['apps/worker/dist/main.js'], appEnv, true);
  await waitForHealth(`http://127.0.0.1:${PORT}/api/health`);
  if (shuttingDown) return;
  log(`api healthy after ${Math.round((Date.now() - t0) / 1000)} s in all`);

  let example = null;
  if (SIMULATOR_ON) {
    example = await exampleTicket(demo);
    startService(
      'sim',
      'yellow',
      ['tools/simulate.mjs'],
      { ...baseEnv, API_URL: `http://127.0.0.1:${PORT}`, DEMO_FILE: SEED_OUTPUT, DEMO_PASSWORD },
      false,
    );
  }

  printBox(
    'Frontdesk Live is running',
    [
      ['Kiosk (take a ticket)', demo.kioskUrl ?? `${PUBLIC_URL}/kiosk`],
      ['Lobby display', demo.displayUrl ?? `${PUBLIC_URL}/display`],
      ['Counter console', `${PUBLIC_URL}/counter  (log in as frontdesk1; the simulator leaves counter 4 to you)`],
      ['Manager view', `${PUBLIC_URL}/manager  (log in as manager; ${PUBLIC_URL}/manager?wall=1 for a wall screen)`],
      ['Track a ticket', example ? `${example.url}  (ticket ${example.number})` : '(take a ticket at the kiosk: its slip links to its tracking page)'],
      ['API docs', `${PUBLIC_URL}/api/docs`],
      ['Health', `${PUBLIC_URL}/api/health`],
      ['', ''],
      ['Users', usersLine(demo)],
      ['Password', DEMO_PASSWORD],
      ['Hotline secret', HOTLINE_SECRET],
    ],
    [
      SIMULATOR_ON ? 'Simulated lobby traffic is on (SIMULATOR=off npm start for a quiet lobby; SIM_SPEED=3 for a busy one).' : 'Simulator off: the lobby is quiet until you take tickets.',
      `Postgres: ${infra.postgres} · Redis: ${infra.redis} · logs: [api] [worker]${SIMULATOR_ON ? ' [sim]' : ''} · Ctrl-C stops everything.`,
    ],
  );
}

main().catch(async (err) => {
  if (shuttingDown) return;
  log.error(err instanceof InfraError ? err.message : `npm start failed: ${err.message}`);
  await shutdown(1);
});
