#!/usr/bin/env node
// `npm test`: every test of the repo, in stages that each run only when their config exists:
//   static       npx nx run-many -t lint typecheck   (ESLint with type-checked rules, tsc on every project)
//   unit         npx nx run-many -t test
//   integration  npx jest -c jest.integration.config.js --runInBand   (API and worker, real Postgres and Redis)
//   e2e          npx jest -c test/e2e/jest.config.js --runInBand        (after the full build)
//   browser      npx jest -c test/browser/jest.config.js --runInBand    (after the full build)
// A failed stage does not stop the later ones: the summary at the end reports every failure,
// and the exit code is non-zero when any stage failed. Each stage gets TEST_DATABASE_URL (a
// server-level URL; tests create and drop their own databases from it), TEST_REDIS_URL and
// CHROMIUM_PATH. FDL_STAGE_TIMEOUT (seconds, default 900) stops a stage that hangs.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createLogger, ensureChromium, ensureInfra, ensureInstalled, InfraError, paint, ROOT } from './infra.mjs';

process.env.NX_DAEMON = 'false';
process.env.NX_TUI = 'false';
process.env.NX_NO_CLOUD = 'true';

const log = createLogger('test', 'magenta');
const STAGE_TIMEOUT_S = Number(process.env.FDL_STAGE_TIMEOUT) > 0 ? Number(process.env.FDL_STAGE_TIMEOUT) : 900;
const CHROMIUM_PATH = '/usr/bin/chromium';

const STAGES = [
  { name: 'static', command: ['npx', 'nx', 'run-many', '-t', 'lint', 'typecheck', '--outputStyle=static'], config: null },
  { name: 'unit', command: ['npx', 'nx', 'run-many', '-t', 'test', '--outputStyle=static'], config: null },
  { name: 'integration', config: 'jest.integration.config.js', infra: true },
  { name: 'e2e', config: 'test/e2e/jest.config.js', infra: true, build: true },
  { name: 'browser', config: 'test/browser/jest.config.js', infra: true, build: true, chromium: true },
];
for (const s of STAGES) if (!s.command) s.command = ['npx', 'jest', '-c', s.config, '--runInBand'];

// ---------------------------------------------------------------------------------------------
// Running one command: output passes through as it comes, and jest's "Tests:" lines are counted.

let current = null; // the running child, for Ctrl-C and timeouts
let interrupted = false;

const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;

/** Adds the numbers of a jest summary line ("Tests:  1 failed, 2 skipped, 9 passed, 12 total"). */
function countJestLine(line, counts) {
  const plain = line.replace(ANSI, '');
  const m = /^\s*(?:\S+\s+)?Tests:\s+(.*\d+ total)\s*$/.exec(plain);
  if (!m) return;
  for (const part of m[1].split(',')) {
    const pm = /(\d+)\s+(passed|failed|skipped|todo|pending)/.exec(part);
    if (!pm) continue;
    const n = Number(pm[1]);
    if (pm[2] === 'passed') counts.passed += n;
    else if (pm[2] === 'failed') counts.failed += n;
    else counts.skipped += n;
  }
}

function pipeLines(stream, out, onLine) {
  let buf = '';
  stream.on('data', (chunk) => {
    out.write(chunk);
    buf += chunk.toString();
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      onLine(buf.slice(0, i));
      buf = buf.slice(i + 1);
    }
  });
  stream.on('end', () => buf && onLine(buf));
}

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* gone */
    }
  }
}

function run(command, env, timeoutS) {
  return new Promise((resolve) => {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    const started = Date.now();
    // Its own process group, so that a timeout or Ctrl-C stops nx's and jest's workers too.
    const child = spawn(command[0], command.slice(1), { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    current = child;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      log.error(`${command.join(' ')} still running after ${timeoutS} s: stopping it`);
      killGroup(child, 'SIGTERM');
      setTimeout(() => killGroup(child, 'SIGKILL'), 5000).unref();
    }, timeoutS * 1000);
    pipeLines(child.stdout, process.stdout, (l) => countJestLine(l, counts));
    pipeLines(child.stderr, process.stderr, (l) => countJestLine(l, counts));
    let spawnError = null;
    child.on('error', (err) => {
      spawnError = err;
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      current = null;
      const seconds = (Date.now() - started) / 1000;
      let note = null;
      if (spawnError) note = `could not run: ${spawnError.message}`;
      else if (timedOut) note = `timed out after ${timeoutS} s`;
      else if (signal) note = `killed by ${signal}`;
      else if (code !== 0) note = `exit code ${code}`;
      resolve({ ok: !spawnError && !timedOut && code === 0, counts, seconds, note });
    });
  });
}

// ---------------------------------------------------------------------------------------------

function fmtSeconds(s) {
  return s >= 60 ? `${Math.floor(s / 60)} min ${Math.round(s % 60)} s` : `${s.toFixed(1)} s`;
}

