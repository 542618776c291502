import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, LiveEvent, PublicLiveEvent, ServerToClientEvents, SubscribeAck } from '@frontdesk/contracts';
import { loginAs, startStack, type Stack } from '../support/stack';

type Live = Socket<ServerToClientEvents, ClientToServerEvents>;

async function connect(url: string, token: string): Promise<{ socket: Live; events: (LiveEvent | PublicLiveEvent)[] }> {
  const socket: Live = io(`${url}/live`, { path: '/socket.io', auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false });
  const events: (LiveEvent | PublicLiveEvent)[] = [];
  socket.on('event', (e) => events.push(e));
  await new Promise<void>((res, rej) => {
    socket.once('connect', res);
    socket.once('connect_error', rej);
  });
  return { socket, events };
}

const until = async (ok: () => boolean, ms: number, what: string) => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

async function post(url: string, path: string, token: string, body?: unknown) {
  const r = await fetch(`${url}/api${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'Idempotency-Key': randomUUID() },
    body: JSON.stringify(body ?? {}),
  });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null };
}

describe('the lobby queue across two API processes and a worker', () => {
  let stack: Stack;
  let A: string;
  let B: string;
  let desk: string;
  let services: { id: string; code: string }[];
  let counters: { id: string; name: string; services: string[] }[];

  beforeAll(async () => {
    stack = await startStack({ apis: 2, worker: true });
    [A, B] = stack.apis.map((a) => a.url);
    desk = await loginAs(A, 'frontdesk1', stack.seed.password);
    services = await (await fetch(`${A}/api/branches/${stack.seed.branchId}/services`, { headers: { authorization: `Bearer ${desk}` } })).json();
    counters = await (await fetch(`${A}/api/branches/${stack.seed.branchId}/counters`, { headers: { authorization: `Bearer ${desk}` } })).json();
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('reports Postgres, Redis and the worker heartbeat as up in /api/health', async () => {
    // The worker beats once at start-up; allow it a few seconds to come up.
    let body: any = null;
    for (let i = 0; i < 150 && body?.status !== 'ok'; i++) {
      body = await (await fetch(`${B}/api/health`)).json();
      if (body.status !== 'ok') await new Promise((r) => setTimeout(r, 100));
    }
    expect(body).toMatchObject({ status: 'ok', info: { postgres: { status: 'up' }, redis: { status: 'up' }, worker: { status: 'up' } } });
  });

  it('delivers every event to a display on the other process, in seq order with no gap', async () => {
    const display = await connect(B, stack.seed.displayToken);
    const ack: SubscribeAck = await display.socket.timeout(5000).emitWithAck('subscribe', { branchId: stack.seed.branchId, view: 'display' });
    expect(ack.ok).toBe(true);
    const start = ack.ok ? ack.seq : 0;
    const A_service = services.find((s) => s.code === 'A')!;
    for (let i = 0; i < 5; i++) expect((await post(A, `/branches/${stack.seed.branchId}/tickets`, stack.seed.kioskToken, { serviceId: A_service.id })).status).toBe(201);
    const counter = counters.find((c) => c.services.includes(A_service.id))!;
    const called = await post(A, `/counters/${counter.id}/call-next`, desk);
    expect(called.status).toBe(200);
    await until(() => display.events.some((e) => e.type === 'ticket.called'), 5000, 'called event on B');
    const seqs = display.events.map((e) => e.seq);
    expect(seqs).toEqual(seqs.map((_, i) => start + 1 + i));
    const calledEvent = display.events.find((e) => e.type === 'ticket.called') as PublicLiveEvent;
    expect('ticket' in calledEvent.data && calledEvent.data.ticket.number).toBe(called.body.ticket.number);
    display.socket.disconnect();
  });

  it('never calls a ticket twice when counters on both processes press call-next together', async () => {
    const A_service = services.find((s) => s.code === 'A')!;
    // Finish whatever the counters hold, then queue 12 tickets.
    const dashboard = await (await fetch(`${A}/api/branches/${stack.seed.branchId}/counters`, { headers: { authorization: `Bearer ${desk}` } })).json();
    for (const c of dashboard) {
      if (c.ticket?.status === 'called') await post(A, `/tickets/${c.ticket.id}/serve`, desk);
      if (c.ticket) await post(A, `/tickets/${c.ticket.id}/finish`, desk);
    }
    for (let i = 0; i < 12; i++) await post(B, `/branches/${stack.seed.branchId}/tickets`, stack.seed.kioskToken, { serviceId: A_service.id });
    const desk2 = await loginAs(B, 'frontdesk2', stack.seed.password);
    const aCounters = counters.filter((c) => c.services.includes(A_service.id));
    const calledIds: string[] = [];
    for (let round = 0; round < 3; round++) {
      const results = await Promise.all(aCounters.map((c, i) => post(i % 2 ? B : A, `/counters/${c.id}/call-next`, i % 2 ? desk2 : desk)));
      for (const r of results) {
        expect([200, 204]).toContain(r.status);
        if (r.status === 200) {
          calledIds.push(r.body.ticket.id);
          await post(A, `/tickets/${r.body.ticket.id}/serve`, desk);
          await post(B, `/tickets/${r.body.ticket.id}/finish`, desk2);
        }
      }
    }
    expect(calledIds.length).toBeGreaterThanOrEqual(9);
    expect(new Set(calledIds).size).toBe(calledIds.length);
  });

  it('catches a display up after its network dropped: it resubscribes with its last seq and gets exactly what it missed', async () => {
    const display = await connect(A, stack.seed.displayToken);
    const first: SubscribeAck = await display.socket.timeout(5000).emitWithAck('subscribe', { branchId: stack.seed.branchId, view: 'display' });
    const lastSeq = first.ok ? first.seq : 0;
    display.socket.disconnect();
    const svc = services.find((s) => s.code === 'C')!;
    const missed = [];
    for (let i = 0; i < 3; i++) missed.push((await post(B, `/branches/${stack.seed.branchId}/tickets`, stack.seed.kioskToken, { serviceId: svc.id })).body.number);
    const back = await connect(B, stack.seed.displayToken);
    const again: SubscribeAck = await back.socket.timeout(5000).emitWithAck('subscribe', { branchId: stack.seed.branchId, view: 'display', lastSeq });
    expect(again.ok && 'replay' in again).toBe(true);
    if (again.ok && 'replay' in again) {
      expect(again.replay.map((e) => e.seq)).toEqual([lastSeq + 1, lastSeq + 2, lastSeq + 3]);
      expect(again.replay.map((e) => ('ticket' in e.data ? e.data.ticket.number : null))).toEqual(missed);
    }
    back.socket.disconnect();
  });

  it('keeps serving when one API process dies: the other still issues and calls, and its screens keep receiving', async () => {
    const display = await connect(B, stack.seed.displayToken);
    await display.socket.timeout(5000).emitWithAck('subscribe', { branchId: stack.seed.branchId, view: 'display' });
    stack.apis[0].proc.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 200));
    const svc = services.find((s) => s.code === 'D')!;
    const t = await post(B, `/branches/${stack.seed.branchId}/tickets`, stack.seed.kioskToken, { serviceId: svc.id });
    expect(t.status).toBe(201);
    await until(() => display.events.some((e) => 'ticket' in e.data && e.data.ticket.number === t.body.number), 5000, 'ticket on surviving display');
    display.socket.disconnect();
  });
});
