import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { CALLBACK_DUE_JOB_OPTS, callbackDueJobId, JOB_QUEUES, type JobDataMap } from '@frontdesk/contracts';
import { CallbackRepository, createDataSource } from '@frontdesk/db';
import { makeBranch } from '@frontdesk/db/testing';
import { loadWorkerConfig } from '../config';
import { WorkerModule } from '../worker.module';

/**
 * The real worker (Nest app context, BullMQ on real Redis, real Postgres): a scheduled callback becomes due on time,
 * once, across a worker restart, and even when its job was never queued.
 */
describe('callback due jobs (real worker, Redis and Postgres)', () => {
  let ds: DataSource;
  let queue: Queue;
  let connection: Redis;
  const repo = new CallbackRepository();
  const config = () =>
    loadWorkerConfig({ ...process.env, LOG_LEVEL: 'silent', HEARTBEAT_MS: '60000', CALLBACK_SWEEP_EVERY_MS: '600000', CLOSE_DAY_EVERY_MS: '600000' });
  const startWorker = () => NestFactory.createApplicationContext(WorkerModule.register(config()), { logger: false });

  beforeAll(async () => {
    ds = createDataSource(process.env.DATABASE_URL!);
    await ds.initialize();
    connection = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });
    queue = new Queue(JOB_QUEUES.callbacks, { connection, prefix: `${process.env.REDIS_PREFIX}:bull` });
  });
  afterAll(async () => {
    await queue.close();
    await connection.quit();
    await ds.destroy();
  });

  /** A callback as the API stores it, due `inMs` from now, without a due job. */
  const scheduled = async (branchId: string, inMs: number) => {
    const now = new Date();
    const c = await repo.create(
      ds.manager,
      { branchId, phone: '+8613800138000', name: '陈先生', dueAt: new Date(now.getTime() + inMs), reason: 'promised', createdBy: 'test' },
      now,
    );
    return c!;
  };
  /** What the API does after the commit. */
  const enqueue = (c: { id: string; branchId: string; dueAt: string }, jobId = callbackDueJobId(c.id, c.dueAt)) => {
    const data: JobDataMap['callback.due'] = { callbackId: c.id, branchId: c.branchId, dueAt: c.dueAt };
    return queue.add('callback.due', data, { ...CALLBACK_DUE_JOB_OPTS, jobId, delay: Math.max(0, new Date(c.dueAt).getTime() - Date.now()) });
  };
  const dueEvents = async (branchId: string) =>
    ds.query<{ seq: string; at: Date; data: { callback: { id: string; status: string } } }[]>(
      `SELECT seq, at, data FROM events WHERE branch_id = $1 AND type = 'callback.due' ORDER BY seq`,
      [branchId],
    );
  const waitFor = async <T>(probe: () => Promise<T | undefined>, ms: number): Promise<T> => {
    const until = Date.now() + ms;
    for (;;) {
      const v = await probe();
      if (v !== undefined) return v;
      if (Date.now() > until) throw new Error(`not within ${ms} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const statusOf = async (id: string) => (await ds.query<{ status: string }[]>(`SELECT status FROM callbacks WHERE id = $1`, [id]))[0].status;

  it('a due job fires within a few seconds of the due time and writes one callback.due for the API to push', async () => {
    const worker = await startWorker();
    try {
      const b = await makeBranch(ds);
      const c = await scheduled(b.id, 2500);
      await enqueue(c);
      await new Promise((r) => setTimeout(r, 1500));
      expect(await dueEvents(b.id)).toHaveLength(0); // not before its time
      const [event] = await waitFor(async () => ((await dueEvents(b.id)).length ? dueEvents(b.id) : undefined), 8000);
      const late = event.at.getTime() - new Date(c.dueAt).getTime();
      expect(late).toBeGreaterThanOrEqual(-1000);
      expect(late).toBeLessThan(3000);
      expect(event.data.callback).toMatchObject({ id: c.id, status: 'due' });
      expect(await statusOf(c.id)).toBe('due');
      const [{ published_at }] = await ds.query(`SELECT published_at FROM events WHERE branch_id = $1 AND seq = $2`, [b.id, event.seq]);
      expect(published_at).toBeNull(); // the API's outbox sweep publishes worker events
    } finally {
      await worker.close();
    }
  });

  it('a duplicate job (same id twice, and the same callback under another id) makes one event', async () => {
    const worker = await startWorker();
    try {
      const b = await makeBranch(ds);
      const c = await scheduled(b.id, 1000);
      await enqueue(c);
      await enqueue(c);
      await enqueue(c, `${callbackDueJobId(c.id, c.dueAt)}.again`);
      await waitFor(async () => ((await dueEvents(b.id)).length ? true : undefined), 8000);
      await new Promise((r) => setTimeout(r, 1500));
      expect(await dueEvents(b.id)).toHaveLength(1);
    } finally {
      await worker.close();
    }
  });

  it('a worker restarted before the due time still fires the job on time', async () => {
    const b = await makeBranch(ds);
    let worker: INestApplicationContext = await startWorker();
    const c = await scheduled(b.id, 4000);
    await enqueue(c);
    await worker.close();
    await new Promise((r) => setTimeout(r, 1000));
    expect(await dueEvents(b.id)).toHaveLength(0);
    worker = await startWorker();
    try {
      const [event] = await waitFor(async () => ((await dueEvents(b.id)).length ? dueEvents(b.id) : undefined), 10_000);
      expect(event.at.getTime() - new Date(c.dueAt).getTime()).toBeLessThan(3000);
      expect(await dueEvents(b.id)).toHaveLength(1);
    } finally {
      await worker.close();
    }
  });

  it('a worker stopped while its sweep waits on the database lets the sweep finish on open connections, then stops', async () => {
    const b = await makeBranch(ds);
    const coming = await scheduled(b.id, 60_000);
    // Hold the sweep at its first read, as a slow database would.
    const lock = ds.createQueryRunner();
    await lock.connect();
    await lock.startTransaction();
    await lock.query(`LOCK TABLE callbacks IN ACCESS EXCLUSIVE MODE`);
    const worker = await startWorker();
    let closing: Promise<string> | undefined;
    try {
      await waitFor(async () => {
        const waiting = await ds.query<unknown[]>(
          `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE '%callbacks%'`,
        );
        return waiting.length ? true : undefined;
      }, 10_000);
      closing = worker.close().then(() => 'stopped');
      await new Promise((r) => setTimeout(r, 500)); // shutdown has begun while the sweep is in flight
    } finally {
      await lock.commitTransaction();
      await lock.release();
      closing ??= worker.close().then(() => 'stopped');
    }
    const outcome = await Promise.race([closing, new Promise<string>((r) => setTimeout(() => r('still stopping after 15 s'), 15_000))]);
    expect(outcome).toBe('stopped');
    // The sweep's last step, queueing the coming callback's due job, reached Redis.
    expect(await queue.getJob(callbackDueJobId(coming.id, coming.dueAt))).toBeDefined();
  });

  it('a rescheduled callback ignores its stale job and fires at the new time', async () => {
    const worker = await startWorker();
    try {
      const b = await makeBranch(ds);
      const c = await scheduled(b.id, 1000);
      await enqueue(c);
      const later = new Date(Date.now() + 60 * 60_000);
      await ds.query(`UPDATE callbacks SET due_at = $2 WHERE id = $1`, [c.id, later]);
      await new Promise((r) => setTimeout(r, 2500));
      expect(await dueEvents(b.id)).toHaveLength(0);
      expect(await statusOf(c.id)).toBe('scheduled');
    } finally {
      await worker.close();
    }
  });

  it('the start-up sweep makes a missed callback due (its job was lost with Redis) and queues the coming ones', async () => {
    const b = await makeBranch(ds);
    const missed = await scheduled(b.id, 60_000);
    // Its time came while its job was lost: still scheduled, a minute past due.
    await ds.query(`UPDATE callbacks SET due_at = now() - interval '1 minute' WHERE id = $1`, [missed.id]);
    const coming = await scheduled(b.id, 3000);
    const worker = await startWorker();
    try {
      await waitFor(async () => ((await statusOf(missed.id)) === 'due' ? true : undefined), 8000);
      const [event] = await waitFor(async () => ((await dueEvents(b.id)).length === 2 ? dueEvents(b.id) : undefined), 10_000);
      expect(event.data.callback.id).toBe(missed.id);
      expect(await statusOf(coming.id)).toBe('due');
      const second = (await dueEvents(b.id))[1];
      expect(second.at.getTime() - new Date(coming.dueAt).getTime()).toBeLessThan(3000);
      expect(await queue.getJob(callbackDueJobId(coming.id, coming.dueAt))).toBeDefined();
      expect(await dueEvents(b.id)).toHaveLength(2);
    } finally {
      await worker.close();
    }
  });
});
