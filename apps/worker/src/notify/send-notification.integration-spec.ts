import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { JOB_QUEUES } from '@frontdesk/contracts';
import { createDataSource } from '@frontdesk/db';
import { makeBranch } from '@frontdesk/db/testing';
import { loadWorkerConfig } from '../config';
import { WorkerModule } from '../worker.module';
import { hang, reply, startGateway, type Gateway } from '../test-support/sms-gateway';

const SECRET = 'integration-webhook-secret';

async function startWorker(gw: Gateway, env: Record<string, string> = {}) {
  const prefix = `${process.env.REDIS_PREFIX}-${randomBytes(3).toString('hex')}`;
  const config = loadWorkerConfig({
    ...process.env,
    REDIS_PREFIX: prefix,
    LOG_LEVEL: 'silent',
    SMS_PROVIDER: 'webhook',
    SMS_WEBHOOK_URL: gw.url,
    SMS_WEBHOOK_SECRET: SECRET,
    SMS_BACKOFF_MS: '200',
    SMS_TIMEOUT_MS: '1000',
    NOTIFY_RELAY_MS: '100',
    CLOSE_DAY_EVERY_MS: '3600000',
    ...env,
  });
  const app: INestApplicationContext = await NestFactory.createApplicationContext(WorkerModule.register(config), { logger: false });
  await app.init();
  return { app, prefix, queue: app.get<Queue>(getQueueToken(JOB_QUEUES.notify)), close: () => app.close() };
}

/** A lobby ticket with a phone number, as the kiosk writes it; called tickets sit at the branch's first counter. */
async function lobbyTicket(ds: DataSource, b: Awaited<ReturnType<typeof makeBranch>>, status: string, n: number): Promise<string> {
  const [row]: { id: string }[] = await ds.query(
    `INSERT INTO tickets (branch_id, service_id, local_day, day_seq, number, status, issued_by, created_at, counter_id, phone)
     VALUES ($1, $2, (now() AT TIME ZONE 'Asia/Shanghai')::date, $3::int, 'A' || lpad($3::int::text, 3, '0'), $4, 'test', now(), $5, '+8613800138000') RETURNING id`,
    [b.id, b.services.A, n, status, status === 'waiting' ? null : b.counters[0]],
  );
  return row.id;
}

/** The "almost your turn" notice of a ticket, due in `dueInMs`. */
async function nearNotice(ds: DataSource, branchId: string, ticketId: string, ticketNumber: string, dueInMs = 0): Promise<string> {
  const [row]: { id: string }[] = await ds.query(
    `INSERT INTO notifications (branch_id, ticket_id, to_phone, language, template, params, dedupe_key, due_at)
     VALUES ($1, $2, '+8613800138000', 'zh', 'lobby_near', $3::jsonb, $4, now() + make_interval(secs => $5::float / 1000)) RETURNING id`,
    [branchId, ticketId, JSON.stringify({ ticketNumber, ahead: 2 }), `ticket:${ticketId}:near`, dueInMs],
  );
  return row.id;
}

