import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { Redis } from 'ioredis';

/**
 * The product as a user runs it: the built API and worker as separate processes on a database and a
 * Redis prefix of their own. Used by the end-to-end and browser tests.
 */
export const ROOT = resolve(__dirname, '../..');

export interface DemoSeed {
  branchId: string;
  branchCode: string;
  kioskToken: string;
  displayToken: string;
  kioskUrl: string;
  displayUrl: string;
  password: string;
}

export interface Stack {
  databaseUrl: string;
  redisUrl: string;
  redisPrefix: string;
  seed: DemoSeed;
  apis: { url: string; proc: ChildProcess }[];
  worker: ChildProcess | null;
  logs: string[];
  startApi(): Promise<{ url: string; proc: ChildProcess }>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => res(port));
    });
    srv.on('error', rej);
  });
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((res, rej) => {
    const p = spawn(cmd, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    p.on('exit', (code) => (code === 0 ? res(out) : rej(new Error(`${cmd} ${args.join(' ')} exited ${code}:\n${out}`))));
  });
}

async function waitHttp(url: string, timeoutMs: number, logs: string[]): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not come up in ${timeoutMs} ms; logs:\n${logs.slice(-40).join('')}`);
}

export async function startStack(
  opts: { apis?: number; worker?: boolean; env?: Record<string, string>; databaseServerUrl?: string; redisUrl?: string } = {},
): Promise<Stack> {
  const server = opts.databaseServerUrl ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const redisUrl = opts.redisUrl ?? process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const name = `fdl_e2e_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const admin = new Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const dbUrl = new URL(server);
  dbUrl.pathname = `/${name}`;
  const redisPrefix = `fdl-e2e-${randomBytes(4).toString('hex')}`;
  const logs: string[] = [];
  const seedFile = join(tmpdir(), `${name}.json`);
  const baseEnv: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: dbUrl.toString(),
    REDIS_URL: redisUrl,
    REDIS_PREFIX: redisPrefix,
    DEMO_MODE: 'true',
    LOG_LEVEL: 'warn',
    HEARTBEAT_MS: '1000',
    ...opts.env,
  };
  await run('node', ['apps/api/dist/cli.js', 'migrate'], baseEnv);
  const apis: { url: string; proc: ChildProcess }[] = [];
  let worker: ChildProcess | null = null;

  const spawnLogged = (label: string, script: string, env: NodeJS.ProcessEnv) => {
    const proc = spawn('node', [script], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    proc.stdout?.on('data', (d) => logs.push(`[${label}] ${d}`));
    proc.stderr?.on('data', (d) => logs.push(`[${label}] ${d}`));
    return proc;
  };

  const startApi = async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const proc = spawnLogged(`api:${port}`, 'apps/api/dist/main.js', { ...baseEnv, PORT: String(port), PUBLIC_URL: url });
    await waitHttp(`${url}/api/health/live`, 30_000, logs);
    const entry = { url, proc };
    apis.push(entry);
    return entry;
  };

  for (let i = 0; i < (opts.apis ?? 1); i++) await startApi();
  await run('node', ['apps/api/dist/cli.js', 'seed-demo'], { ...baseEnv, PUBLIC_URL: apis[0]?.url ?? 'http://localhost:3000', SEED_OUTPUT: seedFile });
  const seed = JSON.parse(readFileSync(seedFile, 'utf8')) as DemoSeed;
  if (opts.worker) worker = spawnLogged('worker', 'apps/worker/dist/main.js', baseEnv);

  const stop = async () => {
    const procs = [...apis.map((a) => a.proc), ...(worker ? [worker] : [])];
    await Promise.all(
      procs.map(
        (p) =>
          new Promise<void>((res) => {
            if (p.exitCode !== null || p.signalCode !== null) return res();
            const t = setTimeout(() => p.kill('SIGKILL'), 5000);
            p.once('exit', () => {
              clearTimeout(t);
              res();
            });
            p.kill('SIGTERM');
          }),
      ),
    );
    const a = new Client({ connectionString: server });
    await a.connect();
    await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await a.end();
    // A fault test may stop here with its private Redis down: nothing to clean then, and its own error must show.
    const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, retryStrategy: (n) => (n > 3 ? null : 200) });
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${redisPrefix}*`, 'COUNT', 500);
        if (keys.length) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
      await redis.quit();
    } catch {
      redis.disconnect();
    }
  };

  return { databaseUrl: dbUrl.toString(), redisUrl, redisPrefix, seed, apis, worker, logs, startApi, stop };
}

export async function loginAs(baseUrl: string, username: string, password: string): Promise<string> {
  const r = await fetch(`${baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (!r.ok) throw new Error(`login ${username}: ${r.status} ${await r.text()}`);
  return ((await r.json()) as { accessToken: string }).accessToken;
}

/** One query on a stack's database, on a connection of its own: what a test checks behind the API's back. */
export async function sql<T>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text, params)).rows as T[];
  } finally {
    await c.end();
  }
}
