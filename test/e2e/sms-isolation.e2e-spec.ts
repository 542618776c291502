import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AlertDto, CallTicketResponse, CreatedRepairDto, TicketDto } from '@frontdesk/contracts';
import { percentileCont } from '@frontdesk/domain';
import { hang, reply, reset, startGateway, type Gateway, type GatewayReply } from '../../apps/worker/src/test-support/sms-gateway';
import { intake } from '../../apps/api/src/repairs/repair-test-data';
import { Screen } from '../support/live-screen';
import { waitUntil } from '../support/private-servers';
import { loginAs, ROOT, sql, startStack, type Stack } from '../support/stack';

const SECRET = 'e2e-webhook-secret-0123';
/** Sends the worker makes at once: every one of them is held by the stuck provider. */
const SMS_CONCURRENCY = 4;
/** Generous: the provider holds every send for the whole window, so a call waiting on it would take far longer. */
const BOUND_MS = 3000;
/** The gateway refuses this number for good (400): its notice must end failed, with its alert. */
const REFUSED_PHONE = '13900000400';
const REPAIRS = 7;
const TICKETS_PER_BURST = 24;
/** The lobby keeps working this long in each phase, far beyond BOUND_MS: a call waiting on the provider would show. */
const PHASE_MS = 10_000;
/** A request not answered by then is reported as such (status 0) rather than waited for. */
const NO_ANSWER_MS = 20_000;

type Phase = 'idle' | 'stuck' | 'failing' | 'recovered';
interface Answer<T> {
  status: number;
  body: T;
  ms: number;
}
interface NoticeRow {
  id: string;
  template: string;
  state: string;
  error: string | null;
  ticket_id: string | null;
  repair_id: string | null;
  to_phone: string;
  due_at: Date;
}

/** Figures of the last run, for docs/reliability.md. */
const figures: Record<string, unknown> = {};

/**
 * "A slow or failing SMS provider never slows ticket calls", against the built API and worker as processes. A local
 * gateway plays the provider: first it holds every request without an answer (every send slot of the worker stuck
 * in it), then it fails (503s and reset connections), then it recovers. Through all three the front desk keeps
 * working the lobby at two counters with a display subscribed, hands over a repair whose ready SMS is being sent at
 * that moment and calls a ticket whose "almost your turn" SMS is in flight.
 */
