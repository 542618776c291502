import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import { io } from 'socket.io-client';
import { intake } from '../repairs/repair-test-data';
import { login, makeBranch, type TestBranch } from '../test-support/factories';
import { client, startApi, type TestApi } from '../test-support/test-app';

/**
 * The HTTP edge of the API as a browser or a scraper meets it: secure headers, CORS for configured origins only, the
 * body limit, token expiry on HTTP and at the socket handshake, and the per-address limits of the public lookups.
 * (Route guard, device tokens, argon2 and the login lockout: auth/access and auth/route-guard specs.)
 */
const ALLOWED = 'https://desk.example.com';
const STRANGER = 'https://evil.example.net';

describe('security of the HTTP edge', () => {
  let api: TestApi;
  let b: TestBranch;

  beforeAll(async () => {
    api = await startApi({ CORS_ORIGINS: ALLOWED });
    b = await makeBranch(api.ds);
  });
  afterAll(() => api.close());

  it('sends helmet headers on API answers, errors included, and no x-powered-by', async () => {
    for (const res of [await fetch(`${api.url}/api/health/live`), await fetch(`${api.url}/api/branches/${b.id}/counters`)]) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'self'");
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-powered-by')).toBeNull();
    }
  });

  it('allows cross-origin calls from configured origins only (preflight and the Socket.IO handshake)', async () => {
    const preflight = (origin: string) =>
      fetch(`${api.url}/api/auth/login`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' },
      });
    const listed = await preflight(ALLOWED);
    expect(listed.status).toBeLessThan(300);
    expect(listed.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(listed.headers.get('access-control-allow-credentials')).toBe('true');
    const unlisted = await preflight(STRANGER);
    expect(unlisted.headers.get('access-control-allow-origin')).toBeNull();
    // A plain cross-origin GET: the browser would not let the stranger's page read the answer.
    const get = await fetch(`${api.url}/api/health/live`, { headers: { origin: STRANGER } });
    expect(get.headers.get('access-control-allow-origin')).toBeNull();

    // Engine.IO's polling handshake applies the same list.
    const handshake = (origin: string) => fetch(`${api.url}/socket.io/?EIO=4&transport=polling`, { headers: { origin } });
    const fromListed = await handshake(ALLOWED);
    expect(fromListed.status).toBe(200);
    expect(fromListed.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect((await handshake(STRANGER)).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('allows no cross-origin caller at all when no origin is configured', async () => {
    const closed = await startApi({ CORS_ORIGINS: '' });
    try {
      const res = await fetch(`${closed.url}/api/auth/login`, { method: 'OPTIONS', headers: { origin: ALLOWED, 'access-control-request-method': 'POST' } });
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      const hs = await fetch(`${closed.url}/socket.io/?EIO=4&transport=polling`, { headers: { origin: ALLOWED } });
      expect(hs.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await closed.close();
    }
  });

  it('answers a body past the limit with 413 in the contract shape, before any handler', async () => {
    const res = await fetch(`${api.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: b.users.frontdesk, password: 'x'.repeat(200 * 1024) }),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ statusCode: 413, error: 'Payload Too Large', message: expect.any(String) });
  });

  it('refuses an expired or forged JWT on HTTP (401 saying so) and at the socket handshake', async () => {
    const token = await login(api.url, b.users.frontdesk);
    expect((await client(api.url, token).get(`/branches/${b.id}/counters`)).status).toBe(200);
    const jwt = api.app.get(JwtService);
    const { sub, username, role, branchIds } = jwt.decode<{ sub: string; username: string; role: string; branchIds: string[] }>(token);
    // The same claims, issued two hours ago with an hour's life: a token that was good and has run out.
    const expired = jwt.sign({ sub, username, role, branchIds, iat: Math.floor(Date.now() / 1000) - 7200 }, { expiresIn: 3600 });
    // A good token whose claims were edited to make its holder an admin: the signature no longer matches.
    const [header, , signature] = token.split('.');
    const forged = [header, Buffer.from(JSON.stringify({ ...jwt.decode<object>(token), role: 'admin' })).toString('base64url'), signature].join('.');
    for (const bad of [expired, forged]) {
      const res = await client(api.url, bad).get(`/branches/${b.id}/counters`);
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ statusCode: 401, error: 'Unauthorized', message: expect.stringContaining('expired') });

      const socket = io(`${api.url}/live`, { path: '/socket.io', transports: ['websocket'], auth: { token: bad }, reconnection: false, forceNew: true });
      const refused = await new Promise<string>((resolve, reject) => {
        socket.once('connect_error', (e) => resolve(e.message));
        socket.once('connect', () => reject(new Error('a socket with a bad token was let in')));
      });
      socket.close();
      expect(refused).toContain('unauthorized');
    }
    // The good token still connects.
    const ok = io(`${api.url}/live`, { path: '/socket.io', transports: ['websocket'], auth: { token }, reconnection: false, forceNew: true });
    await new Promise<void>((resolve, reject) => {
      ok.once('connect', () => resolve());
      ok.once('connect_error', reject);
    });
    ok.close();
  });
});

describe('public lookups cannot be used to enumerate orders or tickets', () => {
  let api: TestApi;
  let b: TestBranch;

  beforeAll(async () => {
    api = await startApi();
    b = await makeBranch(api.ds);
  });
  afterAll(() => api.close());

  /** A client address as the API sees it behind its trusted proxy (loopback by default). */
  const from = (ip: string) => ({ 'x-forwarded-for': ip });

  it('repair lookup: wrong and right guesses answered alike, 60 a minute per address, then 429 even for a right guess', async () => {
    const desk = client(api.url, await login(api.url, b.users.frontdesk));
    const made = await desk.post<{ orderNo: string }>(
      `/branches/${b.id}/repairs`,
      intake({ customer: { name: '赵六', phone: '13712345678' }, notify: 'none' }),
    );
    expect(made.status).toBe(201);
    const { orderNo } = made.body;
    const anon = client(api.url);
    const lookup = (q: string, ip: string) => anon.get(`/repairs/lookup?${q}`, from(ip));
    // A guesser walks order numbers and digits; one guess in ten is right.
    const seq = Number(orderNo.slice(-3));
    const wrongBodies = new Set<string>();
    for (let i = 0; i < 60; i++) {
      const right = i % 10 === 9;
      const q = right
        ? `orderNo=${orderNo}&phoneLast4=5678`
        : i % 2
          ? `orderNo=${orderNo}&phoneLast4=${String(1000 + i).padStart(4, '0')}`
          : `orderNo=${orderNo.slice(0, -3)}${String((seq + i + 1) % 1000).padStart(3, '0')}&phoneLast4=5678`;
      const res = await lookup(q, '203.0.113.7');
      expect(res.status).toBe(right ? 200 : 404);
      if (!right) wrongBodies.add(JSON.stringify(res.body));
    }
    // A wrong order number and wrong digits on a real order say the same thing: nothing tells which part was wrong.
    expect(wrongBodies.size).toBe(1);
    const limited = await lookup(`orderNo=${orderNo}&phoneLast4=5678`, '203.0.113.7');
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests', message: expect.any(String) });
    expect(limited.body).not.toHaveProperty('orderNo');
    // Another address is not held back by the guesser.
    expect((await lookup(`orderNo=${orderNo}&phoneLast4=5678`, '203.0.113.8')).status).toBe(200);
  });

  it('hotline webhook: limited per address, badly signed requests counted too', async () => {
    const before = process.env.HOTLINE_REQUESTS_PER_MINUTE;
    process.env.HOTLINE_REQUESTS_PER_MINUTE = '6';
    try {
      const post = (ip: string) =>
        fetch(`${api.url}/api/hotline/events`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-timestamp': String(Math.floor(Date.now() / 1000)), 'x-signature': 'sha256=00', ...from(ip) },
          body: JSON.stringify({ branchId: b.id, events: [] }),
        });
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await post('192.0.2.10')).status);
      // Six wrong signatures are refused as such; the seventh does not even get that far.
      expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 429]);
      expect((await post('192.0.2.11')).status).toBe(401);
    } finally {
      if (before === undefined) delete process.env.HOTLINE_REQUESTS_PER_MINUTE;
      else process.env.HOTLINE_REQUESTS_PER_MINUTE = before;
    }
  });

  it('ticket tracking: limited per address, unknown and real tickets counted alike toward the limit', async () => {
    const before = process.env.TRACK_REQUESTS_PER_MINUTE;
    process.env.TRACK_REQUESTS_PER_MINUTE = '10';
    try {
      const t = await client(api.url, b.kioskToken).post<{ id: string }>(`/branches/${b.id}/tickets`, { serviceId: b.services.A });
      const anon = client(api.url);
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++) statuses.push((await anon.get(`/tickets/${i % 2 ? t.body.id : randomUUID()}/track`, from('198.51.100.3'))).status);
      expect(statuses).toEqual([404, 200, 404, 200, 404, 200, 404, 200, 404, 200]);
      const limited = await anon.get(`/tickets/${t.body.id}/track`, from('198.51.100.3'));
      expect(limited.status).toBe(429);
      expect(limited.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
      expect((await anon.get(`/tickets/${t.body.id}/track`, from('198.51.100.4'))).status).toBe(200);
    } finally {
      if (before === undefined) delete process.env.TRACK_REQUESTS_PER_MINUTE;
      else process.env.TRACK_REQUESTS_PER_MINUTE = before;
    }
  });
});
