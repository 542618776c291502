import type { Socket as NetSocket } from 'node:net';
import { io } from 'socket.io-client';
import type { LiveEvent, PublicLiveEvent, QueueSnapshot } from '@frontdesk/contracts';
import { makeBranch, login, type TestBranch } from '../test-support/factories';
import { LiveConnections } from './live-connections.service';
import { client, liveClient, startApi, subscribe, waitFor, type LiveClient, type TestApi } from '../test-support/test-app';

describe('live events over Socket.IO', () => {
  let api: TestApi;
  let b: TestBranch;
  let desk: ReturnType<typeof client>;
  let kiosk: ReturnType<typeof client>;
  let staffToken: string;

  beforeAll(async () => {
    api = await startApi();
    b = await makeBranch(api.ds, { counters: [['A', 'B']] });
    staffToken = await login(api.url, b.users.frontdesk);
    desk = client(api.url, staffToken);
    kiosk = client(api.url, b.kioskToken);
  });
  afterAll(() => api.close());

  it('pushes every change with a seq rising by one, and the display never sees a phone number or ticket id', async () => {
    const display = await liveClient(api.url, b.displayToken);
    const staff = await liveClient(api.url, staffToken);
    const dAck = await subscribe(display.socket, { branchId: b.id, view: 'display' });
    const sAck = await subscribe(staff.socket, { branchId: b.id, view: 'staff' });
    expect(dAck.ok && 'snapshot' in dAck).toBe(true);
    const startSeq = dAck.ok ? dAck.seq : -1;
    const t = await kiosk.post(`/branches/${b.id}/tickets`, { serviceId: b.services.A, phone: '13912345678' });
    await desk.post(`/counters/${b.counters[0]}/call-next`);
    await desk.post(`/tickets/${t.body.id}/serve`);
    await desk.post(`/tickets/${t.body.id}/finish`);
    await waitFor(() => display.events.length >= 5 && staff.events.length >= 5, 5000, 'events');
    expect(display.events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5].map((i) => startSeq + i));
    expect(display.events.map((e) => e.type)).toEqual(['ticket.created', 'counter.status_changed', 'ticket.called', 'ticket.serving', 'ticket.finished']);
    const raw = JSON.stringify(display.events);
    expect(raw).not.toContain('13912345678');
    expect(raw).not.toContain('1391');
    expect(raw).not.toContain(t.body.id);
    const staffCalled = staff.events.find((e) => e.type === 'ticket.called') as LiveEvent<'ticket.called'>;
    expect(staffCalled.data.ticket.phoneMasked).toBe('139****5678');
    expect(sAck.ok).toBe(true);
    display.socket.disconnect();
    staff.socket.disconnect();
  });

  it('stops pushing a branch to a screen that unsubscribed, and keeps the socket open', async () => {
    const display = await liveClient(api.url, b.displayToken);
    const other = await liveClient(api.url, b.displayToken);
    await subscribe(display.socket, { branchId: b.id, view: 'display' });
    const ack = await subscribe(other.socket, { branchId: b.id, view: 'display' });
    const bad = await display.socket.timeout(5000).emitWithAck('unsubscribe', {});
    expect(bad).toEqual({ ok: false });
    expect(await display.socket.timeout(5000).emitWithAck('unsubscribe', { branchId: b.id })).toEqual({ ok: true });
    const t = await kiosk.post(`/branches/${b.id}/tickets`, { serviceId: b.services.C });
    const seen = await waitFor(() => other.events.find((e) => 'ticket' in e.data && e.data.ticket.number === t.body.number), 5000, 'event');
    expect(seen.seq).toBeGreaterThan(ack.ok ? ack.seq : 0);
    // A round trip on the unsubscribed socket: anything pushed to it before this ack has arrived by now.
    await display.socket.timeout(5000).emitWithAck('unsubscribe', { branchId: b.id });
    expect(display.events.filter((e) => e.seq >= seen.seq)).toEqual([]);
    expect(display.socket.connected).toBe(true);
    display.socket.disconnect();
    other.socket.disconnect();
  });

  it('gives a screen on long-polling the same events, in the same order, as one on a websocket', async () => {
    // Broadcasts go straight to websocket connections (direct-frames.ts); any other transport takes socket.io's path.
    const ws = await liveClient(api.url, b.displayToken);
    const polling: LiveClient = io(`${api.url}/live`, { path: '/socket.io', auth: { token: b.displayToken }, transports: ['polling'], forceNew: true });
    const polled: (LiveEvent | PublicLiveEvent)[] = [];
    polling.on('event', (e) => polled.push(e));
    await new Promise<void>((resolve, reject) => {
      polling.once('connect', () => resolve());
      polling.once('connect_error', reject);
    });
    expect(polling.io.engine.transport.name).toBe('polling');
    await subscribe(ws.socket, { branchId: b.id, view: 'display' });
    await subscribe(polling, { branchId: b.id, view: 'display' });
    const made = [];
    for (let i = 0; i < 4; i++) made.push((await kiosk.post(`/branches/${b.id}/tickets`, { serviceId: b.services.D })).body.number as string);
    await waitFor(() => polled.length >= 4 && ws.events.length >= 4, 5000, 'events on both');
    expect(polled).toEqual(ws.events);
    expect(polled.map((e) => ('ticket' in e.data ? e.data.ticket.number : ''))).toEqual(made);
    ws.socket.disconnect();
    polling.disconnect();
  });

  it('replays what a screen missed while it was offline, from its last seq', async () => {
    const display = await liveClient(api.url, b.displayToken);
    const ack = await subscribe(display.socket, { branchId: b.id, view: 'display' });
    const lastSeq = ack.ok ? ack.seq : 0;
    display.socket.disconnect();
    const t1 = await kiosk.post(`/branches/${b.id}/tickets`, { serviceId: b.services.B });
    const t2 = await kiosk.post(`/branches/${b.id}/tickets`, { serviceId: b.services.B });
    const again = await liveClient(api.url, b.displayToken);
    const replay = await subscribe(again.socket, { branchId: b.id, view: 'display', lastSeq });
    expect(replay.ok && 'replay' in replay).toBe(true);
    if (replay.ok && 'replay' in replay) {
      expect(replay.replay.map((e) => e.seq)).toEqual([lastSeq + 1, lastSeq + 2]);
      expect(replay.replay.map((e) => (e).data).map((d) => ('ticket' in d ? d.ticket.number : ''))).toEqual([t1.body.number, t2.body.number]);
      expect(replay.seq).toBe(lastSeq + 2);
    }
    again.socket.disconnect();
  });

  it('sends a fresh snapshot to a screen that is too far behind or ahead of the log', async () => {
    const display = await liveClient(api.url, b.displayToken);
    const ack = await subscribe(display.socket, { branchId: b.id, view: 'display', lastSeq: 10_000_000 });
    expect(ack.ok && 'snapshot' in ack).toBe(true);
    if (ack.ok && 'snapshot' in ack) {
      const snap: QueueSnapshot = ack.snapshot;
      expect(snap.seq).toBe(ack.seq);
      expect(snap.tickets).toBeUndefined();
      expect(snap.services.map((s) => s.code)).toEqual(['A', 'B', 'C', 'D']);
    }
    display.socket.disconnect();
  });

  it('publishes events that another process committed without pushing them (the worker)', async () => {
    const display = await liveClient(api.url, b.displayToken);
    const ack = await subscribe(display.socket, { branchId: b.id, view: 'display' });
    const seq = ack.ok ? ack.seq : 0;
    // Write an event the way the worker leaves it: committed, not published.
    await api.ds.transaction(async (em) => {
      await em.query(`UPDATE branch_event_seq SET last_seq = $2 WHERE branch_id = $1`, [b.id, seq + 1]);
      await em.query(
        `INSERT INTO events (branch_id, seq, type, actor, data, at) VALUES ($1, $2, 'counter.status_changed', 'test', $3::jsonb, now() - interval '5 seconds')`,
        [b.id, seq + 1, JSON.stringify({ counter: { id: b.counters[0], name: 'Counter 1', services: [], status: 'open', pauseReason: null, userId: null, ticket: null }, queue: [] })],
      );
    });
    const got = await waitFor(() => display.events.find((e) => e.seq === seq + 1), 5000, 'swept event');
    expect(got.type).toBe('counter.status_changed');
    display.socket.disconnect();
  });

  it('sends a screen the events of one turn of the event loop in one write, in the order they were committed', async () => {
    // Three transactions that end while the API is busy (here: in one turn) reach a screen together, one system
    // call instead of three; at 3,000 screens those calls were most of the API's time (docs/benchmarks.md).
    const branch = await makeBranch(api.ds);
    const display = await liveClient(api.url, branch.displayToken);
    const ack = await subscribe(display.socket, { branchId: branch.id, view: 'display' });
    const seq = ack.ok ? ack.seq : -1;
    const live = api.app.get(LiveConnections);
    const server = live.namespace?.sockets.get(display.socket.id ?? '');
    const tcp = (server?.conn.transport as unknown as { socket: { _socket: NetSocket } }).socket._socket;
    const writev = jest.spyOn(tcp as unknown as { _writev: () => void }, '_writev');
    const write = jest.spyOn(tcp as unknown as { _write: () => void }, '_write');
    const at = new Date().toISOString();
    for (const i of [1, 2, 3]) live.emit([{ seq: seq + i, branchId: branch.id, type: 'ticket.created', at, data: {} } as unknown as LiveEvent]);
    await waitFor(() => display.events.length >= 3, 5000, 'three events');
    expect(display.events.map((e) => e.seq)).toEqual([seq + 1, seq + 2, seq + 3]);
    // One write of the three frames, joined once for all the room's sockets (RoomBroadcast).
    expect({ writev: writev.mock.calls.length, write: write.mock.calls.length }).toEqual({ writev: 0, write: 1 });
    display.socket.disconnect();
  });

  it('tells a subscribed screen the latest seq every few seconds so a lost last event is noticed', async () => {
    const display = await liveClient(api.url, b.displayToken);
    const ack = await subscribe(display.socket, { branchId: b.id, view: 'display' });
    const sync = await new Promise<{ branchId: string; seq: number }>((resolve) => display.socket.once('sync', resolve));
    expect(sync).toMatchObject({ branchId: b.id, seq: ack.ok ? ack.seq : -1 });
    display.socket.disconnect();
  });

  it('refuses subscriptions without the right token, branch or view', async () => {
    const other = await makeBranch(api.ds);
    const anon = await liveClient(api.url);
    expect(await subscribe(anon.socket, { branchId: b.id, view: 'display' })).toMatchObject({ ok: false, error: { statusCode: 401 } });
    expect(await subscribe(anon.socket, { view: 'display' } as never)).toMatchObject({ ok: false, error: { statusCode: 400 } });
    const display = await liveClient(api.url, b.displayToken);
    expect(await subscribe(display.socket, { branchId: other.id, view: 'display' })).toMatchObject({ ok: false, error: { statusCode: 403 } });
    expect(await subscribe(display.socket, { branchId: b.id, view: 'staff' })).toMatchObject({ ok: false, error: { statusCode: 403 } });
    await expect(liveClient(api.url, 'fdl_dev_forged')).rejects.toThrow(/unauthorized/);
    anon.socket.disconnect();
    display.socket.disconnect();
  });

  it('lets a customer follow their own ticket without a token', async () => {
    const t = await kiosk.post(`/branches/${b.id}/tickets`, { serviceId: b.services.A });
    const phone = await liveClient(api.url);
    const ack = await subscribe(phone.socket, { view: 'track', ticketId: t.body.id });
    expect(ack).toMatchObject({ ok: true, branchId: b.id });
    await desk.post(`/tickets/${t.body.id}/cancel`, { reason: 'left' });
    await waitFor(() => phone.events.find((e) => e.type === 'ticket.cancelled'), 5000, 'cancel event');
    phone.socket.disconnect();
  });
});
