import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, LiveEvent, PublicLiveEvent, RepairListDto, ServerToClientEvents, SubscribeAck } from '@frontdesk/contracts';
import { loginAs, ROOT, startStack, type Stack } from '../support/stack';

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

const until = async <T>(probe: () => T | undefined | false | Promise<T | undefined | false>, ms: number, what: string): Promise<T> => {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

async function call(method: string, url: string, path: string, token: string | null, body?: unknown) {
  const r = await fetch(`${url}/api${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      'content-type': 'application/json',
      ...(method === 'GET' ? {} : { 'Idempotency-Key': randomUUID() }),
    },
    body: method === 'GET' ? undefined : JSON.stringify(body ?? {}),
  });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null };
}

describe('repairs across two API processes', () => {
  let stack: Stack;
  let A: string;
  let B: string;
  let desk: string;
  let tech: string;
  let branchId: string;

  beforeAll(async () => {
    stack = await startStack({ apis: 2, worker: true });
    [A, B] = stack.apis.map((a) => a.url);
    branchId = stack.seed.branchId;
    desk = await loginAs(A, 'frontdesk1', stack.seed.password);
    tech = await loginAs(B, 'tech1', stack.seed.password);
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('takes a repair from the ticket being served to pickup; the wall on the other process sees order number and masked name only', async () => {
    const display = await connect(B, stack.seed.displayToken);
    const ack: SubscribeAck = await display.socket.timeout(5000).emitWithAck('subscribe', { branchId, view: 'display' });
    expect(ack.ok).toBe(true);
    const start = ack.ok ? ack.seq : 0;

    const services: { id: string; code: string }[] = (await call('GET', A, `/branches/${branchId}/services`, desk)).body;
    const ticket = await call('POST', A, `/branches/${branchId}/tickets`, stack.seed.kioskToken, { serviceId: services.find((s) => s.code === 'A')!.id });
    const created = await call('POST', A, `/branches/${branchId}/repairs`, desk, {
      customer: { name: '孙悟空', phone: '13987654321' },
      device: { brand: 'Huawei', model: 'Mate 60', imei: '490154203237518' },
      fault: 'speaker crackles',
      purchaseDate: new Date(Date.now() - 100 * 86400_000).toISOString().slice(0, 10),
      ticketId: ticket.body.id,
      notify: 'sms',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'received', ticketNumber: ticket.body.number, warranty: { status: 'in_warranty' } });
    const id = created.body.id as string;

    const me = (await call('GET', B, '/auth/me', tech)).body;
    for (const to of ['diagnosing', 'repairing', 'qa']) {
      const r = await call('POST', B, `/repairs/${id}/transition`, tech, { to, ...(to === 'diagnosing' ? { technicianId: me.id } : {}) });
      expect(r.status).toBe(200);
    }
    const illegal = await call('POST', B, `/repairs/${id}/transition`, tech, { to: 'received' });
    expect(illegal.status).toBe(409);
    expect(illegal.body.allowed).toEqual(['ready_for_pickup', 'repairing']);
    expect((await call('POST', A, `/repairs/${id}/transition`, desk, { to: 'ready_for_pickup', note: 'QA passed' })).body.status).toBe('ready_for_pickup');

    const ready = (await until(
      () => display.events.find((e) => e.type === 'repair.status_changed' && 'repair' in e.data && e.data.repair.status === 'ready_for_pickup'),
      5000,
      'ready event on the wall (other process)',
    )) as PublicLiveEvent;
    expect(ready.data).toEqual({ repair: expect.objectContaining({ orderNo: created.body.orderNo, customerName: '孙**', status: 'ready_for_pickup' }) });
    expect(JSON.stringify(display.events.map((e) => e.data))).not.toMatch(/13987654321|4321|孙悟空|490154/);
    const wall = await call('GET', B, `/branches/${branchId}/repairs/ready`, stack.seed.displayToken);
    expect(wall.body).toEqual(expect.arrayContaining([expect.objectContaining({ orderNo: created.body.orderNo, customerName: '孙**' })]));

    const publicPage = await call('GET', B, `/repairs/lookup?orderNo=${created.body.orderNo}&phoneLast4=4321`, null);
    expect(publicPage.body).toMatchObject({ orderNo: created.body.orderNo, status: 'ready_for_pickup', readyAt: expect.any(String) });

    expect((await call('POST', B, `/repairs/${id}/pickup`, desk, { pickupCode: created.body.pickupCode === '999999' ? '000000' : '999999' })).status).toBe(403);
    const picked = await call('POST', B, `/repairs/${id}/pickup`, desk, { pickupCode: created.body.pickupCode });
    expect(picked.body).toMatchObject({ status: 'picked_up', pickup: { failedAttempts: 1, locked: false } });
    await until(
      () => display.events.some((e) => e.type === 'repair.status_changed' && 'repair' in e.data && e.data.repair.status === 'picked_up'),
      5000,
      'picked-up event',
    );
    // The worker's events (the pickup SMS it sent) are pushed by an API's outbox sweep, so one may arrive after
    // later API events: every seq must still come, once (screens put them back in order by seq).
    const complete = () => {
      const got = display.events.map((e) => e.seq);
      const top = got.reduce((m, v) => Math.max(m, v), start);
      return new Set(got).size === top - start;
    };
    await until(complete, 5000, 'every seq up to the pickup');
    const seqs = display.events.map((e) => e.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(seqs.map((_, i) => start + 1 + i));
    display.socket.disconnect();
  });

  it("moves the demo board with the simulator's repair traffic: intake from A tickets, the technician's steps, pickups", async () => {
    const demoFile = join(tmpdir(), `fdl-e2e-sim-${randomUUID()}.json`);
    writeFileSync(demoFile, JSON.stringify(stack.seed));
    const before = new Set(
      ((await call('GET', A, `/repairs?branchId=${branchId}&includeClosed=true&pageSize=200`, desk)).body as RepairListDto).items.map((r) => r.id),
    );
    // A customer who does not come costs a counter (recalls + 1) × the recall cooldown of real time whatever the
    // simulator's speed: at the default 30 s a no-show at the one B counter held every pickup past this test's
    // minute. The simulator reads the branch's rules, so a short cooldown keeps a no-show short here.
    const manager = await loginAs(A, 'manager', stack.seed.password);
    expect((await call('PATCH', A, `/branches/${branchId}/settings`, manager, { recallCooldownSeconds: 1 })).status).toBe(200);
    let sim: ChildProcess | null = null;
    const out: string[] = [];
    try {
      sim = spawn('node', ['tools/simulate.mjs'], {
        cwd: ROOT,
        // Every customer of a ready repair takes the kiosk's fast lane, so the pickup below is one.
        env: {
          ...process.env,
          API_URL: A,
          DEMO_FILE: demoFile,
          DEMO_PASSWORD: stack.seed.password,
          SIM_SPEED: '30',
          SIM_HOTLINE: 'off',
          SIM_FASTLANE_SHARE: '1',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      sim.stdout!.on('data', (d: Buffer) => out.push(d.toString()));
      sim.stderr!.on('data', (d: Buffer) => out.push(d.toString()));
      const board = await until(
        async () => {
          const list: RepairListDto = (await call('GET', A, `/repairs?branchId=${branchId}&includeClosed=true&pageSize=200`, desk)).body;
          const fromTickets = list.items.filter((r) => !before.has(r.id) && r.ticketNumber?.startsWith('A'));
          return fromTickets.some((r) => r.status !== 'received') && fromTickets;
        },
        60_000,
        'simulated repairs taken in from A tickets and moved along',
      ).catch((err: Error) => {
        throw new Error(`${err.message}\n--- simulator ---\n${out.join('').slice(-3000)}`);
      });
      expect(board.length).toBeGreaterThan(0);
      expect(out.join('')).toMatch(/→ repair R[0-9]{8}-[0-9]{4}/);
      // A customer comes back with the SMS, takes a pickup ticket in the kiosk's fast lane, and the counter that calls
      // it hands that repair over.
      const fastLane = await until(
        () => /kiosk: (B[0-9]+) taken in the fast lane for repair (R[0-9]{8}-[0-9]{4})[\s\S]*\2 picked up \(fast lane\)/.exec(out.join('')) ?? false,
        60_000,
        'a simulated fast-lane pickup',
      ).catch((err: Error) => {
        throw new Error(`${err.message}\n--- simulator ---\n${out.join('').slice(-3000)}`);
      });
      const picked: RepairListDto = (await call('GET', A, `/repairs?branchId=${branchId}&includeClosed=true&pageSize=200`, desk)).body;
      expect(picked.items.find((r) => r.orderNo === fastLane[2])?.status).toBe('picked_up');
      expect(out.join('')).not.toMatch(/repair intake .* refused|pickup of .* refused|fast-lane ticket for .* refused|tech1: R[0-9]{8}-[0-9]{4} .*: HTTP/);
      writeFileSync(join(tmpdir(), 'fdl-e2e-sim-last.log'), out.join(''));
    } finally {
      sim?.kill('SIGTERM');
    }
  }, 90_000);
});
