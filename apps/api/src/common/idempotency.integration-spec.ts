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

  it('rejects a malformed key naming the header', async () => {
    const r = await kiosk.post(`/branches/${b.id}/tickets`, { serviceId: b.services.A }, { 'Idempotency-Key': 'x' });
    expect(r.status).toBe(400);
    expect(r.body.details[0].path).toBe('headers.idempotency-key');
  });
});