function banner(text) {
  const line = '─'.repeat(Math.max(8, 72 - text.length - 4));
  log(paint(`── ${text} ${line}`, 'magenta'));
}

async function main() {
  const t0 = Date.now();
  const results = [];
  const record = (name, status, extra = {}) => results.push({ name, status, passed: 0, failed: 0, skipped: 0, seconds: 0, note: null, ...extra });

  ensureInstalled();

  const present = STAGES.filter((s) => !s.config || fs.existsSync(path.join(ROOT, s.config)));
  let infra = null;
  let infraError = null;
  if (present.some((s) => s.infra)) {
    try {
      infra = await ensureInfra({ purpose: 'test' });
    } catch (err) {
      infraError = err.message;
      log.error(infraError);
    }
  }
  const stopInfra = async () => {
    if (infra) await infra.stop();
    infra = null;
  };

  const onSignal = (signal) => {
    if (interrupted) return;
    interrupted = true;
    log.warn(`${signal}: stopping the running stage and the test servers`);
    if (current) killGroup(current, 'SIGTERM');
    setTimeout(async () => {
      await stopInfra().catch(() => {});
      process.exit(130);
    }, 1000);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);

  const env = {
    ...process.env,
    NX_DAEMON: 'false',
    CHROMIUM_PATH,
    ...(infra ? { TEST_DATABASE_URL: infra.databaseUrl, TEST_REDIS_URL: infra.redisUrl } : {}),
    ...(process.stdout.isTTY && !process.env.NO_COLOR ? { FORCE_COLOR: '1' } : {}),
  };

  let build = null; // result of the one full build that e2e and browser share
  for (const stage of STAGES) {
    if (interrupted) break;
    if (!present.includes(stage)) {
      record(stage.name, 'skipped', { note: `${stage.config} not found` });
      continue;
    }
    if (stage.infra && !infra) {
      record(stage.name, 'failed', { failed: 1, note: `not run: no PostgreSQL/Redis (${infraError?.split('\n')[0]})` });
      continue;
    }
    if (stage.build && !build) {
      banner('build: npx nx run-many -t build');
      build = await run(['npx', 'nx', 'run-many', '-t', 'build'], env, STAGE_TIMEOUT_S);
      record('build', build.ok ? 'passed' : 'failed', { seconds: build.seconds, note: build.note, failed: build.ok ? 0 : 1, counted: false });
      if (interrupted) break;
    }
    if (stage.build && !build.ok) {
      record(stage.name, 'failed', { failed: 1, note: 'not run: the build failed' });
      continue;
    }
    if (stage.chromium) {
      try {
        ensureChromium(CHROMIUM_PATH);
      } catch (err) {
        log.error(err.message);
        record(stage.name, 'failed', { failed: 1, note: `not run: ${err.message}` });
        continue;
      }
    }
    banner(`${stage.name}: ${stage.command.join(' ')}`);
    const res = await run(stage.command, env, STAGE_TIMEOUT_S);
    // A stage that failed without a failing test (a suite that did not compile, a crash, a
    // timeout) still counts as one failure, so the totals never say "0 failed" for a red run.
    const failed = res.ok ? res.counts.failed : Math.max(1, res.counts.failed);
    record(stage.name, res.ok ? 'passed' : 'failed', { ...res.counts, failed, seconds: res.seconds, note: res.note });
  }

  await stopInfra();

  // -------------------------------------------------------------------------------------------
  banner('summary');
  const totals = { passed: 0, failed: 0, skipped: 0 };
  for (const r of results) {
    const status = paint(r.status.padEnd(7), r.status === 'passed' ? 'green' : r.status === 'failed' ? 'red' : 'yellow');
    const counts = r.counted === false ? '' : r.status === 'skipped' ? '' : `${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''}`;
    const time = r.seconds ? ` in ${fmtSeconds(r.seconds)}` : '';
    log(`${r.name.padEnd(12)} ${status} ${counts}${time}${r.note ? ` (${r.note})` : ''}`);
    totals.passed += r.passed;
    totals.failed += r.failed;
    totals.skipped += r.skipped;
  }
  const failedStages = results.filter((r) => r.status === 'failed');
  const ran = results.filter((r) => r.status !== 'skipped' && r.counted !== false);
  if (totals.passed + totals.failed === 0) log.warn('no test ran');
  if (interrupted) log.warn('interrupted: the results above are incomplete');
  log(
    `${ran.length} stage(s) run, ${failedStages.length ? paint(`${failedStages.length} failed: ${failedStages.map((r) => r.name).join(', ')}`, 'red') : paint('all passed', 'green')}, in ${fmtSeconds((Date.now() - t0) / 1000)}`,
  );
  // The plain closing line CI reads.
  process.stdout.write(`total: ${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}\n`);
  return failedStages.length || interrupted ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    log.error(err instanceof InfraError ? err.message : err?.stack || String(err));
    process.stdout.write('total: 0 passed, 1 failed\n');
    process.exit(1);
  },
);