describe('SMS isolation: a stuck or failing SMS provider does not slow the lobby', () => {
  afterAll(() => {
    const dir = join(ROOT, 'test-artifacts');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'sms-isolation-figures.json'), JSON.stringify(figures, null, 2));
    console.log(`sms isolation figures: ${JSON.stringify(figures)}`);
  });

  it('answers every lobby request at once while the provider holds or fails every send, then sends each due notice once', async () => {
    let gw: Gateway | null = null;
    const refusing =
      (otherwise: GatewayReply): GatewayReply =>
      (req, res, n) => {
        const { to } = JSON.parse(gw!.requests[n].body) as { to: string };
        if (to.endsWith(REFUSED_PHONE)) return reply(400, { error: 'invalid number' })(req, res, n);
        return otherwise(req, res, n);
      };
    const healthy = refusing(reply(200));
    const failing = refusing((req, res, n) => (n % 2 ? reply(503, { error: 'upstream unavailable' }) : reset)(req, res, n));
    gw = await startGateway([healthy]);
    const stack: Stack = await startStack({
      apis: 1,
      worker: true,
      env: {
        KIOSK_TICKETS_PER_MINUTE: '100000',
        OUTBOX_SWEEP_MS: '300',
        SMS_PROVIDER: 'webhook',
        SMS_WEBHOOK_URL: gw.url,
        SMS_WEBHOOK_SECRET: SECRET,
        // Longer than the whole test: a held request stays stuck until the gateway drops it.
        SMS_TIMEOUT_MS: '60000',
        SMS_CONCURRENCY: String(SMS_CONCURRENCY),
        // Enough tries that only the refused number fails for good; short backoff so recovery is quick.
        SMS_ATTEMPTS: '12',
        SMS_BACKOFF_MS: '200',
        NOTIFY_RELAY_MS: '200',
      },
    }).catch(async (err: unknown) => {
      await gw.close();
      throw err;
    });
    const screen = new Screen('display', stack.seed.branchId, stack.seed.displayToken, 'display');
    try {
      const base = stack.apis[0].url;
      const branchId = stack.seed.branchId;
      let phase: Phase = 'idle';
      const answers: { phase: Phase; what: string; status: number; ms: number }[] = [];
      const providerRequestsAt: Partial<Record<Phase, number>> = { idle: 0 };
      const resubscribesAt: Partial<Record<Phase, number>> = { idle: 0 };
      const enter = (p: Phase) => {
        phase = p;
        providerRequestsAt[p] = gw.requests.length;
        resubscribesAt[p] = screen.resubscribes;
      };

      const send = async <T>(what: string, method: 'GET' | 'POST' | 'PATCH', path: string, token: string, body?: unknown): Promise<Answer<T>> => {
        const started = performance.now();
        let r: Response;
        try {
          r = await fetch(`${base}/api${path}`, {
            method,
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(method === 'POST' ? { 'Idempotency-Key': randomUUID() } : {}) },
            body: method === 'GET' ? undefined : JSON.stringify(body ?? {}),
            signal: AbortSignal.timeout(NO_ANSWER_MS),
          });
        } catch (err) {
          // A request stuck behind the provider would never be answered while the provider holds its sends.
          const ms = performance.now() - started;
          answers.push({ phase, what, status: 0, ms });
          return { status: 0, body: `no answer within ${NO_ANSWER_MS} ms: ${String(err)}` as T, ms };
        }
        const text = await r.text();
        const ms = performance.now() - started;
        answers.push({ phase, what, status: r.status, ms });
        return { status: r.status, body: (text ? JSON.parse(text) : null) as T, ms };
      };
      const expectOk = <T>(a: Answer<T>, what: string, ok = [200, 201]): T => {
        if (!ok.includes(a.status)) throw new Error(`${what}: ${a.status} ${JSON.stringify(a.body)}`);
        return a.body;
      };

      const manager = await loginAs(base, 'manager', stack.seed.password);
      const desk1 = await loginAs(base, 'frontdesk1', stack.seed.password);
      const desk2 = await loginAs(base, 'frontdesk2', stack.seed.password);
      // Notices go out at any hour of the run: no quiet hours for this branch.
      expectOk(await send('settings', 'PATCH', `/branches/${branchId}/notify-settings`, manager, { quietStart: '00:00', quietEnd: '00:00', lobbyNearSms: true }), 'notify settings');
      const services = expectOk(await send<{ id: string; code: string }[]>('services', 'GET', `/branches/${branchId}/services`, desk1), 'services');
      const counters = expectOk(await send<{ id: string; name: string }[]>('counters', 'GET', `/branches/${branchId}/counters`, desk1), 'counters');
      const service = (code: string) => services.find((s) => s.code === code)!.id;
      const counter = (n: number) => counters.find((c) => c.name.endsWith(`Counter ${n}`))!.id;
      await screen.connect(base);

      let phoneNo = 0;
      const kiosk = async (code: string) =>
        expectOk(
          await send<TicketDto>('ticket', 'POST', `/branches/${branchId}/tickets`, stack.seed.kioskToken, {
            serviceId: service(code),
            phone: `137${String(++phoneNo).padStart(8, '0')}`,
          }),
          'kiosk ticket',
        );

      /**
       * A burst of lobby work: a kiosk issues tickets (each with a phone, so calls write "almost your turn" notices)
       * while counters 1 and 2 (services A, B, C) call, serve and finish until nobody waits.
       */
      const lobbyBurst = async (): Promise<string[]> => {
        const codes = ['A', 'B', 'C'];
        for (let i = 0; i < TICKETS_PER_BURST / 2; i++) await kiosk(codes[i % 3]);
        let issuing = true;
        const issuer = (async () => {
          for (let i = TICKETS_PER_BURST / 2; i < TICKETS_PER_BURST; i++) await kiosk(codes[i % 3]);
          issuing = false;
        })();
        const calledIds: string[] = [];
        const work = async (counterId: string, token: string) => {
          for (;;) {
            const called = await send<CallTicketResponse | null>('call-next', 'POST', `/counters/${counterId}/call-next`, token);
            expectOk(called, 'call-next', [200, 204]);
            if (called.status === 204) {
              if (!issuing) return;
              await new Promise((r) => setTimeout(r, 50));
              continue;
            }
            const id = called.body!.ticket.id;
            calledIds.push(id);
            expectOk(await send('serve', 'POST', `/tickets/${id}/serve`, token), 'serve');
            expectOk(await send('finish', 'POST', `/tickets/${id}/finish`, token), 'finish');
          }
        };
        await Promise.all([issuer, work(counter(1), desk1), work(counter(2), desk2)]);
        expect(calledIds).toHaveLength(TICKETS_PER_BURST);
        return calledIds;
      };
      /** Bursts one after the other until the phase has lasted PHASE_MS; the tickets they called. */
      const lobbyFor = async (from: number): Promise<string[]> => {
        const called: string[] = [];
        do called.push(...(await lobbyBurst()));
        while (performance.now() - from < PHASE_MS);
        return called;
      };
      const readyRepair = async (phone: string) => {
        const created = expectOk(await send<CreatedRepairDto>('repair', 'POST', `/branches/${branchId}/repairs`, desk1, intake({ customer: { name: '客户', phone } })), 'repair');
        for (const to of ['diagnosing', 'repairing', 'qa', 'ready_for_pickup']) expectOk(await send('transition', 'POST', `/repairs/${created.id}/transition`, desk1, { to }), `transition to ${to}`);
        return { ...created, phone };
      };
      const notices = () =>
        sql<NoticeRow>(stack.databaseUrl, `SELECT id, template, state, error, ticket_id, repair_id, to_phone, due_at FROM notifications WHERE branch_id = $1`, [branchId]);

      const settled = async () => (await notices()).every((n) => n.state !== 'pending' || n.due_at.getTime() > Date.now() + 60_000);

      // Baseline: the provider answers at once.
      const idleFrom = performance.now();
      const idleCalled = await lobbyFor(idleFrom);
      // A hand-over whose ready SMS went out long ago: how long a pickup takes by itself (it checks the code's hash).
      const early = await readyRepair('13500000000');
      await waitUntil(async () => (await notices()).some((n) => n.repair_id === early.id && n.template === 'pickup_ready' && n.state === 'sent'), 20_000, 'the baseline pickup SMS');
      const idlePickup = await send('pickup', 'POST', `/repairs/${early.id}/pickup`, desk1, { pickupCode: early.pickupCode });
      expect(idlePickup.status).toBe(200);
      await waitUntil(settled, 30_000, 'the notices of the baseline to be done with');
      const idleWindowMs = performance.now() - idleFrom;

      // Stuck: the provider accepts every request and never answers.
      enter('stuck');
      gw.setScript([hang]);
      // Lobby D (counter 3): after D1 is called, D4 has two tickets ahead and gets its "almost your turn" SMS.
      const d: TicketDto[] = [];
      for (let i = 0; i < 5; i++) d.push(await kiosk('D'));
      const d1 = expectOk(await send<CallTicketResponse>('call-next', 'POST', `/counters/${counter(3)}/call-next`, desk1), 'call D1');
      expect(d1.ticket.id).toBe(d[0].id);
      const nearInFlight = (await notices()).find((n) => n.template === 'lobby_near' && n.ticket_id === d[3].id)!.id;
      await waitUntil(async () => gw.held().some((r) => r.key === nearInFlight), 20_000, 'the near-turn SMS of D4 to reach the provider');

      // Repairs made ready for pickup: each writes a pickup SMS, due at once; more than the worker has send slots.
      const repairs: (CreatedRepairDto & { phone: string })[] = [];
      for (let i = 0; i < REPAIRS; i++) repairs.push(await readyRepair(i === REPAIRS - 1 ? REFUSED_PHONE : `136${String(i).padStart(8, '0')}`));
      await waitUntil(async () => gw.held().length === SMS_CONCURRENCY, 20_000, `all ${SMS_CONCURRENCY} send slots of the worker to be stuck in the provider`);
      const heldAtStart = gw.held().map((r) => r.key);
      const stuckRepairs = new Set(repairs.map((r) => r.id));
      const pickupNotices = new Map((await notices()).filter((n) => n.template === 'pickup_ready' && stuckRepairs.has(n.repair_id!)).map((n) => [n.repair_id!, n.id]));
      expect(pickupNotices.size).toBe(REPAIRS);
      const handedOver = repairs.find((r) => r.phone !== REFUSED_PHONE && heldAtStart.includes(pickupNotices.get(r.id)!))!;
      expect(handedOver).toBeDefined();

      const stuckFrom = performance.now();
      const [stuckCalled, pickup, nearCall] = await Promise.all([
        lobbyFor(stuckFrom),
        // The customer collects the phone whose "ready" SMS the worker is sending right now.
        send('pickup', 'POST', `/repairs/${handedOver.id}/pickup`, desk1, { pickupCode: handedOver.pickupCode }),
        // Counter 3 finishes D1 and calls D4 out of order while D4's near-turn SMS is in flight.
        (async () => {
          expectOk(await send('serve', 'POST', `/tickets/${d1.ticket.id}/serve`, desk1), 'serve D1');
          expectOk(await send('finish', 'POST', `/tickets/${d1.ticket.id}/finish`, desk1), 'finish D1');
          return send<CallTicketResponse>('call', 'POST', `/counters/${counter(3)}/call/${d[3].id}`, desk1, { reason: 'came back to the desk' });
        })(),
      ]);
      const stuckWindowMs = performance.now() - stuckFrom;
      expect(pickup.status).toBe(200);
      expect(pickup.ms).toBeLessThan(BOUND_MS);
      expect(nearCall.status).toBe(200);
      expect(nearCall.ms).toBeLessThan(BOUND_MS);
      // The worker was stuck in the provider for the whole window: the same sends are still held at its end.
      expect(gw.held().map((r) => r.key).sort()).toEqual([...heldAtStart].sort());

      // Failing: the held sends are cut off and every new one gets a 503 or a reset connection.
      enter('failing');
      gw.setScript([failing]);
      const heldForMs = Date.now() - Math.min(...gw.held().map((r) => r.at));
      gw.dropHeld();
      const failingFrom = performance.now();
      const refused = repairs.find((r) => r.phone === REFUSED_PHONE)!;
      const refusedNotice = pickupNotices.get(refused.id)!;
      const refusedState = async () => (await sql<{ state: string }>(stack.databaseUrl, `SELECT state FROM notifications WHERE id = $1`, [refusedNotice]))[0].state;
      // The refusal comes while the lobby works; the phase ends once it came and the lobby has worked PHASE_MS.
      const [failingCalled] = await Promise.all([lobbyFor(failingFrom), waitUntil(async () => (await refusedState()) === 'failed', 60_000, 'the refused number to fail for good')]);
      const failingWindowMs = performance.now() - failingFrom;
      const failingRequests = gw.requests.slice(providerRequestsAt.failing);
      expect(failingRequests.length).toBeGreaterThan(SMS_CONCURRENCY);
      expect(failingRequests.every((r) => r.status === undefined || r.status >= 400)).toBe(true);

      // Recovered: the provider answers 200 (the refused number stays refused).
      enter('recovered');
      gw.setScript([healthy]);
      const recoveredFrom = performance.now();
      await waitUntil(settled, 60_000, 'every due notice to be sent, cancelled or failed');
      const drainMs = performance.now() - recoveredFrom;

      // --- What the front desk saw: nothing waited on the provider. ---
      const byPhase = (p: Phase) => answers.filter((a) => a.phase === p);
      for (const p of ['stuck', 'failing'] as const) {
        expect(byPhase(p).filter((a) => a.status >= 500)).toEqual([]);
        expect(byPhase(p).filter((a) => a.what === 'call-next' && a.ms >= BOUND_MS)).toEqual([]);
      }
      expect(answers.filter((a) => ![200, 201, 204].includes(a.status))).toEqual([]);

      // --- What the customers got: each due notice once, none for a ticket already called or a phone collected. ---
      const rows = await notices();
      const okHits = (id: string) => gw.requests.filter((r) => r.key === id && r.status !== undefined && r.status < 300).length;
      for (const n of rows.filter((r) => r.state === 'sent')) expect({ id: n.id, delivered: okHits(n.id) }).toEqual({ id: n.id, delivered: 1 });
      for (const n of rows.filter((r) => r.state !== 'sent')) expect({ id: n.id, delivered: okHits(n.id) }).toEqual({ id: n.id, delivered: 0 });
      expect(gw.delivered.size).toBe(rows.filter((r) => r.state === 'sent').length);
      // In the recovered phase no notice was asked for twice.
      const recoveredKeys = gw.requests.slice(providerRequestsAt.recovered).map((r) => r.key);
      expect(recoveredKeys.length).toBe(new Set(recoveredKeys).size);

      const row = (id: string) => rows.find((r) => r.id === id)!;
      // The two sends in flight during the hand-over and the out-of-order call: cancelled on their next try.
      expect(row(pickupNotices.get(handedOver.id)!)).toMatchObject({ state: 'cancelled', error: 'repair picked_up' });
      expect(row(nearInFlight)).toMatchObject({ state: 'cancelled', error: expect.stringMatching(/^ticket (called|serving|done)$/) });
      // Every other ready repair got its pickup SMS; the refused number failed for good, with its alert.
      for (const r of repairs.filter((x) => x !== handedOver && x !== refused)) expect({ repair: r.orderNo, state: row(pickupNotices.get(r.id)!).state }).toEqual({ repair: r.orderNo, state: 'sent' });
      expect(row(refusedNotice)).toMatchObject({ state: 'failed', error: expect.stringContaining('400') });
      expect(rows.filter((r) => r.state === 'failed').map((r) => r.id)).toEqual([refusedNotice]);
      const alerts = expectOk(await send<AlertDto[]>('alerts', 'GET', `/alerts?branchId=${branchId}&state=all`, manager), 'alerts');
      expect(alerts.filter((a) => a.kind === 'sms_failed').map((a) => a.data.notificationId)).toEqual([refusedNotice]);
      // The collected phone's reminders were cancelled with the hand-over; the other repairs keep theirs.
      expect(rows.filter((r) => r.repair_id === handedOver.id && r.template === 'pickup_reminder').map((r) => r.state)).toEqual(['cancelled', 'cancelled']);
      // Near-turn notices of tickets called during the stuck and failing bursts: cancelled, never sent.
      const burstCalled = new Set([...stuckCalled, ...failingCalled]);
      const burstNear = rows.filter((r) => r.template === 'lobby_near' && burstCalled.has(r.ticket_id!));
      expect(burstNear.length).toBeGreaterThan(0);
      expect(burstNear.filter((r) => r.state !== 'cancelled')).toEqual([]);
      // D5 is still waiting, two behind: its near-turn SMS (written by the call of D4) was sent.
      const d5near = rows.find((r) => r.template === 'lobby_near' && r.ticket_id === d[4].id);
      expect(d5near?.state).toBe('sent');

      // --- What the display showed: every call, every seq, with the worker's events in between. ---
      const [{ last_seq }] = await sql<{ last_seq: string }>(stack.databaseUrl, `SELECT last_seq FROM branch_event_seq WHERE branch_id = $1`, [branchId]);
      await waitUntil(async () => screen.lastSeq >= Number(last_seq), 20_000, `the display at seq ${last_seq}`);
      expect({ gaps: screen.gaps(), snapshotJumps: screen.snapshotJumps }).toEqual({ gaps: [], snapshotJumps: 0 });
      const dbCalled = await sql<{ number: string }>(stack.databaseUrl, `SELECT data->'ticket'->>'number' AS number FROM events WHERE branch_id = $1 AND type = 'ticket.called' ORDER BY 1`, [
        branchId,
      ]);
      expect(screen.calledNumbers()).toEqual(dbCalled.map((r) => r.number).sort());
      // Every burst ticket and D1 and D4.
      expect(dbCalled).toHaveLength(idleCalled.length + stuckCalled.length + failingCalled.length + 2);

      const stats = (p: Phase) => {
        const ms = byPhase(p)
          .filter((a) => a.what === 'call-next')
          .map((a) => a.ms);
        const r = (v: number | null) => (v === null ? null : Math.round(v));
        return { callNext: ms.length, p50Ms: r(percentileCont(ms, 0.5)), p99Ms: r(percentileCont(ms, 0.99)), maxMs: r(Math.max(...ms)) };
      };
      const providerBetween = (from: Phase, to?: Phase) => gw.requests.slice(providerRequestsAt[from], to ? providerRequestsAt[to] : undefined);
      const byState = (s: string) => rows.filter((r) => r.state === s && r.template !== 'pickup_reminder').length;
      Object.assign(figures, {
        smsConcurrency: SMS_CONCURRENCY,
        callNextLatency: { idle: stats('idle'), stuck: stats('stuck'), failing: stats('failing') },
        lobbyRequests: Object.fromEntries((['idle', 'stuck', 'failing'] as const).map((p) => [p, { answered: byPhase(p).length, status5xx: byPhase(p).filter((a) => a.status >= 500).length }])),
        idle: { windowMs: Math.round(idleWindowMs), pickupMs: Math.round(idlePickup.ms) },
        stuck: {
          windowMs: Math.round(stuckWindowMs),
          sendsHeldByProviderThroughoutWindow: heldAtStart.length,
          longestHeldSendMs: heldForMs,
          pickupWithReadySmsInFlightMs: Math.round(pickup.ms),
          callOfTicketWithNearSmsInFlightMs: Math.round(nearCall.ms),
        },
        failing: {
          windowMs: Math.round(failingWindowMs),
          providerRequests: providerBetween('failing', 'recovered').length,
          answered503: providerBetween('failing', 'recovered').filter((r) => r.status === 503).length,
          connectionsReset: providerBetween('failing', 'recovered').filter((r) => r.status === undefined).length,
          refused400: providerBetween('failing', 'recovered').filter((r) => r.status === 400).length,
        },
        recovery: { drainMs: Math.round(drainMs), providerRequests: providerBetween('recovered').length },
        notices: { sent: byState('sent'), cancelled: byState('cancelled'), failed: byState('failed'), smsDelivered: gw.delivered.size, deliveredTwice: rows.filter((r) => okHits(r.id) > 1).length },
        display: {
          events: Number(last_seq) - screen.startSeq,
          ticketCalled: dbCalled.length,
          seqGaps: screen.gaps().length,
          // A worker's event is published by the API's outbox sweep, after later lobby events: the display replays the gap.
          resubscribes: {
            idle: resubscribesAt.stuck! - resubscribesAt.idle!,
            stuck: resubscribesAt.failing! - resubscribesAt.stuck!,
            failing: resubscribesAt.recovered! - resubscribesAt.failing!,
            recovered: screen.resubscribes - resubscribesAt.recovered!,
          },
        },
      });
    } catch (err) {
      console.log(stack.logs.slice(-60).join(''));
      throw err;
    } finally {
      screen.close();
      await stack.stop();
      await gw.close();
    }
  }, 180_000);
});
