import { randomUUID } from 'node:crypto';
import { client, liveClient, startApi, subscribe, waitFor, type TestApi } from '../test-support/test-app';
import { login, makeBranch, type TestBranch } from '../test-support/factories';
import { signHotlineBody } from './hotline-signature';

const SECRET = 'test-hotline-secret';

interface Ev {
  id: string;
  type: string;
  callId?: string;
  queue?: string;
  at: string;
  agentId?: string;
  state?: string;
  callerNumber?: string;
}

describe('POST /api/hotline/events', () => {
  let api: TestApi;
  let branch: TestBranch;
  let token: string;

  async function send(body: unknown, opts: { secret?: string; ts?: number; raw?: string; signature?: string } = {}) {
    const raw = opts.raw ?? JSON.stringify(body);
    const ts = String(opts.ts ?? Math.floor(Date.now() / 1000));
    const res = await fetch(`${api.url}/api/hotline/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-timestamp': ts, 'x-signature': opts.signature ?? signHotlineBody(opts.secret ?? SECRET, ts, raw) },
      body: raw,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }
  const stored = async (branchId: string) => Number((await api.ds.query(`SELECT count(*) AS n FROM hotline_events WHERE branch_id = $1`, [branchId]))[0].n);
  // One clock reading per test, so that two events 10 s apart are exactly 10 s apart.
  let base = Date.now();
  beforeEach(() => {
    base = Date.now();
  });
  const ago = (s: number) => new Date(base - s * 1000).toISOString();
  const call = (callId: string, type: string, secondsAgo: number, extra: Partial<Ev> = {}): Ev => ({ id: `${callId}-${type}`, type, callId, queue: 'repair', at: ago(secondsAgo), ...extra });

  beforeAll(async () => {
    api = await startApi();
    branch = await makeBranch(api.ds);
    await api.ds.query(`UPDATE branches SET hotline_secret = $2 WHERE id = $1`, [branch.id, SECRET]);
    token = await login(api.url, branch.users.agent);
  });
  afterAll(async () => {
    await api.close();
  });

  it('accepts signed events (202), counts a re-sent event id as a duplicate and changes nothing', async () => {
    const b = await makeBranch(api.ds);
    await api.ds.query(`UPDATE branches SET hotline_secret = $2 WHERE id = $1`, [b.id, SECRET]);
    const events = [call('c1', 'call_queued', 60), call('c1', 'call_answered', 50, { agentId: 'a1' }), call('c1', 'call_answered', 50, { agentId: 'a1' })];
    expect(await send({ branchId: b.id, events })).toEqual({ status: 202, body: { accepted: 2, duplicates: 1 } });
    expect(await send({ branchId: b.id, events })).toEqual({ status: 202, body: { accepted: 0, duplicates: 3 } });
    expect(await stored(b.id)).toBe(2);
    const m = await client(api.url, await login(api.url, b.users.manager)).get(`/branches/${b.id}/hotline`);
    expect(m.status).toBe(200);
    expect(m.body).toMatchObject({ answered: 1, abandoned: 0, waiting: 0, serviceLevel: 1, asa: 10 });
  });

  describe('refuses, storing nothing', () => {
    const body = () => ({ branchId: branch.id, events: [call(randomUUID(), 'call_queued', 1)] });

    it('a wrong signature: 401', async () => {
      const r = await send(body(), { secret: 'not-the-secret' });
      expect(r.status).toBe(401);
      expect(r.body.details[0].path).toBe('headers.x-signature');
    });

    it('a body changed after signing: 401', async () => {
      const b = body();
      const ts = String(Math.floor(Date.now() / 1000));
      const signature = signHotlineBody(SECRET, ts, JSON.stringify(b));
      b.events[0].queue = 'other';
      const r = await send(b, { ts: Number(ts), signature });
      expect(r.status).toBe(401);
    });

    it('a timestamp older than 5 minutes, even correctly signed: 401', async () => {
      const r = await send(body(), { ts: Math.floor(Date.now() / 1000) - 301 });
      expect(r.status).toBe(401);
      expect(r.body.details[0].path).toBe('headers.x-timestamp');
    });

    it('a missing signature: 401; an unknown branch: 401', async () => {
      expect((await send(body(), { signature: '' })).status).toBe(401);
      expect((await send({ ...body(), branchId: randomUUID() })).status).toBe(401);
    });

    it('malformed events: 400 naming the field', async () => {
      const r = await send({ branchId: branch.id, events: [call('m1', 'call_queued', 1), { id: 'm2', type: 'call_answered', queue: 'repair', at: 'yesterday' }] });
      expect(r.status).toBe(400);
      expect(r.body.details.map((d: { path: string }) => d.path).sort()).toEqual(['events.1.at', 'events.1.callId']);
      const agent = await send({ branchId: branch.id, events: [{ id: 'm3', type: 'agent_state', at: ago(1), agentId: 'a1', state: 'sleeping' }] });
      expect(agent.status).toBe(400);
      expect(agent.body.details[0].path).toBe('events.0.state');
      expect((await send({ events: [] })).body.details[0].path).toBe('branchId');
      expect((await send({ branchId: branch.id, events: [] })).body.details[0].path).toBe('events');
      expect((await send(null, { raw: '{"branchId": ' })).status).toBe(400);
    });

    it('an event time no telephone system sends (year 9999, an hour ahead, year 1): 400 naming it, nothing stored', async () => {
      const before = await stored(branch.id);
      for (const at of ['9999-12-31T23:59:59Z', new Date(Date.now() + 3600_000).toISOString(), '0001-01-01T00:00:00Z']) {
        const r = await send({ branchId: branch.id, events: [call('ok1', 'call_queued', 1), { ...call('far', 'call_queued', 1), at }] });
        expect(r.status).toBe(400);
        expect(r.body.details.map((d: { path: string }) => d.path)).toEqual(['events.1.at']);
      }
      expect(await stored(branch.id)).toBe(before);
      // A telephone clock a minute ahead of ours is still accepted (on another branch: this one must stay empty).
      const b = await makeBranch(api.ds);
      await api.ds.query(`UPDATE branches SET hotline_secret = $2 WHERE id = $1`, [b.id, SECRET]);
      expect((await send({ branchId: b.id, events: [{ ...call('ahead', 'call_queued', 1), at: new Date(Date.now() + 60_000).toISOString() }] })).status).toBe(202);
    });

    it('too many events or too large a body: 413', async () => {
      const many = Array.from({ length: 501 }, (_, i) => call(`big${i}`, 'call_queued', 1));
      const r = await send({ branchId: branch.id, events: many });
      expect(r.status).toBe(413);
      expect(r.body.details[0].path).toBe('events');
      const huge = await send({ branchId: branch.id, events: [call('h1', 'call_queued', 1, { queue: 'x'.repeat(200_000) })] });
      expect(huge.status).toBe(413);
    });

    afterAll(async () => {
      expect(await stored(branch.id)).toBe(0);
    });
  });

  it('is right when events come late and out of order: an answered before its queued, an ended with no answered', async () => {
    const b = await makeBranch(api.ds);
    await api.ds.query(`UPDATE branches SET hotline_secret = $2 WHERE id = $1`, [b.id, SECRET]);
    const send1 = await send({ branchId: b.id, events: [call('o1', 'call_answered', 100, { agentId: 'a1' }), call('o2', 'call_ended', 50)] });
    expect(send1.body).toEqual({ accepted: 2, duplicates: 0 });
    await send({ branchId: b.id, events: [call('o1', 'call_queued', 130), call('o2', 'call_queued', 90)] });
    const m = (await client(api.url, await login(api.url, b.users.agent)).get(`/branches/${b.id}/hotline?queue=repair`)).body;
    // o1 waited 30 s (answered, over 15 s); o2 hung up after 40 s in the queue (abandoned).
    expect(m).toMatchObject({ queue: 'repair', answered: 1, abandoned: 1, waiting: 0, serviceLevel: 0, abandonRate: 0.5 });
    expect(m.asa).toBeCloseTo(30, 0);
  });

  it('pushes the numbers to staff, and lobby screens get hotline events with empty data', async () => {
    const staff = await liveClient(api.url, token);
    const lobby = await liveClient(api.url, branch.displayToken);
    await subscribe(staff.socket, { branchId: branch.id, view: 'staff' });
    await subscribe(lobby.socket, { branchId: branch.id, view: 'display' });
    await send({ branchId: branch.id, events: [call('live1', 'call_queued', 3, { callerNumber: '13800138000' }), { id: 'ag1', type: 'agent_state', at: ago(2), agentId: 'a1', queue: 'repair', state: 'available' }] });
    const metrics = await waitFor(() => staff.events.find((e) => e.type === 'hotline.metrics'), 5000, 'hotline.metrics');
    expect((metrics.data as { metrics: { waiting: number; agents: { available: number } } }).metrics).toMatchObject({ waiting: 1, agents: { available: 1 } });
    const queued = staff.events.find((e) => e.type === 'hotline.call_queued')!;
    expect(queued.data).toMatchObject({ callId: 'live1', callerMasked: '138****8000' });
    await waitFor(() => lobby.events.some((e) => e.type === 'hotline.metrics'), 5000, 'lobby hotline event');
    for (const e of lobby.events.filter((x) => x.type.startsWith('hotline.'))) expect(e.data).toEqual({});
    expect(JSON.stringify(lobby.events)).not.toContain('13800138000');
    staff.socket.close();
    lobby.socket.close();
  });
});
