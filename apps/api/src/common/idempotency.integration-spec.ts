import { makeBranch, login, type TestBranch } from '../test-support/factories';
import { client, startApi, type TestApi } from '../test-support/test-app';

describe('Idempotency-Key on mutations', () => {
  let api: TestApi;
  let b: TestBranch;
  let kiosk: ReturnType<typeof client>;

  beforeAll(async () => {
    api = await startApi();
    b = await makeBranch(api.ds, { counters: [['A']] });
    kiosk = client(api.url, b.kioskToken);
  });
  afterAll(() => api.close());

  const ticketsOfBranch = async () => (await api.ds.query(`SELECT count(*)::int AS n FROM tickets WHERE branch_id = $1`, [b.id]))[0].n as number;

  it('returns the first ticket for a retried request and issues no second one', async () => {
    const before = await ticketsOfBranch();
    const headers = { 'Idempotency-Key': 'kiosk-retry-0001' };
    const first = await kiosk.post(`/branches/${b.id}/tickets`, { serviceId: b.services.A }, headers);
    const retry = await kiosk.post(`/branches/${b.id}/tickets`, { serviceId: b.services.A }, headers);
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body.id).toBe(first.body.id);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await ticketsOfBranch()).toBe(before + 1);
  });

  it('issues one ticket when the same request arrives ten times at once', async () => {
    const before = await ticketsOfBranch();
    const headers = { 'Idempotency-Key': 'kiosk-burst-0001' };
    const results = await Promise.all(Array.from({ length: 10 }, () => kiosk.post(`/branches/${b.id}/tickets`, { serviceId: b.services.A }, headers)));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(201));
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(await ticketsOfBranch()).toBe(before + 1);
  });

  it('refuses the same key for a different request with 422', async () => {
    const headers = { 'Idempotency-Key': 'kiosk-reuse-0001' };
    await kiosk.post(`/branches/${b.id}/tickets`, { serviceId: b.services.A }, headers);
    const other = await kiosk.post(`/branches/${b.id}/tickets`, { serviceId: b.services.B }, headers);
    expect(other.status).toBe(422);
    expect(other.body.details[0].path).toBe('headers.idempotency-key');
  });

  it('replays a call-next: the retry gets the same ticket and nothing else is called', async () => {
    const desk = client(api.url, await login(api.url, b.users.frontdesk));
    await kiosk.post(`/branches/${b.id}/tickets`, { serviceId: b.services.A });
    const headers = { 'Idempotency-Key': 'desk-call-next-0001' };
    const first = await desk.post(`/counters/${b.counters[0]}/call-next`, undefined, headers);
    const retry = await desk.post(`/counters/${b.counters[0]}/call-next`, undefined, headers);
    expect(first.status).toBe(200);
    expect(retry.body.ticket.id).toBe(first.body.ticket.id);
    const called = await api.ds.query(`SELECT count(*)::int AS n FROM tickets WHERE branch_id = $1 AND status = 'called'`, [b.id]);
    expect(called[0].n).toBe(1);
  });

  it('calls one ticket when the same call-next arrives five times at once, and answers every copy with it', async () => {
    const b2 = await makeBranch(api.ds, { counters: [['A']] });
    const k = client(api.url, b2.kioskToken);
    const desk = client(api.url, await login(api.url, b2.users.frontdesk));
    for (let i = 0; i < 3; i++) await k.post(`/branches/${b2.id}/tickets`, { serviceId: b2.services.A });
    const headers = { 'Idempotency-Key': 'desk-call-burst-0001' };
    const results = await Promise.all(Array.from({ length: 5 }, () => desk.post(`/counters/${b2.counters[0]}/call-next`, undefined, headers)));
    expect(results.map((r) => r.status)).toEqual(Array(5).fill(200));
    expect(new Set(results.map((r) => r.body.ticket.id)).size).toBe(1);
    expect(results.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(4);
    const called = await api.ds.query(`SELECT count(*)::int AS n FROM tickets WHERE branch_id = $1 AND status <> 'waiting'`, [b2.id]);
    expect(called[0].n).toBe(1);
  });

  it('replays a serve retried after the ticket was finished, and refuses its key on another ticket with 422', async () => {
    const b3 = await makeBranch(api.ds, { counters: [['A']] });
    const k = client(api.url, b3.kioskToken);
    const desk = client(api.url, await login(api.url, b3.users.frontdesk));
    const t1 = await k.post(`/branches/${b3.id}/tickets`, { serviceId: b3.services.A });
    const t2 = await k.post(`/branches/${b3.id}/tickets`, { serviceId: b3.services.A });
    await desk.post(`/counters/${b3.counters[0]}/call/${t2.body.id}`, { reason: 'bench test' });
    const call = await desk.post(`/counters/${b3.counters[0]}/call-next`);
    expect(call.status).toBe(409); // the counter still has t2
    await desk.post(`/tickets/${t2.body.id}/cancel`, {});
    const called = await desk.post(`/counters/${b3.counters[0]}/call-next`);
    expect(called.body.ticket.id).toBe(t1.body.id);
    const headers = { 'Idempotency-Key': 'desk-serve-retry-0001' };
    const served = await desk.post(`/tickets/${t1.body.id}/serve`, undefined, headers);
    expect(served.status).toBe(200);
    expect((await desk.post(`/tickets/${t1.body.id}/finish`)).body.status).toBe('done');
    const retry = await desk.post(`/tickets/${t1.body.id}/serve`, undefined, headers);
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(served.body);
    expect((await desk.get(`/tickets/${t1.body.id}`)).body.status).toBe('done');
    const other = await desk.post(`/tickets/${t2.body.id}/serve`, undefined, headers);
    expect(other.status).toBe(422);
    expect(other.body.details[0].path).toBe('headers.idempotency-key');
  });

  it('rejects a malformed key naming the header', async () => {
    const r = await kiosk.post(`/branches/${b.id}/tickets`, { serviceId: b.services.A }, { 'Idempotency-Key': 'x' });
    expect(r.status).toBe(400);
    expect(r.body.details[0].path).toBe('headers.idempotency-key');
  });
});
