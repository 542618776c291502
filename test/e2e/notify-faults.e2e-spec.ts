import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { CreatedRepairDto, NotificationDto } from '@frontdesk/contracts';
import { hang, reply, startGateway, type Gateway } from '../../apps/worker/src/test-support/sms-gateway';
import { uniqueImei, daysAgo } from '../../apps/api/src/repairs/repair-test-data';
import { PrivateRedis, waitUntil } from '../support/private-servers';
import { loginAs, ROOT, startStack, type Stack } from '../support/stack';

const SECRET = 'e2e-webhook-secret-0123';

/**
 * Faults around the SMS pipeline with the built API and worker as processes: a worker killed with SIGKILL in the
 * middle of a send, and a Redis restart that loses every job. Whatever happens, the customer gets the SMS once.
 */
describe('notify faults: exactly-once SMS through worker and Redis failures', () => {
  const procs: ChildProcess[] = [];
  afterEach(() => {
    for (const p of procs.splice(0)) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  });

  const workerEnv = (stack: Stack, gw: Gateway, extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
    ...process.env,
    DATABASE_URL: stack.databaseUrl,
    REDIS_URL: stack.redisUrl,
    REDIS_PREFIX: stack.redisPrefix,
    LOG_LEVEL: 'warn',
    HEARTBEAT_MS: '1000',
    SMS_PROVIDER: 'webhook',
    SMS_WEBHOOK_URL: gw.url,
    SMS_WEBHOOK_SECRET: SECRET,
    NOTIFY_RELAY_MS: '200',
    NOTIFY_LOCK_MS: '2000',
    SMS_TIMEOUT_MS: '60000',
    SMS_BACKOFF_MS: '200',
    ...extra,
  });
  const startWorker = (env: NodeJS.ProcessEnv, logs: string[]) => {
    const p = spawn('node', ['apps/worker/dist/main.js'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    p.stdout?.on('data', (d) => logs.push(`[worker ${p.pid}] ${d}`));
    p.stderr?.on('data', (d) => logs.push(`[worker ${p.pid}] ${d}`));
    procs.push(p);
    return p;
  };
  const noQuietHours = async (stack: Stack) => {
    const c = new Client({ connectionString: stack.databaseUrl });
    await c.connect();
    await c.query(`UPDATE branches SET notify_settings = '{"quietStart":"00:00","quietEnd":"00:00"}'`);
    await c.end();
  };
  const api = (url: string, token: string) => ({
    get: async <T>(path: string) => (await (await fetch(`${url}/api${path}`, { headers: { authorization: `Bearer ${token}` } })).json()) as T,
    post: async <T>(path: string, body: unknown) => {
      const r = await fetch(`${url}/api${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'Idempotency-Key': randomUUID() },
        body: JSON.stringify(body),
      });
      return { status: r.status, body: (await r.json()) as T };
    },
  });
  const readyRepair = async (stack: Stack) => {
    const desk = api(stack.apis[0].url, await loginAs(stack.apis[0].url, 'frontdesk1', stack.seed.password));
    const created = await desk.post<CreatedRepairDto>(`/branches/${stack.seed.branchId}/repairs`, {
      customer: { name: '王女士', phone: '13900139000' },
      device: { brand: 'Apple', model: 'iPhone 15', imei: uniqueImei() },
      purchaseDate: daysAgo(60),
      fault: 'no charge',
      notify: 'sms',
    });
    expect(created.status).toBe(201);
    for (const to of ['diagnosing', 'repairing', 'qa', 'ready_for_pickup']) expect((await desk.post(`/repairs/${created.body.id}/transition`, { to })).status).toBe(200);
    const notices = async () => desk.get<NotificationDto[]>(`/notifications?repairId=${created.body.id}`);
    const pickup = (await notices()).find((n) => n.template === 'pickup_ready')!;
    return { repair: created.body, pickup, notices };
  };

  it('sends the pickup SMS once when the worker is killed with SIGKILL in the middle of the send', async () => {
    // The gateway receives the first request and never answers: the worker is inside the send, row locked, when it dies.
    const gw = await startGateway([hang, reply(200)]);
    const stack = await startStack({ apis: 1, worker: false });
    const logs: string[] = [];
    try {
      await noQuietHours(stack);
      const first = startWorker(workerEnv(stack, gw), logs);
      const { repair, pickup, notices } = await readyRepair(stack);
      await waitUntil(async () => gw.requests.length === 1, 15_000, 'the first worker to call the gateway');
      first.kill('SIGKILL');
      await new Promise((r) => first.once('exit', r));
      startWorker(workerEnv(stack, gw), logs);
      await waitUntil(async () => (await notices()).find((n) => n.id === pickup.id)?.status === 'sent', 30_000, 'the second worker to finish the send');

      // Two requests reached the gateway (the killed one and the retry), under one idempotency key: one SMS delivered.
      expect(gw.requests.map((r) => r.key)).toEqual([pickup.id, pickup.id]);
      expect([...gw.delivered.keys()]).toEqual([pickup.id]);
      const sms = JSON.parse(gw.requests[1].body) as { to: string; body: string };
      expect(sms.to).toBe('+8613900139000');
      expect(sms.body).toContain(repair.orderNo);
      expect(sms.body).toContain(repair.pickupCode);
      const after = (await notices()).find((n) => n.id === pickup.id)!;
      expect(after).toMatchObject({ status: 'sent', attempts: 1, provider: 'webhook', to: '139****9000' });
      await new Promise((r) => setTimeout(r, 1500));
      expect(gw.requests).toHaveLength(2);
    } catch (err) {
      console.log(logs.join(''));
      throw err;
    } finally {
      await stack.stop();
      await gw.close();
    }
  }, 120_000);

  it('sends a notice that fell due while Redis was away for 30 s once, as soon as Redis is back (with every job lost)', async () => {
    const gw = await startGateway([reply(200)]);
    const redis = await PrivateRedis.start();
    const stack = await startStack({ apis: 1, worker: false, redisUrl: redis.url });
    const logs: string[] = [];
    try {
      await noQuietHours(stack);
      startWorker(workerEnv(stack, gw), logs);
      const { pickup, notices } = await readyRepair(stack);
      await waitUntil(async () => (await notices()).find((n) => n.id === pickup.id)?.status === 'sent', 15_000, 'the pickup SMS');
      // A reminder due 4 s from now, as the relay would have queued it (delayed job in Redis).
      const c = new Client({ connectionString: stack.databaseUrl });
      await c.connect();
      const [{ due_at: due }] = (
        await c.query<{ due_at: Date }>(
          `UPDATE notifications SET due_at = now() + interval '4 seconds' WHERE repair_id = $1 AND template = 'pickup_reminder' AND params->>'days' = '3' RETURNING due_at`,
          [pickup.repairId],
        )
      ).rows;
      await c.end();
      await new Promise((r) => setTimeout(r, 1000));
      // Redis away for 30 s (issue 7); the reminder falls due in the middle of it, and Redis comes back empty.
      await redis.stop();
      await new Promise((r) => setTimeout(r, 30_000));
      expect(gw.requests.filter((r) => r.key !== pickup.id)).toEqual([]);
      await redis.start();
      const back = Date.now();
      const reminder = async () => (await notices()).find((n) => n.template === 'pickup_reminder' && n.status === 'sent');
      await waitUntil(async () => Boolean(await reminder()), 20_000, 'the reminder after the Redis restart');
      const sentReminder = (await reminder())!;
      const hits = gw.requests.filter((r) => r.key === sentReminder.id);
      expect(hits).toHaveLength(1);
      // Late only by the outage: sent within a few seconds of Redis coming back, although Redis came back empty.
      expect(due.getTime()).toBeLessThan(back);
      expect(hits[0].at - back).toBeLessThan(5000);
      expect(gw.requests.filter((r) => r.key === pickup.id)).toHaveLength(1);
    } catch (err) {
      console.log(logs.join(''));
      throw err;
    } finally {
      await stack.stop();
      await redis.stop();
      await gw.close();
    }
  }, 120_000);
});
