import { Queue } from 'bullmq';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Screen } from '../support/live-screen';
import { waitUntil } from '../support/private-servers';
import { loginAs, ROOT, sql, startStack, type Stack } from '../support/stack';

/** Figures of the last run, for docs/reliability.md. */
const figures: Record<string, unknown> = {};

describe('crashes: kill -9 of an API mid-burst, and two workers on one queue', () => {
  afterAll(() => {
    const dir = join(ROOT, 'test-artifacts');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'crash-figures.json'), JSON.stringify(figures, null, 2));
    console.log(`crash figures: ${JSON.stringify(figures)}`);
  });

  it('kill -9 of an API during a burst of call-next: every ticket called exactly once, screens converge with no seq gap', async () => {
    const stack: Stack = await startStack({ apis: 2, env: { KIOSK_TICKETS_PER_MINUTE: '100000', SYNC_INTERVAL_MS: '1000', OUTBOX_SWEEP_MS: '300' } });
    const branchId = stack.seed.branchId;
    const screens: Screen[] = [];
    try {
      const [A, B] = stack.apis;
      const desk = await loginAs(B.url, 'frontdesk1', stack.seed.password);
      const auth = { authorization: `Bearer ${desk}`, 'content-type': 'application/json' };
      const services = (await (await fetch(`${B.url}/api/branches/${branchId}/services`, { headers: auth })).json()) as { id: string; code: string }[];
      const counters = (await (await fetch(`${B.url}/api/branches/${branchId}/counters`, { headers: auth })).json()) as { id: string; services: string[] }[];
      const TICKETS = 80;
      const created: { id: string; number: string }[] = [];
      for (let i = 0; i < TICKETS; i++) {
        const r = await fetch(`${B.url}/api/branches/${branchId}/tickets`, {
          method: 'POST',
          headers: { authorization: `Bearer ${stack.seed.kioskToken}`, 'content-type': 'application/json' },
          body: JSON.stringify({ serviceId: services[i % services.length].id }),
        });
        expect(r.status).toBe(201);
        created.push((await r.json()) as { id: string; number: string });
      }

      // Screens on both instances; the display on B must also show what A does (Redis adapter / outbox).
      const displayB = new Screen('display on B', branchId, stack.seed.displayToken, 'display');
      const staffA = new Screen('staff on A', branchId, desk, 'staff');
      const staffB = new Screen('staff on B', branchId, desk, 'staff');
      screens.push(displayB, staffA, staffB);
      await displayB.connect(B.url);
      await staffA.connect(A.url);
      await staffB.connect(B.url);

      // The burst: every counter presses call-next until nobody waits. Requests go to A while it lives; a request that
      // dies with A is retried on B with the same Idempotency-Key, as the simulator and a load balancer would.
      let aAlive = true;
      let killedAt = 0;
      let inFlightToA = 0;
      let inFlightAtKill = 0;
      let failedOver = 0;
      let staffAAtKill = 0;
      const calls: { ticketId: string; number: string; via: 'A' | 'B' }[] = [];
      /** One request with fail-over: the same Idempotency-Key on every try, to A while it lives, else to B. */
      const send = async (path: string): Promise<{ status: number; body: unknown; via: 'A' | 'B' }> => {
        const key = randomUUID();
        for (let attempt = 0; attempt < 20; attempt++) {
          const viaA = aAlive;
          if (viaA) inFlightToA++;
          try {
            const r = await fetch(`${viaA ? A.url : B.url}/api${path}`, { method: 'POST', headers: { ...auth, 'Idempotency-Key': key }, signal: AbortSignal.timeout(10_000) });
            if (r.status < 500) {
              const text = await r.text();
              return { status: r.status, body: text ? (JSON.parse(text) as unknown) : null, via: viaA ? 'A' : 'B' };
            }
          } catch {
            if (viaA && !aAlive) failedOver++;
          } finally {
            if (viaA) inFlightToA--;
          }
          await new Promise((r) => setTimeout(r, 50));
        }
        throw new Error(`${path} did not get an answer in 20 tries`);
      };
      /** A receptionist's cycle: call the next customer, serve, finish. False when nobody waits for this counter. */
      const cycle = async (counterId: string): Promise<boolean> => {
        const called = await send(`/counters/${counterId}/call-next`);
        if (called.status === 204) return false;
        if (called.status !== 200) throw new Error(`call-next ${called.status}: ${JSON.stringify(called.body)}`);
        const { ticket } = called.body as { ticket: { id: string; number: string } };
        calls.push({ ticketId: ticket.id, number: ticket.number, via: called.via });
        for (const step of ['serve', 'finish']) {
          const r = await send(`/tickets/${ticket.id}/${step}`);
          if (r.status !== 200) throw new Error(`${step} ${r.status}: ${JSON.stringify(r.body)}`);
        }
        return true;
      };
      const killer = (async () => {
        await waitUntil(async () => calls.length >= 20, 30_000, '20 calls before the kill');
        inFlightAtKill = inFlightToA;
        A.proc.kill('SIGKILL');
        killedAt = Date.now();
        aAlive = false;
        staffAAtKill = staffA.lastSeq;
      })();
      await Promise.all([
        killer,
        ...counters.map(async (c) => {
          while (await cycle(c.id)) {
            /* next */
          }
        }),
      ]);
      const burstEnded = Date.now();

      // Restart: a new API process (a fresh port, as a new container would get); the screen that lived on A moves to it.
      const restartStarted = Date.now();
      const A2 = await stack.startApi();
      const restartMs = Date.now() - restartStarted;
      staffA.close();
      await staffA.connect(A2.url);
      const freshDisplay = new Screen('fresh display on A2', branchId, stack.seed.displayToken, 'display');
      screens.push(freshDisplay);
      await freshDisplay.connect(A2.url);

      const [{ last_seq }] = await sql<{ last_seq: string }>(stack.databaseUrl, `SELECT last_seq FROM branch_event_seq WHERE branch_id = $1`, [branchId]);
      const dbSeq = Number(last_seq);
      const convergeStarted = Date.now();
      await waitUntil(async () => screens.every((s) => s.lastSeq === dbSeq), 20_000, `every screen at seq ${dbSeq}`);
      const convergeMs = Date.now() - convergeStarted;

      // No ticket lost, none called twice: in the database...
      const calledTwice = await sql<{ id: string; n: string }>(
        stack.databaseUrl,
        `SELECT data->'ticket'->>'id' AS id, count(*) AS n FROM events WHERE branch_id = $1 AND type = 'ticket.called' GROUP BY 1 HAVING count(*) > 1`,
        [branchId],
      );
      expect(calledTwice).toEqual([]);
      const dbCalled = await sql<{ number: string }>(stack.databaseUrl, `SELECT number FROM tickets WHERE branch_id = $1 AND first_called_at IS NOT NULL ORDER BY number`, [branchId]);
      expect(dbCalled.map((t) => t.number)).toEqual(created.map((t) => t.number).sort());
      const stillWaiting = await sql(stack.databaseUrl, `SELECT 1 FROM tickets WHERE branch_id = $1 AND status = 'waiting'`, [branchId]);
      expect(stillWaiting).toHaveLength(0);
      // ...and as the receptionists saw it: every ticket handed to exactly one call-next.
      expect(calls).toHaveLength(TICKETS);
      expect(new Set(calls.map((c) => c.ticketId)).size).toBe(TICKETS);

      // Every screen has every event since it subscribed, and shows the same calls as the database.
      for (const s of screens) {
        expect({ screen: s.name, gaps: s.gaps(), snapshotJumps: s.snapshotJumps }).toEqual({ screen: s.name, gaps: [], snapshotJumps: 0 });
      }
      expect(displayB.calledNumbers()).toEqual(dbCalled.map((t) => t.number));
      expect(staffB.calledNumbers()).toEqual(dbCalled.map((t) => t.number));
      // The display on B saw the calls A made before it died (cross-instance delivery).
      const viaA = calls.filter((c) => c.via === 'A').map((c) => c.number);
      expect(viaA.length).toBeGreaterThan(0);
      expect(displayB.calledNumbers()).toEqual(expect.arrayContaining(viaA));

      Object.assign(figures, {
        killTest: {
          tickets: TICKETS,
          callsViaA: viaA.length,
          callsViaB: calls.length - viaA.length,
          requestsInFlightToAAtKill: inFlightAtKill,
          requestsRetriedOnBAfterKill: failedOver,
          burstAfterKillMs: burstEnded - killedAt,
          restartToHealthyMs: restartMs,
          screensConvergedAfterRestartMs: convergeMs,
          eventsReplayedToTheScreenOfA: staffA.lastSeq - staffAAtKill,
          eventsAtEnd: dbSeq,
          resubscribes: Object.fromEntries(screens.map((s) => [s.name, s.resubscribes])),
          seqGaps: 0,
          ticketsCalledTwice: calledTwice.length,
        },
      });
    } finally {
      for (const s of screens) s.close();
      await stack.stop();
    }
  }, 180_000);

  it('two workers on one queue: each job enqueued once is processed once', async () => {
    const stack: Stack = await startStack({ apis: 1, worker: true, env: { LOG_LEVEL: 'info' } });
    let second: ChildProcess | null = null;
    const secondLogs: string[] = [];
    const redisUrl = new URL(stack.redisUrl);
    const queue = new Queue('housekeeping', { connection: { host: redisUrl.hostname, port: Number(redisUrl.port || 6379) }, prefix: `${stack.redisPrefix}:bull` });
    try {
      second = spawn('node', ['apps/worker/dist/main.js'], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: stack.databaseUrl, REDIS_URL: stack.redisUrl, REDIS_PREFIX: stack.redisPrefix, DEMO_MODE: 'true', LOG_LEVEL: 'info', HEARTBEAT_MS: '1000' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      second.stdout?.on('data', (d) => secondLogs.push(String(d)));
      second.stderr?.on('data', (d) => secondLogs.push(String(d)));
      await waitUntil(async () => (await queue.getWorkers()).length >= 2, 30_000, 'two workers on the housekeeping queue');
      // Let the start-up runs of both workers finish before counting.
      await waitUntil(async () => {
        const c = await queue.getJobCounts('waiting', 'active');
        return c.waiting + c.active === 0;
      }, 30_000, 'start-up jobs done');

      const branchId = stack.seed.branchId;
      const [{ id: serviceId }] = await sql<{ id: string }>(stack.databaseUrl, `SELECT id FROM services WHERE branch_id = $1 AND code = 'A'`, [branchId]);
      const ROUNDS = 8;
      const PER_ROUND = 3;
      const jobs: { id: string; attemptsStarted: number; returnvalue: unknown }[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        // Tickets left open from an earlier day: exactly what lobby.close-day closes.
        const ids: string[] = [];
        for (let i = 0; i < PER_ROUND; i++) {
          const r = await fetch(`${stack.apis[0].url}/api/branches/${branchId}/tickets`, {
            method: 'POST',
            headers: { authorization: `Bearer ${stack.seed.kioskToken}`, 'content-type': 'application/json' },
            body: JSON.stringify({ serviceId }),
          });
          ids.push(((await r.json()) as { id: string }).id);
        }
        await sql(stack.databaseUrl, `UPDATE tickets SET local_day = local_day - 1 WHERE id = ANY($1::uuid[])`, [ids]);
        const job = await queue.add('lobby.close-day', { branchId }, { jobId: `crash-test-close-day-${round}` });
        await waitUntil(async () => (await job.getState()) === 'completed', 30_000, `job ${job.id} completed`);
        const done = (await queue.getJob(job.id!))!;
        jobs.push({ id: done.id!, attemptsStarted: done.attemptsStarted, returnvalue: done.returnvalue });
      }

      // The effect, counted: one cancellation event per stale ticket, none twice.
      const cancelled = await sql<{ id: string; n: string }>(
        stack.databaseUrl,
        `SELECT data->'ticket'->>'id' AS id, count(*) AS n FROM events WHERE branch_id = $1 AND type = 'ticket.cancelled' AND actor = 'worker:lobby.close-day' GROUP BY 1`,
        [branchId],
      );
      expect(cancelled).toHaveLength(ROUNDS * PER_ROUND);
      expect(cancelled.every((c) => c.n === '1')).toBe(true);
      // Each job started once and reports its own batch.
      expect(jobs.map((j) => j.attemptsStarted)).toEqual(jobs.map(() => 1));
      expect(jobs.map((j) => j.returnvalue)).toEqual(jobs.map(() => ({ status: 'success', detail: expect.stringContaining(String(PER_ROUND)) })));
      // One success line per job over both workers' logs.
      const lines = [...stack.logs.filter((l) => l.startsWith('[worker]')), ...secondLogs].join('').split('\n');
      const handled = lines.filter((l) => l.includes('lobby.close-day: ') && l.includes(`${PER_ROUND}`));
      expect(handled).toHaveLength(ROUNDS);
      figures.twoWorkers = {
        jobs: ROUNDS,
        ticketsClosed: cancelled.length,
        duplicateProcessing: 0,
        handledLinesWorker1: stack.logs.filter((l) => l.startsWith('[worker]') && l.includes('lobby.close-day: ')).length,
        handledLinesWorker2: secondLogs.filter((l) => l.includes('lobby.close-day: ')).length,
      };
    } finally {
      await queue.close();
      if (second && second.exitCode === null) {
        const s = second;
        await new Promise<void>((res) => {
          s.once('exit', () => res());
          s.kill('SIGTERM');
          setTimeout(() => s.kill('SIGKILL'), 5000).unref();
        });
      }
      await stack.stop();
    }
  }, 120_000);
});
