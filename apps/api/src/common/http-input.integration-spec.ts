import { login, makeBranch, type TestBranch } from '../test-support/factories';
import { startApi, type TestApi } from '../test-support/test-app';

/**
 * How a request's body, query and path become input on the API's Fastify server (common/http-input.ts): what a
 * client sending a little too much or too little meets, and the request metrics by route.
 */
describe('request input at the HTTP edge', () => {
  let api: TestApi;
  let b: TestBranch;
  let desk: string;
  let admin: string;

  beforeAll(async () => {
    api = await startApi();
    b = await makeBranch(api.ds);
    desk = await login(api.url, b.users.frontdesk);
    admin = await login(api.url, b.users.admin);
  });
  afterAll(() => api.close());

  const post = (path: string, body: string | undefined, headers: Record<string, string> = {}) =>
    fetch(`${api.url}/api${path}`, { method: 'POST', headers: { authorization: `Bearer ${desk}`, ...headers }, body });
  const counterState = async (id: string) =>
    (await api.ds.query<{ status: string }[]>(`SELECT status FROM counters WHERE id = $1`, [id]))[0].status;

  it('takes an action with no body, or an empty JSON body, as an empty object', async () => {
    const [first, second] = b.counters;
    const bare = await post(`/counters/${first}/open`, undefined);
    expect(bare.status).toBe(200);
    // A client that always sends Content-Type: application/json, with nothing after it.
    const empty = await post(`/counters/${second}/open`, '', { 'content-type': 'application/json' });
    expect(empty.status).toBe(200);
    expect(await counterState(second)).toBe('open');
  });

  it('refuses a body that is not JSON with a 415 naming Content-Type, and changes nothing', async () => {
    const [, , third] = b.counters;
    const before = await counterState(third);
    const res = await post(`/counters/${third}/pause`, 'reason=lunch', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(415);
    const body = (await res.json()) as { message: string; details: { path: string }[] };
    expect(body.details[0].path).toBe('headers.content-type');
    expect(body.message).toContain('application/json');
    expect(await counterState(third)).toBe(before);
  });

  it('names the field of a NUL character, in the body or the query', async () => {
    const res = await post(`/counters/${b.counters[0]}/pause`, JSON.stringify({ reason: 'lunch\u0000' }), { 'content-type': 'application/json' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { details: { path: string }[] }).details[0].path).toBe('reason');
    const q = await fetch(`${api.url}/api/repairs?q=${encodeURIComponent('a\u0000b')}`, { headers: { authorization: `Bearer ${desk}` } });
    expect(q.status).toBe(400);
    expect(((await q.json()) as { details: { path: string }[] }).details[0].path).toBe('query.q');
  });

  it('refuses __proto__ in a body and malformed JSON with 400s naming the body', async () => {
    for (const text of ['{"__proto__":{"admin":true}}', '{"reason":']) {
      const res = await post(`/counters/${b.counters[0]}/pause`, text, { 'content-type': 'application/json' });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { details: { path: string }[] }).details[0].path).toBe('(body)');
    }
  });

  it('answers a path that is not UTF-8 and an unknown route in the contract shape', async () => {
    const bad = await fetch(`${api.url}/api/tickets/%ED%A0%80%FF/track`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ statusCode: 400, error: 'Bad Request', details: [{ path: '(path)' }] });
    const unknown = await fetch(`${api.url}/api/no-such-thing`, { headers: { authorization: `Bearer ${desk}` } });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });

  it('ignores a trailing slash, and counts requests by route in /api/metrics', async () => {
    expect((await fetch(`${api.url}/api/health/live/`)).status).toBe(200);
    const metrics = await (await fetch(`${api.url}/api/metrics`, { headers: { authorization: `Bearer ${admin}` } })).text();
    expect(metrics).toMatch(/fdl_http_request_duration_seconds_count\{method="POST",route="\/api\/counters\/:id\/open",status="200"\} [1-9]/);
    expect(metrics).toMatch(/fdl_http_request_duration_seconds_count\{method="GET",route="\/api\/health\/live",status="200"\} [1-9]/);
  });
});
