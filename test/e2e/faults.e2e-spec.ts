import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, LiveEvent, PublicLiveEvent, ServerToClientEvents, SubscribeAck } from '@frontdesk/contracts';
import { PrivatePostgres, PrivateRedis, waitUntil } from '../support/private-servers';
import { loginAs, startStack, type Stack } from '../support/stack';

type Live = Socket<ServerToClientEvents, ClientToServerEvents>;

async function issue(url: string, stack: Stack, serviceId: string, timeoutMs = 8000) {
  const started = Date.now();
  const r = await fetch(`${url}/api/branches/${stack.seed.branchId}/tickets`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.seed.kioskToken}`, 'content-type': 'application/json', 'Idempotency-Key': randomUUID() },
    body: JSON.stringify({ serviceId }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  return { status: r.status, body: (await r.json()) as { number?: string; message?: string }, ms: Date.now() - started };
}

async function serviceA(url: string, stack: Stack): Promise<string> {
  const list = (await (await fetch(`${url}/api/branches/${stack.seed.branchId}/services`, { headers: { authorization: `Bearer ${stack.seed.kioskToken}` } })).json()) as { id: string; code: string }[];
  return list.find((s) => s.code === 'A')!.id;
}

describe('faults: Redis and Postgres go away and come back (private servers)', () => {
  it('keeps issuing and calling tickets while Redis is down, and screens on the other instance converge when it returns', async () => {
    const redis = await PrivateRedis.start();
    const stack = await startStack({ apis: 2, redisUrl: redis.url, env: { SYNC_INTERVAL_MS: '1000' } });
    const [A, B] = stack.apis.map((a) => a.url);
    try {
      const svc = await serviceA(A, stack);
      const display: Live = io(`${B}/live`, { path: '/socket.io', auth: { token: stack.seed.displayToken }, transports: ['websocket'], forceNew: true });
      const events: (LiveEvent | PublicLiveEvent)[] = [];
      display.on('event', (e) => events.push(e));
      await new Promise<void>((res) => display.once('connect', () => res()));
      const ack: SubscribeAck = await display.timeout(5000).emitWithAck('subscribe', { branchId: stack.seed.branchId, view: 'display' });
      const startSeq = ack.ok ? ack.seq : 0;

      await redis.stop();
      const during = [];
      for (let i = 0; i < 3; i++) during.push(await issue(A, stack, svc));
      expect(during.map((r) => r.status)).toEqual([201, 201, 201]);
      expect(Math.max(...during.map((r) => r.ms))).toBeLessThan(2000);
      const desk = await loginAs(A, 'frontdesk1', stack.seed.password);
      const counters = (await (await fetch(`${A}/api/branches/${stack.seed.branchId}/counters`, { headers: { authorization: `Bearer ${desk}` } })).json()) as { id: string; services: string[] }[];
      const called = await fetch(`${A}/api/counters/${counters.find((c) => c.services.includes(svc))!.id}/call-next`, { method: 'POST', headers: { authorization: `Bearer ${desk}` } });
      expect(called.status).toBe(200);
      const health = (await (await fetch(`${A}/api/health`)).json()) as { details: Record<string, { status: string }> };
      expect(health.details.redis.status).toBe('down');

      await redis.start();
      await waitUntil(async () => ((await (await fetch(`${A}/api/health`)).json()) as { details: { redis: { status: string } } }).details.redis.status === 'up', 20_000, 'redis up in health');
      // Live pushes resume across instances...
      const after = await issue(A, stack, svc);
      await waitUntil(async () => events.some((e) => 'ticket' in e.data && e.data.ticket.number === after.body.number), 15_000, 'a push from A reaching B');
      // ...and whatever the screen missed is replayed from the log with no gap.
      const lastSeen = Math.max(...events.map((e) => e.seq), startSeq);
      const again: SubscribeAck = await display.timeout(5000).emitWithAck('subscribe', { branchId: stack.seed.branchId, view: 'display', lastSeq: startSeq });
      expect(again.ok && 'replay' in again).toBe(true);
      if (again.ok && 'replay' in again) {
        const seqs = again.replay.map((e) => e.seq);
        expect(seqs).toEqual(seqs.map((_, i) => startSeq + 1 + i));
        expect(again.seq).toBeGreaterThanOrEqual(lastSeen);
        const numbers = again.replay.filter((e) => e.type === 'ticket.created').map((e) => ('ticket' in e.data ? e.data.ticket.number : ''));
        expect(numbers).toEqual([...during.map((r) => r.body.number), after.body.number]);
      }
      display.disconnect();
    } finally {
      await stack.stop();
      await redis.stop();
    }
  }, 120_000);

  it('fails fast with 503 while Postgres is down and recovers by itself when it returns', async () => {
    const pg = await PrivatePostgres.start();
    const stack = await startStack({ apis: 1, databaseServerUrl: pg.url });
    const [A] = stack.apis.map((a) => a.url);
    try {
      const svc = await serviceA(A, stack);
      const before = await issue(A, stack, svc);
      expect(before.status).toBe(201);

      await pg.stop();
      const down = await issue(A, stack, svc);
      expect(down.status).toBe(503);
      expect(down.body.message).toMatch(/database/);
      expect(down.ms).toBeLessThan(5000);
      const health = await fetch(`${A}/api/health`);
      expect(health.status).toBe(503);

      await pg.start();
      let back = down;
      await waitUntil(
        async () => {
          back = await issue(A, stack, svc);
          return back.status === 201;
        },
        30_000,
        'the API to recover without a restart',
      );
      // Numbering continues: nothing was half-written while the database was away.
      expect(Number(back.body.number!.slice(1))).toBe(Number(before.body.number!.slice(1)) + 1);
    } finally {
      await stack.stop();
      await pg.remove();
    }
  }, 120_000);
});