describe('notify.send through BullMQ and a real HTTP gateway (real Postgres and Redis)', () => {
  let ds: DataSource;
  let branchId: string;
  let gw: Gateway;
  beforeAll(async () => {
    ds = createDataSource(process.env.DATABASE_URL!);
    await ds.initialize();
    branchId = (await makeBranch(ds)).id;
  });
  afterAll(() => ds.destroy());
  beforeEach(async () => {
    // Notices left pending by an earlier test must not reach this test's gateway.
    await ds.query(`UPDATE notifications SET state = 'cancelled' WHERE state = 'pending'`);
    gw = await startGateway();
  });
  afterEach(() => gw.close());

  const notice = async (dueInMs = 0, orderNo = 'R20261130-0042'): Promise<string> => {
    const [row]: { id: string }[] = await ds.query(
      `INSERT INTO notifications (branch_id, to_phone, language, template, params, dedupe_key, due_at)
       VALUES ($1, '+8613800138000', 'zh', 'promise_slipped', $2::jsonb, $3, now() + make_interval(secs => $4::float / 1000)) RETURNING id`,
      [branchId, JSON.stringify({ orderNo, promisedAt: '12月1日 18:00' }), `test:${randomBytes(6).toString('hex')}`, dueInMs],
    );
    return row.id;
  };
  const row = async (id: string) =>
    (await ds.query(`SELECT state, attempts, error, provider, provider_message_id, body, sent_at, due_at FROM notifications WHERE id = $1`, [id]))[0] as {
      state: string;
      attempts: number;
      error: string | null;
      provider: string | null;
      provider_message_id: string | null;
      body: string | null;
      sent_at: Date | null;
      due_at: Date;
    };
  const until = async (probe: () => Promise<boolean>, ms = 10_000, what = 'condition') => {
    const end = Date.now() + ms;
    while (!(await probe())) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  it('relays a due notice and sends it once, with the notification id as idempotency key and a notification.status event', async () => {
    const w = await startWorker(gw);
    try {
      const id = await notice();
      await until(async () => (await row(id)).state === 'sent', 10_000, 'sent');
      const r = await row(id);
      expect(r).toMatchObject({ attempts: 1, provider: 'webhook', provider_message_id: 'gw-1', error: null });
      expect(r.body).toBe('您好，很抱歉，您的手机（单号 R20261130-0042）预计完成时间改为 12月1日 18:00。测试');
      expect(gw.requests.map((q) => q.key)).toEqual([id]);
      const events: { type: string; data: { notification: { id: string; status: string } } }[] = await ds.query(
        `SELECT type, data FROM events WHERE branch_id = $1 AND type = 'notification.status' ORDER BY seq`,
        [branchId],
      );
      expect(events.filter((e) => e.data.notification.id === id).map((e) => e.data.notification.status)).toEqual(['sent']);
      // The relay keeps running: the sent notice is not handed over again.
      await new Promise((res) => setTimeout(res, 500));
      expect(gw.requests).toHaveLength(1);
    } finally {
      await w.close();
    }
  });

  it('sends once when the same job is added twice and a second job names the same notice', async () => {
    gw.setScript([(_q, res) => setTimeout(() => reply(200)(_q, res, 0), 300)]);
    const w = await startWorker(gw, { NOTIFY_RELAY_MS: '60000', SMS_CONCURRENCY: '4' });
    try {
      const id = await notice();
      const opts = { attempts: 3, removeOnComplete: true, removeOnFail: true };
      await Promise.all([
        w.queue.add('notify.send', { notificationId: id }, { ...opts, jobId: id }),
        w.queue.add('notify.send', { notificationId: id }, { ...opts, jobId: id }),
        w.queue.add('notify.send', { notificationId: id }, { ...opts, jobId: `${id}-again` }),
      ]);
      await until(async () => (await row(id)).state === 'sent', 10_000, 'sent');
      await until(async () => (await w.queue.getJobCounts('active', 'wait', 'delayed')).active === 0, 5000, 'queue idle');
      expect(gw.requests.map((q) => q.key)).toEqual([id]);
      expect((await row(id)).attempts).toBe(1);
    } finally {
      await w.close();
    }
  });

  it('retries provider errors and timeouts with exponential backoff, then records the one delivery', async () => {
    gw.setScript([reply(500), hang, reply(503), reply(200)]);
    const w = await startWorker(gw, { SMS_TIMEOUT_MS: '300', SMS_BACKOFF_MS: '200' });
    try {
      const id = await notice();
      await until(async () => (await row(id)).state === 'sent', 15_000, 'sent after retries');
      expect((await row(id)).attempts).toBe(4);
      expect(gw.requests.every((q) => q.key === id)).toBe(true);
      expect(gw.delivered.size).toBe(1);
      // Backoff 200, 400, 800 ms (plus the 300 ms timeout before the second retry): each gap longer than the last delay.
      const gaps = gw.requests.slice(1).map((q, i) => q.at - gw.requests[i].at);
      expect(gaps[0]).toBeGreaterThanOrEqual(190);
      expect(gaps[1]).toBeGreaterThanOrEqual(390);
      expect(gaps[2]).toBeGreaterThanOrEqual(790);
    } finally {
      await w.close();
    }
  });

  it('marks a permanent refusal failed at once with the error, and raises an alert', async () => {
    gw.setScript([reply(400, { error: 'invalid number' })]);
    const w = await startWorker(gw);
    try {
      const id = await notice();
      await until(async () => (await row(id)).state === 'failed', 10_000, 'failed');
      const r = await row(id);
      expect(r.attempts).toBe(1);
      expect(r.error).toContain('400');
      expect(r.error).toContain('invalid number');
      const alerts: { kind: string; message: string; cleared_at: Date | null }[] = await ds.query(`SELECT kind, message, cleared_at FROM alerts WHERE dedupe_key = $1`, [`sms_failed:${id}`]);
      expect(alerts).toEqual([{ kind: 'sms_failed', message: expect.stringContaining('138****8000'), cleared_at: null }]);
      const [ev] = await ds.query(`SELECT count(*)::int AS n FROM events WHERE type = 'alert.raised' AND data->'alert'->'data'->>'notificationId' = $1`, [id]);
      expect(ev.n).toBe(1);
      await new Promise((res) => setTimeout(res, 600));
      expect(gw.requests).toHaveLength(1);
    } finally {
      await w.close();
    }
  });

  it('marks a notice failed after its last try when the gateway keeps failing', async () => {
    gw.setScript([reply(503)]);
    const w = await startWorker(gw, { SMS_ATTEMPTS: '3', SMS_BACKOFF_MS: '100' });
    try {
      const id = await notice();
      await until(async () => (await row(id)).state === 'failed', 10_000, 'failed');
      expect((await row(id)).attempts).toBe(3);
      expect(gw.requests).toHaveLength(3);
      await new Promise((res) => setTimeout(res, 800));
      expect(gw.requests).toHaveLength(3);
    } finally {
      await w.close();
    }
  });

  it('fires a delayed notice within a second of its due time, also after its jobs are lost from Redis', async () => {
    const w = await startWorker(gw);
    try {
      const id = await notice(2500);
      const due = (await row(id)).due_at.getTime();
      await until(async () => (await w.queue.getJob(id)) !== undefined, 5000, 'the relay to add the delayed job');
      expect(await (await w.queue.getJob(id))!.getState()).toBe('delayed');
      // What a Redis restart without persistence does to our keys.
      const redis = new Redis(process.env.REDIS_URL!);
      const keys = await redis.keys(`${w.prefix}:bull:*`);
      await redis.del(...keys);
      await redis.quit();
      expect(await w.queue.getJob(id)).toBeUndefined();
      await until(async () => (await row(id)).state === 'sent', 8000, 'sent');
      expect(gw.requests).toHaveLength(1);
      const late = gw.requests[0].at - due;
      expect(late).toBeGreaterThanOrEqual(-50);
      expect(late).toBeLessThan(1000);
    } finally {
      await w.close();
    }
  });

  it('records a notice cancelled while the provider was already sending it as sent, once, since the customer got it', async () => {
    gw.setScript([(_q, res) => setTimeout(() => reply(200)(_q, res, 0), 500)]);
    const w = await startWorker(gw);
    try {
      const id = await notice();
      await until(async () => gw.requests.length === 1, 5000, 'the provider call');
      // What the API's cancel at pickup does meanwhile (branch lock, then the pending row, with its event).
      await ds.query(`UPDATE notifications SET state = 'cancelled', error = 'repair picked_up' WHERE id = $1 AND state = 'pending'`, [id]);
      await until(async () => (await row(id)).state === 'sent', 5000, 'sent');
      expect(await row(id)).toMatchObject({ state: 'sent', error: null, attempts: 1 });
      const events: { data: { notification: { id: string; status: string } } }[] = await ds.query(
        `SELECT data FROM events WHERE branch_id = $1 AND type = 'notification.status' AND data->'notification'->>'id' = $2`,
        [branchId, id],
      );
      expect(events.map((e) => e.data.notification.status)).toEqual(['sent']);
      await new Promise((res) => setTimeout(res, 500));
      expect(gw.requests).toHaveLength(1);
    } finally {
      await w.close();
    }
  });

  it('hands a due notice to the queue again after NOTIFY_REQUEUE_MS when Redis lost its waiting job, and sends it once', async () => {
    // One send at a time and a slow first answer: the second notice waits in the queue when Redis loses its job.
    gw.setScript([(_q, res) => setTimeout(() => reply(200)(_q, res, 0), 2500), reply(200)]);
    const w = await startWorker(gw, { SMS_CONCURRENCY: '1', NOTIFY_REQUEUE_MS: '1000', SMS_TIMEOUT_MS: '10000' });
    try {
      const first = await notice(0, 'R-1');
      await until(async () => gw.requests.length === 1, 5000, 'the first provider call');
      const second = await notice(0, 'R-2');
      await until(async () => (await w.queue.getJob(second)) !== undefined, 5000, 'the relay to add the second');
      const redis = new Redis(process.env.REDIS_URL!);
      await redis.del(...(await redis.keys(`${w.prefix}:bull:*`)));
      await redis.quit();
      await until(async () => (await row(second)).state === 'sent', 10_000, 'the second notice, queued again');
      expect((await row(first)).state).toBe('sent');
      // The first was handed over again too (still pending while its answer was slow) and found sent: one request each.
      expect(gw.requests.map((q) => q.key)).toEqual([first, second]);
    } finally {
      await w.close();
    }
  });

  it('keeps to the provider rate limit across the queue', async () => {
    const w = await startWorker(gw, { SMS_RATE_MAX: '2', SMS_RATE_WINDOW_MS: '1000', SMS_CONCURRENCY: '10' });
    try {
      const ids = await Promise.all([1, 2, 3, 4, 5, 6].map((i) => notice(0, `R-${i}`)));
      await until(async () => (await Promise.all(ids.map(row))).every((r) => r.state === 'sent'), 15_000, 'all sent');
      const times = gw.requests.map((q) => q.at).sort((a, b) => a - b);
      expect(times).toHaveLength(6);
      // At most 2 per second: 6 messages take at least two full windows.
      expect(times[5] - times[0]).toBeGreaterThanOrEqual(1900);
      for (let i = 2; i < times.length; i++) expect(times[i] - times[i - 2]).toBeGreaterThanOrEqual(900);
    } finally {
      await w.close();
    }
  });
});

describe('notify.send for a lobby ticket', () => {
  let ds: DataSource;
  beforeAll(async () => {
    ds = createDataSource(process.env.DATABASE_URL!);
    await ds.initialize();
  });
  afterAll(() => ds.destroy());

  it('cancels the "almost your turn" SMS of a ticket that was called before it went out, and sends one that still waits', async () => {
    const gw = await startGateway();
    const b = await makeBranch(ds);
    const ticket = (status: string, n: number) => lobbyTicket(ds, b, status, n);
    const called = await ticket('called', 1);
    const waiting = await ticket('waiting', 2);
    const notice = (ticketId: string) => nearNotice(ds, b.id, ticketId, 'A002');
    await ds.query(`UPDATE notifications SET state = 'cancelled' WHERE state = 'pending'`);
    const late = await notice(called);
    const onTime = await notice(waiting);
    const w = await startWorker(gw);
    try {
      const state = async (id: string) => (await ds.query<{ state: string; error: string | null }[]>(`SELECT state, error FROM notifications WHERE id = $1`, [id]))[0];
      const end = Date.now() + 10_000;
      while ((await state(late)).state === 'pending' || (await state(onTime)).state === 'pending') {
        if (Date.now() > end) throw new Error('timed out');
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(await state(late)).toEqual({ state: 'cancelled', error: 'ticket called' });
      expect((await state(onTime)).state).toBe('sent');
      expect(gw.requests.map((r) => r.key)).toEqual([onTime]);
      expect(JSON.parse(gw.requests[0].body).body).toBe('您好，您的号码 A002 前面还有 2 位，请回到测试大厅等候叫号。');
    } finally {
      await w.close();
      await gw.close();
    }
  });
});

describe('the provider rate limit', () => {
  let ds: DataSource;
  beforeAll(async () => {
    ds = createDataSource(process.env.DATABASE_URL!);
    await ds.initialize();
  });
  afterAll(() => ds.destroy());

  it('is spent on messages sent, not on notices that end cancelled before they go out', async () => {
    const gw = await startGateway();
    const b = await makeBranch(ds);
    const ticket = (status: string, n: number) => lobbyTicket(ds, b, status, n);
    const notice = (ticketId: string, dueInMs: number) => nearNotice(ds, b.id, ticketId, 'A010', dueInMs);
    await ds.query(`UPDATE notifications SET state = 'cancelled' WHERE state = 'pending'`);
    // Eight near-turn notices of tickets already called, due first; then one of a ticket still waiting. One SMS per
    // two seconds: a limit that counted every job would hold the real one back some 16 s behind the eight.
    const stale = [];
    for (let i = 1; i <= 8; i++) stale.push(await notice(await ticket('called', i), 0));
    const due = Date.now() + 300;
    const real = await notice(await ticket('waiting', 10), 300);
    const w = await startWorker(gw, { SMS_RATE_MAX: '1', SMS_RATE_WINDOW_MS: '2000' });
    try {
      const state = async (id: string) => (await ds.query<{ state: string }[]>(`SELECT state FROM notifications WHERE id = $1`, [id]))[0].state;
      const end = Date.now() + 20_000;
      while ((await state(real)) === 'pending') {
        if (Date.now() > end) throw new Error('timed out waiting for the real notice');
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(await state(real)).toBe('sent');
      expect(gw.requests.map((r) => r.key)).toEqual([real]);
      for (const id of stale) expect(await state(id)).toBe('cancelled');
      // Well inside the eight windows a per-job limit would have made it wait.
      expect(gw.requests[0].at - due).toBeLessThan(8000);
    } finally {
      await w.close();
      await gw.close();
    }
  });
});

describe('notify.send for a repair', () => {
  let ds: DataSource;
  beforeAll(async () => {
    ds = createDataSource(process.env.DATABASE_URL!);
    await ds.initialize();
  });
  afterAll(() => ds.destroy());

  /** A repair ready for pickup, as the API writes it; `smsPickupCode` null is an order taken in before the SMS feature. */
  const readyRepair = async (branchId: string, orderNo: string, smsPickupCode: string | null) => {
    const phone = `+86139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    const [customer]: { id: string }[] = await ds.query(`INSERT INTO customers (phone, name) VALUES ($1, '王女士') RETURNING id`, [phone]);
    const [repair]: { id: string }[] = await ds.query(
      `INSERT INTO repairs (branch_id, order_no, local_day, day_seq, customer_id, customer_name, customer_phone, brand, model, imei, device_key, fault,
                            warranty_status, warranty_computed, warranty_reason, warranty_reason_zh, notify, status, promised_at, pickup_code_hash,
                            sms_pickup_code, created_by, created_at, updated_at, ready_at)
       VALUES ($1, $2, current_date, $3, $4, '王女士', $5, 'Apple', 'iPhone 15', $6, $6, 'no charge',
               'in_warranty', 'in_warranty', 'test', '测试', 'sms', 'ready_for_pickup', now(), 'not-a-real-hash',
               $7, 'test', now(), now(), now())
       RETURNING id`,
      [branchId, orderNo, Math.floor(Math.random() * 1e6), customer.id, phone, `35${randomBytes(6).toString('hex')}`, smsPickupCode],
    );
    return { id: repair.id, phone };
  };
  const pickupNotice = async (branchId: string, repair: { id: string; phone: string }, language: 'zh' | 'en', orderNo: string) =>
    (
      await ds.query(
        `INSERT INTO notifications (branch_id, repair_id, to_phone, language, template, params, dedupe_key, due_at)
         VALUES ($1, $2, $3, $4, 'pickup_ready', $5::jsonb, $6, now()) RETURNING id`,
        [branchId, repair.id, repair.phone, language, JSON.stringify({ orderNo }), `repair:${repair.id}:ready:${language}`],
      )
    )[0].id as string;

  it('points to the repair slip, in the notice language, when an order from before the SMS feature has no plain pickup code', async () => {
    const gw = await startGateway();
    const b = await makeBranch(ds);
    await ds.query(`UPDATE notifications SET state = 'cancelled' WHERE state = 'pending'`);
    const zh = await pickupNotice(b.id, await readyRepair(b.id, 'R20251001-0001', null), 'zh', 'R20251001-0001');
    const en = await pickupNotice(b.id, await readyRepair(b.id, 'R20251001-0002', null), 'en', 'R20251001-0002');
    const withCode = await pickupNotice(b.id, await readyRepair(b.id, 'R20261130-0003', '048213'), 'zh', 'R20261130-0003');
    const w = await startWorker(gw);
    try {
      const end = Date.now() + 10_000;
      const states = async () => (await ds.query<{ state: string }[]>(`SELECT state FROM notifications WHERE id = ANY($1::uuid[])`, [[zh, en, withCode]])).map((r) => r.state);
      while ((await states()).some((s) => s !== 'sent')) {
        if (Date.now() > end) throw new Error(`timed out: ${(await states()).join(', ')}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      const sms = new Map(gw.requests.map((r) => [r.key, (JSON.parse(r.body) as { body: string }).body]));
      expect(sms.get(zh)).toBe('您好，您的手机（单号 R20251001-0001）已修好，请凭取机码 （见取机单） 到测试取机。营业时间 09:00-21:00。');
      expect(sms.get(en)).toBe('Hello, your phone (order R20251001-0002) is repaired. Please collect it at Test with pickup code (on your repair slip). Opening hours 09:00-21:00.');
      // An order with a plain code gets the code itself, and the stored copy hides it.
      expect(sms.get(withCode)).toContain('请凭取机码 048213 到测试取机');
      const [stored] = await ds.query<{ body: string }[]>(`SELECT body FROM notifications WHERE id = $1`, [withCode]);
      expect(stored.body).toContain('请凭取机码 ****** 到测试取机');
    } finally {
      await w.close();
      await gw.close();
    }
  });
});
