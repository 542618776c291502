import { makeBranch, login, TEST_PASSWORD, type TestBranch } from '../test-support/factories';
import { client, liveClient, startApi, subscribe, waitFor, type TestApi } from '../test-support/test-app';

describe('who may do what', () => {
  let api: TestApi;
  let b: TestBranch;
  let other: TestBranch;

  beforeAll(async () => {
    api = await startApi({ LOGIN_MAX_FAILURES: '3' });
    b = await makeBranch(api.ds);
    other = await makeBranch(api.ds);
  });
  afterAll(() => api.close());

  it('refuses anonymous callers with 401 and a hint', async () => {
    const r = await client(api.url).get(`/branches/${b.id}/counters`);
    expect(r.status).toBe(401);
    expect(r.body.message).toContain('Authorization: Bearer');
  });

  it('refuses a user of another branch with 403', async () => {
    const stranger = client(api.url, await login(api.url, other.users.frontdesk));
    expect((await stranger.get(`/branches/${b.id}/counters`)).status).toBe(403);
    expect((await stranger.post(`/counters/${b.counters[0]}/call-next`)).status).toBe(403);
    expect((await stranger.post(`/branches/${b.id}/tickets`, { serviceId: b.services.A })).status).toBe(403);
  });

  it('lets a kiosk take tickets but not call them, and a display only read', async () => {
    const kiosk = client(api.url, b.kioskToken);
    const display = client(api.url, b.displayToken);
    expect((await kiosk.post(`/branches/${b.id}/tickets`, { serviceId: b.services.A })).status).toBe(201);
    expect((await kiosk.post(`/counters/${b.counters[0]}/call-next`)).status).toBe(403);
    expect((await display.post(`/branches/${b.id}/tickets`, { serviceId: b.services.A })).status).toBe(403);
    expect((await display.get(`/branches/${b.id}/queue`)).status).toBe(200);
    expect((await display.get(`/branches/${b.id}/tickets`)).status).toBe(403);
  });

  it('lets only managers make device tokens, and a revoked token stops at once on HTTP and on open sockets', async () => {
    const desk = client(api.url, await login(api.url, b.users.frontdesk));
    expect((await desk.post(`/branches/${b.id}/devices`, { kind: 'display', name: 'Lobby TV' })).status).toBe(403);
    const manager = client(api.url, await login(api.url, b.users.manager));
    const made = await manager.post(`/branches/${b.id}/devices`, { kind: 'display', name: 'Lobby TV' });
    expect(made.status).toBe(201);
    expect(made.body.url).toContain(`/display/${b.code}?token=`);
    const screen = await liveClient(api.url, made.body.token);
    expect((await subscribe(screen.socket, { branchId: b.id, view: 'display' })).ok).toBe(true);
    let revokedReason = '';
    screen.socket.on('revoked', (r) => (revokedReason = r.reason));
    const revoked = await manager.del(`/devices/${made.body.id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    await waitFor(() => !screen.socket.connected, 3000, 'socket closed');
    expect(revokedReason).toContain('revoked');
    expect((await client(api.url, made.body.token).get(`/branches/${b.id}/queue`)).status).toBe(401);
  });

  it('hashes passwords with argon2id and locks an account after repeated failures', async () => {
    const [row] = await api.ds.query(`SELECT password_hash FROM users WHERE username = $1`, [b.users.agent]);
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    const attempt = (password: string) =>
      fetch(`${api.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: b.users.agent, password }) });
    for (let i = 0; i < 3; i++) expect((await attempt('wrong')).status).toBe(401);
    const locked = await attempt(TEST_PASSWORD);
    expect(locked.status).toBe(429);
    expect(((await locked.json()) as { message: string }).message).toContain('locked');
  });

  it('names the missing field on a bad login body', async () => {
    const r = await fetch(`${api.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'x' }) });
    expect(r.status).toBe(400);
    expect(((await r.json()) as { details: { path: string }[] }).details[0].path).toBe('password');
  });
});

describe('rate limits on the public and device routes', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  it('stops a runaway kiosk at 60 tickets a minute with a 429, without touching another kiosk', async () => {
    const b = await makeBranch(api.ds);
    const kiosk = client(api.url, b.kioskToken);
    const statuses: number[] = [];
    for (let i = 0; i < 61; i++) statuses.push((await kiosk.post(`/branches/${b.id}/tickets`, { serviceId: b.services.A })).status);
    expect(statuses.slice(0, 60).every((s) => s === 201)).toBe(true);
    const limited = await kiosk.post(`/branches/${b.id}/tickets`, { serviceId: b.services.A });
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    const other = await makeBranch(api.ds);
    expect((await client(api.url, other.kioskToken).post(`/branches/${other.id}/tickets`, { serviceId: other.services.A })).status).toBe(201);
    const [row] = await api.ds.query(`SELECT count(*)::int AS n FROM tickets WHERE branch_id = $1`, [b.id]);
    expect(row.n).toBe(60);
  });

  it('limits ticket tracking per client address', async () => {
    const b = await makeBranch(api.ds);
    const t = await client(api.url, b.kioskToken).post(`/branches/${b.id}/tickets`, { serviceId: b.services.A });
    const anon = client(api.url);
    let last = 0;
    for (let i = 0; i < 121; i++) last = (await anon.get(`/tickets/${t.body.id}/track`)).status;
    expect(last).toBe(429);
  });
});
