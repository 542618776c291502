import { randomUUID } from 'node:crypto';
import { EventStoreRepository, raiseAlert, runBranchTransaction } from '@frontdesk/db';
import { login, makeBranch, type TestBranch } from '../test-support/factories';
import { routesOf, type Route } from '../test-support/routes';
import { client, startApi, type TestApi } from '../test-support/test-app';

/** Routes anyone may call without a bearer token (they have their own protection, e.g. an unguessable id or a signature). */
const PUBLIC = new Set([
  'POST /api/auth/login',
  'GET /api/tickets/:id/track',
  'GET /api/health',
  'GET /api/health/live',
  'GET /api/repairs/lookup',
  'POST /api/hotline/events',
]);

describe('every route refuses callers without the right role and branch', () => {
  let api: TestApi;
  let mine: TestBranch;
  let theirs: TestBranch;
  let ids: Record<string, string>;
  let routes: Route[];

  beforeAll(async () => {
    api = await startApi();
    mine = await makeBranch(api.ds);
    theirs = await makeBranch(api.ds);
    const kiosk = client(api.url, theirs.kioskToken);
    const ticket = await kiosk.post(`/branches/${theirs.id}/tickets`, { serviceId: theirs.services.A });
    const { result: alert } = await runBranchTransaction(api.ds, new EventStoreRepository(api.ds), theirs.id, 'test', (tx) =>
      raiseAlert(tx, { kind: 'test', severity: 'info', message: 'x' }),
    );
    ids = { tickets: ticket.body.id, counters: theirs.counters[0], devices: theirs.kioskId, alerts: alert!.id, branches: theirs.id };
    routes = routesOf(api);
  });
  afterAll(() => api.close());

  /** Fills path parameters with the other branch's real ids where the resource is known, else a random id. */
  const pathFor = (r: Route) =>
    r.path
      .replace(':branchId', theirs.id)
      .replace(':code', theirs.code)
      .replace(':ticketId', ids.tickets)
      .replace(/\/([a-z-]+)\/:id/, (_m, res: string) => `/${res}/${ids[res] ?? randomUUID()}`)
      .replace(/:[A-Za-z]+/g, () => randomUUID());

  const call = async (r: Route, token?: string) => {
    const res = await fetch(`${api.url}${pathFor(r)}${r.path.includes('alerts') && r.method === 'GET' ? `?branchId=${theirs.id}` : ''}`, {
      method: r.method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: r.method === 'GET' || r.method === 'HEAD' ? undefined : '{}',
    });
    return res.status;
  };

  it('finds the routes of every module', () => {
    const keys = routes.map((r) => `${r.method} ${r.path}`);
    expect(keys).toEqual(expect.arrayContaining(['POST /api/counters/:id/call-next', 'POST /api/branches/:branchId/tickets', 'GET /api/alerts', 'DELETE /api/devices/:id']));
    expect(routes.length).toBeGreaterThan(25);
  });

  it('answers an anonymous caller with 401 everywhere except the public routes, and never with a 5xx', async () => {
    const wrong: string[] = [];
    for (const r of routes) {
      const status = await call(r);
      const key = `${r.method} ${r.path}`;
      // /api/health answers 503 by design while a part (here: the worker) is down.
      const serverError = status >= 500 && !(key === 'GET /api/health' && status === 503);
      if (serverError || (!PUBLIC.has(key) && status !== 401)) wrong.push(`${key} → ${status}`);
    }
    expect(wrong).toEqual([]);
  });

  it('never gives a user of another branch a 2xx on this branch, for any role', async () => {
    const wrong: string[] = [];
    for (const role of ['manager', 'frontdesk', 'technician', 'agent'] as const) {
      const token = await login(api.url, mine.users[role]);
      for (const r of routes) {
        const key = `${r.method} ${r.path}`;
        // Lists of the caller's own branches are not about this branch (the manager spec checks they hold only the caller's).
        if (PUBLIC.has(key) || r.path === '/api/auth/me' || r.path === '/api/branches' || r.path === '/api/manager/branches') continue;
        const status = await call(r, token);
        if (status < 400 || status >= 500) wrong.push(`${role}: ${key} → ${status}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('lets a kiosk or display device of another branch do nothing here', async () => {
    const wrong: string[] = [];
    for (const token of [mine.kioskToken, mine.displayToken]) {
      for (const r of routes) {
        const key = `${r.method} ${r.path}`;
        // Lists of the caller's own branches are not about this branch (the manager spec checks they hold only the caller's).
        if (PUBLIC.has(key) || r.path === '/api/auth/me' || r.path === '/api/branches' || r.path === '/api/manager/branches') continue;
        const status = await call(r, token);
        if (status < 400 || status >= 500) wrong.push(`${token === mine.kioskToken ? 'kiosk' : 'display'}: ${key} → ${status}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
