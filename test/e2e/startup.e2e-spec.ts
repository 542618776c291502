import { spawn } from 'node:child_process';
import { ROOT } from '../support/stack';

/** Starts a built app with exactly `env` (nothing inherited) and collects what it prints until it exits. */
function runWith(script: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const p = spawn('node', [script], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    p.stdout.on('data', (d) => (output += d));
    p.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => p.kill('SIGKILL'), 15_000);
    p.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('start-up: secrets come only from the environment and are checked before anything starts', () => {
  it('the API outside demo mode refuses to start, naming every missing secret on its own line', async () => {
    const { code, output } = await runWith('apps/api/dist/main.js', {});
    expect(code).toBe(2);
    expect(output).toContain('Invalid configuration');
    expect(output).toMatch(/^ {2}- DATABASE_URL: .*required/m);
    expect(output).toMatch(/^ {2}- REDIS_URL: .*required/m);
    expect(output).toMatch(/^ {2}- JWT_SECRET: .*required outside demo mode/m);
  });

  it('the API refuses a JWT secret too short to be safe', async () => {
    const { code, output } = await runWith('apps/api/dist/main.js', { DATABASE_URL: 'postgres://u@127.0.0.1:1/x', REDIS_URL: 'redis://127.0.0.1:1', JWT_SECRET: 'short' });
    expect(code).toBe(2);
    expect(output).toContain('JWT_SECRET must be at least 32 characters');
  });

  it('the worker refuses to start without its connection settings', async () => {
    const { code, output } = await runWith('apps/worker/dist/main.js', {});
    expect(code).toBe(2);
    expect(output).toMatch(/DATABASE_URL: .*required/);
    expect(output).toMatch(/REDIS_URL: .*required/);
  });
});
