import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { AGENT_STATES, HOTLINE_EVENT_TYPES, HOTLINE_MAX_EVENTS, HOTLINE_MAX_SKEW_SECONDS, type SubscribeAck } from '@frontdesk/contracts';
import { EventStoreRepository, raiseAlert, runBranchTransaction } from '@frontdesk/db';
import { login, makeBranch, type TestBranch } from '../test-support/factories';
import { routesOf, type Route } from '../test-support/routes';
import { client, liveClient, startApi, type TestApi } from '../test-support/test-app';
import { signHotlineBody } from '../hotline/hotline-signature';

/**
 * Property-based fuzzing of every route of the running router and of the socket `subscribe` message: malformed bodies,
 * query strings, path segments and headers, sent with a token that may call the route. Every answer must be below 500
 * and, when it is an error, in the contract's shape; a rejected request must leave every table as it was.
 * Seeded: FUZZ_SEED reproduces a run, FUZZ_RUNS sets the cases per route.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
/** Rejected reads between two checksums (a rejected mutation is checked at once); 1 pins a write on the exact request. */
const CHECK_EVERY = Number(process.env.FUZZ_CHECK_EVERY ?? 20);
/** Tables an accepted read may write. */
const READ_WRITES = ['customer_audit'];

/** Strings that have broken web back ends before: SQL and script fragments, NUL bytes, odd unicode, edge dates and numbers. */
const NASTY = [
  "' OR 1=1 --",
  "'; DROP TABLE tickets; --",
  '"; SELECT pg_sleep(5); --',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '{{7*7}}${7*7}',
  '\u0000',
  'a\u0000b',
  '\uD800',
  '😀👩‍🔧𝕏',
  '陈大文',
  '\u202Eevil',
  '../../etc/passwd',
  '%00%27',
  '',
  ' ',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-1',
  '1e309',
  '0x1F',
  '9999-12-31T23:59:59Z',
  '0001-01-01T00:00:00Z',
  '+275760-09-13T00:00:00.000Z',
  '-271821-04-20T00:00:00.000Z',
  '2026-02-30T25:61:61Z',
  '1900-01-01',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  'A001',
  '+8613800138000',
  '13800138000'.repeat(30),
];
/** The webhook secret of the fuzzed branch: signed cases get past the signature to validation and the service. */
const HOTLINE_SECRET = 'fuzz-hotline-secret';
const NUMBERS = [0, -1, -0.5, 1.5, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 2, 1e21, -1e21, Number.MAX_VALUE, Number.MIN_VALUE];

interface OpenApi {
  paths: Record<string, Record<string, { parameters?: { name: string; in: string; schema?: Schema }[]; requestBody?: { content?: Record<string, { schema?: Schema }> } }>>;
  components?: { schemas?: Record<string, Schema> };
}
interface Schema {
  $ref?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  enum?: unknown[];
  format?: string;
  type?: string | string[];
  required?: string[];
  minimum?: number;
  maximum?: number;
}

/** What each route takes, read from the API's own OpenAPI document so that new fields are fuzzed without editing this test. */
function shapes(doc: OpenApi) {
  const resolve = (s: Schema | undefined, depth = 0): Schema | undefined => {
    if (!s || depth > 5) return s;
    if (s.$ref) return resolve(doc.components?.schemas?.[s.$ref.split('/').pop()!], depth + 1);
    const parts = [...(s.allOf ?? []), ...(s.anyOf ?? []), ...(s.oneOf ?? [])].map((x) => resolve(x, depth + 1));
    if (parts.length) return { ...s, properties: Object.assign({}, s.properties, ...parts.map((p) => p?.properties ?? {})) as Record<string, Schema> };
    return s;
  };
  const enums = new Set<string>();
  const walk = (s: Schema | undefined, depth = 0): void => {
    const r = resolve(s);
    if (!r || depth > 4) return;
    for (const e of r.enum ?? []) if (typeof e === 'string') enums.add(e);
    for (const p of Object.values(r.properties ?? {})) walk(p, depth + 1);
    if (r.items) walk(r.items, depth + 1);
  };
  const routes = new Map<string, Shape>();
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const schema = resolve(op.requestBody?.content?.['application/json']?.schema);
      walk(schema);
      const body: Record<string, string[]> = {};
      for (const [k, v] of Object.entries(schema?.properties ?? {})) {
        const inner = resolve(v);
        body[k] = Object.keys(resolve(inner?.items)?.properties ?? inner?.properties ?? {});
      }
      const query = (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
      const querySchema: Schema = {
        type: 'object',
        properties: Object.fromEntries((op.parameters ?? []).filter((p) => p.in === 'query').map((p) => [p.name, p.schema ?? { type: 'string' }])),
      };
      routes.set(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`, { query, body, bodySchema: schema, querySchema });
    }
  }
  return { routes, enums: [...enums], resolve };
}

interface Shape {
  query: string[];
  body: Record<string, string[]>;
  bodySchema?: Schema;
  querySchema?: Schema;
}

/**
 * Values of the right JSON type for a schema, with hostile content: the strings and numbers that pass a type check and
 * then reach the service and the SQL (NUL bytes, far dates, huge numbers, unknown ids, script and SQL fragments).
 */
function typedArb(s: Schema | undefined, resolve: (s: Schema | undefined) => Schema | undefined, ctx: { ids: string[] }, depth = 0): fc.Arbitrary<unknown> {
  const r = resolve(s);
  if (!r || depth > 4) return fc.constant(null);
  if (r.enum?.length) return fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...r.enum) }, { weight: 1, arbitrary: fc.constantFrom(...NASTY) });
  const alts = [...(r.anyOf ?? []), ...(r.oneOf ?? [])];
  if (alts.length && !r.properties) return fc.oneof(...alts.map((a) => typedArb(a, resolve, ctx, depth + 1)));
  const type = Array.isArray(r.type) ? r.type.find((t) => t !== 'null') : r.type;
  const farDate = fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true });
  switch (type ?? (r.properties ? 'object' : 'string')) {
    case 'object': {
      const props = r.properties ?? {};
      const required = (r.required ?? []).filter((k) => k in props);
      return fc.record(Object.fromEntries(Object.entries(props).map(([k, v]) => [k, typedArb(v, resolve, ctx, depth + 1)])), { requiredKeys: required });
    }
    case 'array':
      return fc.array(typedArb(r.items, resolve, ctx, depth + 1), { maxLength: 4 });
    case 'integer':
    case 'number':
      return fc.oneof(
        fc.integer({ min: Math.max(r.minimum ?? -1e6, -1e9), max: Math.min(r.maximum ?? 1e9, 1e12) }),
        fc.constantFrom(...NUMBERS),
        r.minimum !== undefined ? fc.constant(r.minimum) : fc.constant(0),
        r.maximum !== undefined ? fc.constant(r.maximum) : fc.constant(2 ** 31),
      );
    case 'boolean':
      return fc.boolean();
    default:
      if (r.format === 'uuid') return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...ctx.ids) }, { weight: 1, arbitrary: fc.uuid() });
      if (r.format === 'date-time') return fc.oneof(farDate.map((d) => d.toISOString()), fc.constantFrom('9999-12-31T23:59:59+14:00', '0001-01-01T00:00:00-12:00', new Date().toISOString()));
      if (r.format === 'date') return farDate.map((d) => d.toISOString().slice(0, 10));
      return fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(...NASTY) },
        { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
        { weight: 1, arbitrary: fc.constantFrom(...ctx.ids) },
        { weight: 1, arbitrary: fc.stringMatching(/^\+?[0-9]{4,15}$/) },
      );
  }
}

/**
 * Row counts and a sum of 64-bit hashes of every row of every table (order-free, so no sort): equal sums mean nothing
 * was written. `events.published_at` is left
 * out: the API's outbox sweep stamps it in the background after a commit.
 */
async function checksum(ds: DataSource, tables: string[]): Promise<Record<string, string>> {
  const sql = tables.map((t) => `SELECT '${t}' AS t, count(*)::text || ':' || coalesce(sum(hashtextextended((to_jsonb(x) - 'published_at')::text, 0)::numeric), 0)::text AS h FROM "${t}" x`).join(' UNION ALL ');
  const rows: { t: string; h: string }[] = await ds.query(sql);
  return Object.fromEntries(rows.map((r) => [r.t, r.h]));
}

/** A path segment as a client would send it; a lone surrogate becomes bytes that are not UTF-8 at all. */
function encodeSegment(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return '%ED%A0%80%FF';
  }
}

/** Each route its own seed, derived from FUZZ_SEED and its method and path, so one route's cases can be replayed alone. */
function seedOf(key: string): number {
  let h = SEED;
  for (const ch of key) h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0;
  return h;
}

function diff(a: Record<string, string>, b: Record<string, string>): string[] {
  return Object.keys(a).filter((k) => a[k] !== b[k]);
}

interface Case {
  pathOverride?: string;
  query: [string, unknown][];
  body?: { kind: 'json'; value: unknown } | { kind: 'raw'; text: string };
  headers: Record<string, string>;
}

function leafPaths(obj: unknown, prefix: string[] = []): string[][] {
  if (obj === null || typeof obj !== 'object') return prefix.length ? [prefix] : [];
  const entries = Array.isArray(obj) ? obj.map((v, i) => [String(i), v] as const) : Object.entries(obj);
  return [...(prefix.length ? [prefix] : []), ...entries.flatMap(([k, v]) => leafPaths(v, [...prefix, k]))];
}

function setPath(obj: Record<string, unknown>, path: string[], value: unknown): void {
  let at: Record<string, unknown> = obj;
  for (const k of path.slice(0, -1)) {
    const next = at[k];
    // An earlier edit replaced or removed the parent: nothing left to edit.
    if (next === null || typeof next !== 'object') return;
    at = next as Record<string, unknown>;
  }
  if (value === undefined) delete at[path[path.length - 1]];
  else at[path[path.length - 1]] = value;
}

/** Whether a response is the contract's error shape; returns what is wrong, or null. */
function shapeProblem(status: number, text: string): string | null {
  let body: { statusCode?: unknown; error?: unknown; message?: unknown; details?: unknown };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    return `not JSON: ${text.slice(0, 80)}`;
  }
  if (body.statusCode !== status) return `statusCode ${String(body.statusCode)} ≠ ${status}`;
  if (typeof body.error !== 'string' || typeof body.message !== 'string') return 'error/message missing';
  if (body.details !== undefined) {
    const ok = Array.isArray(body.details) && body.details.every((d: { path?: unknown; message?: unknown }) => typeof d?.path === 'string' && typeof d?.message === 'string');
    if (!ok) return 'details not [{path, message}]';
  }
  if ((status === 400 || status === 422) && !(Array.isArray(body.details) && body.details.length > 0)) return `${status} without details: ${String(body.message)}`;
  return null;
}

describe('fuzzing: malformed input gets a 4xx in the contract shape and changes nothing', () => {
  let api: TestApi;
  let mine: TestBranch;
  let other: TestBranch;
  let tokens: Record<string, string>;
  let routes: Route[];
  let ids: Record<string, string>;
  let tables: string[];
  const stats = { requests: 0, rejected: 0, checksums: 0 };
  const signed = { requests: 0, rejected: 0, accepted: 0, auth: 0 };
  let watchMs: string | undefined;

  beforeAll(async () => {
    // The hotline watch raises alerts on its own timer for calls other suites left waiting in the shared test
    // database; those writes are not caused by any request, so the watch sleeps while this suite compares tables.
    watchMs = process.env.HOTLINE_WATCH_MS;
    process.env.HOTLINE_WATCH_MS = String(3600_000);
    api = await startApi({ KIOSK_TICKETS_PER_MINUTE: '100000', TRACK_REQUESTS_PER_MINUTE: '100000', HOTLINE_REQUESTS_PER_MINUTE: '100000', LOGIN_MAX_FAILURES: '100000' });
    mine = await makeBranch(api.ds);
    other = await makeBranch(api.ds);
    await api.ds.query(`UPDATE branches SET hotline_secret = $2 WHERE id = $1`, [mine.id, HOTLINE_SECRET]);
    await api.ds.query(`UPDATE branches SET hotline_secret = $2 WHERE id = $1`, [other.id, 'another-branch-secret']);
    tokens = { kiosk: mine.kioskToken, display: mine.displayToken };
    for (const role of ['frontdesk', 'manager', 'admin', 'technician', 'agent']) tokens[role] = await login(api.url, mine.users[role]);
    const kiosk = client(api.url, mine.kioskToken);
    const desk = client(api.url, tokens.frontdesk);
    const ticket = (await kiosk.post(`/branches/${mine.id}/tickets`, { serviceId: mine.services.A })).body as { id: string };
    await kiosk.post(`/branches/${mine.id}/tickets`, { serviceId: mine.services.B });
    const repair = await desk.post(`/branches/${mine.id}/repairs`, {
      customer: { name: '陈大文', phone: '13800138000' },
      device: { brand: 'Huawei', model: 'P60' },
      fault: 'screen',
      notify: 'none',
    });
    const callback = await desk.post('/callbacks', { branchId: mine.id, phone: '13800138001', dueAt: new Date(Date.now() + 3600_000).toISOString(), reason: 'promised' });
    const { result: alert } = await runBranchTransaction(api.ds, new EventStoreRepository(api.ds), mine.id, 'test', (tx) =>
      raiseAlert(tx, { kind: 'test', severity: 'info', message: 'x' }),
    );
    const spare = await client(api.url, tokens.manager).post(`/branches/${mine.id}/devices`, { kind: 'display', name: 'spare' });
    ids = {
      tickets: ticket.id,
      counters: mine.counters[0],
      repairs: (repair.body as { id: string }).id,
      callbacks: (callback.body as { id: string }).id,
      alerts: alert!.id,
      devices: (spare.body as { id: string }).id,
    };
    routes = routesOf(api).filter((r) => !process.env.FUZZ_ROUTES || new RegExp(process.env.FUZZ_ROUTES).test(`${r.method} ${r.path}`));
    const rows: { table_name: string }[] = await api.ds.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'migrations' ORDER BY 1`,
    );
    tables = rows.map((r) => r.table_name);
  });
  afterAll(async () => {
    console.log(`fuzz: ${stats.requests} HTTP requests (${stats.rejected} rejected), ${stats.checksums} database checksums, seed ${SEED}`);
    console.log(`fuzz: signed hotline webhook: ${signed.requests} requests (${signed.rejected} rejected, ${signed.accepted} accepted), ${signed.auth} signature/timestamp cases`);
    await api?.close();
    if (watchMs === undefined) delete process.env.HOTLINE_WATCH_MS;
    else process.env.HOTLINE_WATCH_MS = watchMs;
  });

  const pathFor = (r: Route) =>
    r.path
      .replace(':branchId', mine.id)
      .replace(':code', mine.code)
      .replace(':ticketId', ids.tickets)
      .replace(/\/([a-z-]+)\/:id/, (_m, res: string) => `/${res}/${ids[res] ?? randomUUID()}`);

  /** The first token the route lets through its guard: the fuzzing must reach validation and the service, not stop at 403. */
  async function tokenFor(r: Route): Promise<string | undefined> {
    for (const name of ['frontdesk', 'manager', 'admin', 'technician', 'agent', 'kiosk', 'display']) {
      const res = await fetch(`${api.url}${pathFor(r)}`, {
        method: r.method,
        headers: { authorization: `Bearer ${tokens[name]}`, 'content-type': 'application/json' },
        body: r.method === 'GET' ? undefined : '{"__probe":',
      });
      if (res.status !== 401 && res.status !== 403) return tokens[name];
    }
    return tokens.admin;
  }

  /** One accepted request per route with a body or query worth varying: the fuzzer changes one or two of its values. */
  const validFor = (key: string): { body?: Record<string, unknown>; query?: Record<string, unknown> } | undefined => {
    const soon = new Date(Date.now() + 3600_000).toISOString();
    const examples: Record<string, { body?: Record<string, unknown>; query?: Record<string, unknown> }> = {
      'POST /api/auth/login': { body: { username: 'nobody', password: 'wrong-password' } },
      'POST /api/branches/:branchId/repairs': {
        body: { customer: { name: '陈大文', phone: '13800138000', altPhone: '13900139000' }, device: { brand: 'Huawei', model: 'P60', imei: '490154203237518', serial: 'SN1' }, fault: 'screen', condition: 'scratched', accessories: ['charger'], purchaseDate: '2026-06-01', notify: 'sms' },
      },
      'POST /api/callbacks': { body: { branchId: mine.id, phone: '13800138001', name: '王', dueAt: soon, reason: 'promised', note: 'n' } },
      'GET /api/callbacks': { query: { branchId: mine.id, status: 'scheduled' } },
      'POST /api/branches/:branchId/tickets': { body: { serviceId: mine.services.C, phone: '13800138002', priority: 'normal' } },
      'GET /api/branches/:branchId/tickets': { query: { status: 'waiting' } },
      'PATCH /api/repairs/:id': { body: { diagnosisNote: 'd', partsNote: 'p', promisedAt: soon, reason: 'parts late' } },
      'POST /api/repairs/:id/transition': { body: { to: 'diagnosing', note: 'n' } },
      'POST /api/repairs/:id/quote-decision': { body: { decision: 'approved', note: 'n' } },
      'POST /api/repairs/:id/pickup': { body: { pickupCode: '000000' } },
      'POST /api/repairs/:id/survey': { body: { score: 5, comment: 'good' } },
      'GET /api/repairs': { query: { branchId: mine.id, q: '13800138000', status: 'received', page: 1, pageSize: 10 } },
      'GET /api/repairs/lookup': { query: { orderNo: 'R20261201-001', phoneLast4: '8000' } },
      'GET /api/customers/by-phone': { query: { phone: '13800138000', branchId: mine.id } },
      'POST /api/counters/:id/pause': { body: { reason: 'break' } },
      'POST /api/counters/:id/call/:ticketId': { body: { reason: 'elderly customer' } },
      'POST /api/tickets/:id/transfer': { body: { serviceId: mine.services.B } },
      'POST /api/branches/:branchId/devices': { body: { kind: 'display', name: 'wall' } },
      'POST /api/callbacks/:id/complete': { body: { outcome: 'unreachable', note: 'n' } },
      'GET /api/alerts': { query: { branchId: mine.id, state: 'all', limit: 10 } },
      'GET /api/audit': { query: { branchId: mine.id, from: '2026-01-01T00:00:00Z', to: soon, limit: 10 } },
      'GET /api/branches/:branchId/hotline': { query: { queue: 'sales' } },
    };
    return examples[key];
  };

  function caseArb(shape: Shape, enums: string[], resolve: (s: Schema | undefined) => Schema | undefined, key = ''): fc.Arbitrary<Case> {
    const realIds = [...Object.values(ids), ...Object.values(mine.services), ...mine.counters, mine.id, other.id, ...Object.values(other.services)];
    const date = fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true }).map((d) => d.toISOString());
    const scalar = fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...NASTY) },
      { weight: 3, arbitrary: fc.constantFrom(...realIds) },
      { weight: 3, arbitrary: fc.constantFrom(...(enums.length ? enums : ['x'])) },
      { weight: 2, arbitrary: date },
      { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
      { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
      { weight: 2, arbitrary: fc.integer() },
      { weight: 1, arbitrary: fc.constantFrom(...NUMBERS) },
      { weight: 1, arbitrary: fc.double() },
      { weight: 1, arbitrary: fc.boolean() },
      { weight: 1, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: fc.constantFrom('x'.repeat(5000), '中'.repeat(20_000)) },
    );
    const value: fc.Arbitrary<unknown> = fc.oneof(
      { weight: 8, arbitrary: scalar },
      { weight: 1, arbitrary: fc.array(scalar, { maxLength: 4 }) },
      { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('a', 'id', '__proto__', 'constructor', '$where'), scalar, { maxKeys: 3 }) },
    );
    const keys = Object.keys(shape.body);
    const fieldValue = (k: string): fc.Arbitrary<unknown> => {
      const inner = shape.body[k];
      if (!inner.length) return value;
      const obj = fc.record(Object.fromEntries(inner.map((i) => [i, value])), { requiredKeys: [] });
      return fc.oneof({ weight: 4, arbitrary: obj }, { weight: 1, arbitrary: fc.array(obj, { maxLength: 3 }) }, { weight: 2, arbitrary: value });
    };
    const structured = keys.length
      ? fc.record(Object.fromEntries(keys.map((k) => [k, fieldValue(k)])), { requiredKeys: [] })
      : fc.dictionary(fc.string({ maxLength: 8 }), value, { maxKeys: 4 });
    const typedBody = typedArb(shape.bodySchema, resolve, { ids: realIds });
    const body = fc.oneof(
      { weight: shape.bodySchema ? 6 : 0, arbitrary: typedBody.map((value) => ({ kind: 'json' as const, value })) },
      { weight: 4, arbitrary: structured.map((value) => ({ kind: 'json' as const, value })) },
      { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((value) => ({ kind: 'json' as const, value })) },
      { weight: 1, arbitrary: fc.constantFrom('{"a":', '[1,2', "{'a':1}", 'undefined', '\u0000', '{"__proto__":{"admin":true}}').map((text) => ({ kind: 'raw' as const, text })) },
      { weight: 1, arbitrary: fc.constant({ kind: 'raw' as const, text: `{"x":"${'y'.repeat(200_000)}"}` }) },
    );
    const queryKeys = [...shape.query, 'branchId', 'x', 'status[0]', 'q[$ne]'];
    const typedQuery = typedArb(shape.querySchema, resolve, { ids: realIds }).map((o) =>
      Object.entries((o ?? {}) as Record<string, unknown>).map(([k, v]) => [k, v] as [string, unknown]),
    );
    const randomQuery = fc.array(fc.tuple(fc.constantFrom(...queryKeys), fc.oneof(scalar, fc.array(scalar, { maxLength: 2 }))), { maxLength: 5 });
    const query = shape.query.length ? fc.oneof(typedQuery, randomQuery) : randomQuery;
    const header = fc.string({ maxLength: 60 }).map((s) => s.replace(/[^\x20-\x7e]/g, ''));
    const headers = fc.record(
      {
        'idempotency-key': fc.oneof(header, fc.constant('k'.repeat(2000))),
        'content-type': fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16', 'garbage'),
        accept: fc.constantFrom('text/csv', 'application/xml', '*/*', '', 'text/html'),
        'x-forwarded-for': fc.constantFrom('127.0.0.1', '::1, 10.0.0.1', 'not-an-ip', ''),
        'x-timestamp': fc.oneof(header, fc.integer().map(String)),
        'x-signature': header,
      },
      { requiredKeys: [] },
    );
    const pathOverride = fc.option(fc.oneof(fc.constantFrom(...NASTY), fc.string({ maxLength: 30 })), { freq: 6 });
    const chaotic = fc.record({ pathOverride: pathOverride.map((p) => p ?? undefined), query, body: fc.option(body, { freq: 8 }).map((b) => b ?? undefined), headers });
    // Well-formed requests whose only fault is in the values: they get past parsing and the guard and test the service.
    const typed = fc.record({
      query: shape.query.length ? typedQuery : fc.constant([] as [string, unknown][]),
      body: shape.bodySchema ? typedBody.map((value) => ({ kind: 'json' as const, value })) : fc.constant(undefined),
      headers: fc.record({ 'content-type': fc.constant('application/json'), 'idempotency-key': fc.uuid() }, { requiredKeys: ['content-type'] }),
    });
    const valid = validFor(key);
    if (!valid) return fc.oneof({ weight: 1, arbitrary: typed }, { weight: 1, arbitrary: chaotic });
    // A valid request with one or two values replaced (or removed): the closest a bad client comes to a good one.
    const mutate = (obj: Record<string, unknown> | undefined) => {
      const leaves = leafPaths(obj ?? {});
      if (!leaves.length) return fc.constant(obj);
      const edit = fc.tuple(fc.constantFrom(...leaves), fc.option(value, { freq: 8 }));
      return fc.array(edit, { minLength: 1, maxLength: 2 }).map((edits) => {
        const copy = structuredClone(obj ?? {});
        for (const [path, v] of edits) setPath(copy, path, v === null ? undefined : v);
        return copy;
      });
    };
    const near = fc.record({
      query: valid.query ? mutate(valid.query).map((q): [string, unknown][] => Object.entries(q ?? {}).filter(([, v]) => v !== undefined)) : fc.constant<[string, unknown][]>([]),
      body: valid.body ? mutate(valid.body).map((value) => ({ kind: 'json' as const, value })) : fc.constant(undefined),
      headers: fc.constant<Record<string, string>>({ 'content-type': 'application/json' }),
    });
    return fc.oneof({ weight: 2, arbitrary: near }, { weight: 1, arbitrary: typed }, { weight: 1, arbitrary: chaotic });
  }

  async function send(r: Route, token: string | undefined, c: Case): Promise<{ status: number; text: string; url: string }> {
    let path = pathFor(r);
    if (c.pathOverride !== undefined) {
      // Replace the last id of the path with the fuzzed segment.
      const idPattern = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?!.*[0-9a-f]{8}-[0-9a-f]{4}-)/;
      path = path.replace(idPattern, encodeSegment(c.pathOverride));
    }
    const qs = new URLSearchParams();
    for (const [k, v] of c.query) for (const x of Array.isArray(v) ? v : [v]) qs.append(k, typeof x === 'string' ? x : JSON.stringify(x) ?? '');
    const url = `${api.url}${path}${c.query.length ? `?${qs.toString()}` : ''}`;
    const withBody = r.method !== 'GET' && c.body !== undefined;
    const headers: Record<string, string> = { ...c.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) };
    if (!withBody) delete headers['content-type'];
    const res = await fetch(url, {
      method: r.method,
      headers,
      body: withBody ? (c.body!.kind === 'json' ? (JSON.stringify(c.body!.value) ?? 'null') : c.body!.text) : undefined,
    });
    stats.requests++;
    return { status: res.status, text: await res.text(), url };
  }

  it('sends malformed bodies, queries, path segments and headers to every route: no 5xx, the error shape, no write', async () => {
    const doc = (await (await fetch(`${api.url}/api/docs/openapi.json`)).json()) as OpenApi;
    const { routes: known, enums, resolve } = shapes(doc);
    const failures: string[] = [];
    const statuses: Record<string, number> = {};
    let base = await checksum(api.ds, tables);
    for (const r of routes) {
      const key = `${r.method} ${r.path}`;
      const shape = known.get(key) ?? { query: [], body: {} };
      const token = await tokenFor(r);
      base = await checksum(api.ds, tables);
      if (process.env.FUZZ_DEBUG) console.log(key, JSON.stringify(fc.sample(caseArb(shape, enums, resolve), { numRuns: 2, seed: 1 }).map((c) => c.body)).slice(0, 600));
      const cases = fc.sample(caseArb(shape, enums, resolve, key), { numRuns: RUNS, seed: seedOf(key) });
      let pending: string[] = [];
      const log: string[] = [];
      const check = async (ignore: string[] = []) => {
        stats.checksums++;
        const now = await checksum(api.ds, tables);
        const changed = diff(base, now).filter((t) => !ignore.includes(t));
        if (changed.length && process.env.FUZZ_DEBUG) {
          const ev: unknown[] = await api.ds.query(`SELECT seq, type, at, actor, data FROM events WHERE branch_id = $1 ORDER BY seq DESC LIMIT 3`, [mine.id]);
          console.log(JSON.stringify({ now: new Date(), ev, log }, null, 1));
        }
        if (changed.length) failures.push(`${key}: tables ${changed.join(', ')} changed after rejected requests, one of: ${pending.slice(0, 3).join(' | ')}`);
        base = now;
        pending = [];
      };
      for (const c of cases) {
        const res = await send(r, token, c);
        if (process.env.FUZZ_DEBUG) log.push(`${new Date().toISOString()} ${res.status} ${res.url.slice(api.url.length, api.url.length + 100)}`);
        const what = `${r.method} ${res.url.slice(api.url.length, api.url.length + 200)} body=${JSON.stringify(c.body)?.slice(0, 200)}`;
        // /api/health answers 503 by design while the worker is away (no worker runs in this suite).
        if (process.env.FUZZ_DEBUG) statuses[`${key} ${res.status}`] = (statuses[`${key} ${res.status}`] ?? 0) + 1;
        if (res.status >= 500 && !(r.path === '/api/health' && res.status === 503)) failures.push(`${key} → ${res.status} for ${what}`);
        else if (res.status >= 400 && r.path !== '/api/health') {
          const problem = shapeProblem(res.status, res.text);
          if (problem) failures.push(`${key} → ${res.status} ${problem} for ${what}`);
        }
        if (res.status >= 200 && res.status < 400) {
          // An accepted request may write; the rejected ones after it are compared with what it left. Reads are
          // checked in batches, so the batch before an accepted read is compared first (a read writes at most the
          // customer audit log).
          if (pending.length) await check(READ_WRITES);
          base = await checksum(api.ds, tables);
          stats.checksums++;
        } else {
          stats.rejected++;
          pending.push(`${res.status} ${what}`);
          // A rejected mutation is checked at once: the next request might be accepted and write.
          if (r.method !== 'GET' || pending.length >= CHECK_EVERY) await check();
        }
      }
      if (pending.length) await check();
    }
    if (process.env.FUZZ_DEBUG) console.log(statuses);
    expect(failures.slice(0, 40)).toEqual([]);
    expect(stats.requests).toBeGreaterThan(routes.length * RUNS * 0.9);
  }, 240_000);

  it('signed hotline webhook: malformed bodies reach validation; bad signatures and timestamps are 401; none writes', async () => {
    const failures: string[] = [];
    const url = `${api.url}/api/hotline/events`;
    const now = () => String(Math.floor(Date.now() / 1000));
    const post = async (raw: string, headers: Record<string, string>) => {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: raw });
      signed.requests++;
      return { status: res.status, text: await res.text() };
    };
    const signedPost = (raw: string, ts = now(), secret = HOTLINE_SECRET, headers: Record<string, string> = {}) =>
      post(raw, { 'x-timestamp': ts, 'x-signature': signHotlineBody(secret, ts, raw), ...headers });
    let base = await checksum(api.ds, tables);
    /** A rejected request: 4xx in the contract shape naming a field (`details`), and every table as it was. */
    const expectRejected = async (what: string, res: { status: number; text: string }, status?: number, path?: string) => {
      signed.rejected++;
      if (res.status >= 500 || res.status < 400) failures.push(`${res.status} for ${what}: ${res.text.slice(0, 160)}`);
      else if (status !== undefined && res.status !== status) failures.push(`${res.status} (expected ${status}) for ${what}: ${res.text.slice(0, 160)}`);
      const problem = shapeProblem(res.status, res.text);
      if (problem) failures.push(`${res.status} ${problem} for ${what}`);
      const details = (JSON.parse(res.text || '{}') as { details?: { path: string }[] }).details;
      if (res.status < 500 && !details?.length) failures.push(`${res.status} without details naming the field for ${what}`);
      if (path !== undefined && details?.[0]?.path !== path) failures.push(`${res.status} names ${details?.[0]?.path} (expected ${path}) for ${what}`);
      stats.checksums++;
      const after = await checksum(api.ds, tables);
      const changed = diff(base, after);
      if (changed.length) failures.push(`tables ${changed.join(', ')} changed after rejected ${what}`);
      base = after;
    };

    // Bodies the schema accepts, with odd but legal content: unknown calls, events out of order, far dates, repeats.
    const token = fc.oneof({ weight: 6, arbitrary: fc.uuid() }, { weight: 1, arbitrary: fc.constantFrom('dup-1', 'a.b_c:d@e/f+g-h', 'x'.repeat(128)) });
    const when = fc.oneof(
      { weight: 6, arbitrary: fc.integer({ min: -7200, max: 240 }).map((sec) => new Date(Date.now() + sec * 1000).toISOString()) },
      { weight: 1, arbitrary: fc.constantFrom('0001-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '1970-01-01T00:00:00Z', '2026-02-28T23:59:59.999+14:00', '2026-12-01T00:00:00-12:00') },
    );
    const callEvent = fc.record(
      {
        id: token,
        type: fc.constantFrom(...HOTLINE_EVENT_TYPES.filter((t) => t !== 'agent_state')),
        callId: fc.constantFrom('c1', 'c2', 'c3'),
        queue: fc.constantFrom('repair', 'sales', 'q'.repeat(64), '陈'),
        at: when,
        agentId: fc.constantFrom('a1', 'a2'),
        callerNumber: fc.constantFrom('13800138000', '+8613900139000', '010-12345678', '+1 415 555 0100'),
      },
      { requiredKeys: ['id', 'type', 'callId', 'queue', 'at'] },
    );
    const agentEvent = fc.record(
      { id: token, type: fc.constant('agent_state'), agentId: fc.constantFrom('a1', 'a2', 'a'.repeat(64)), state: fc.constantFrom(...AGENT_STATES), queue: fc.constantFrom('repair', 'sales'), at: when },
      { requiredKeys: ['id', 'type', 'agentId', 'state', 'at'] },
    );
    const validBody = fc.array(fc.oneof({ weight: 3, arbitrary: callEvent }, { weight: 1, arbitrary: agentEvent }), { minLength: 1, maxLength: 8 }).map((events) => ({ branchId: mine.id, events }));
    const hostile = fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...NASTY) },
      { weight: 2, arbitrary: fc.constantFrom(...NUMBERS) },
      { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
      { weight: 1, arbitrary: fc.constantFrom(null, true, [], {}, other.id, randomUUID(), 'x'.repeat(5000), '中'.repeat(20_000)) },
      { weight: 1, arbitrary: fc.constantFrom(...HOTLINE_EVENT_TYPES, ...AGENT_STATES) },
    );
    // The same bodies with one to three values replaced or removed: the signature is good, the content is not.
    const nearBody = fc.tuple(validBody, fc.array(fc.tuple(fc.nat(), fc.option(hostile, { freq: 5 })), { minLength: 1, maxLength: 3 })).map(([body, edits]) => {
      const copy = structuredClone(body) as Record<string, unknown>;
      for (const [i, v] of edits) {
        const leaves = leafPaths(copy);
        if (leaves.length) setPath(copy, leaves[i % leaves.length], v === null ? undefined : v);
      }
      return copy;
    });
    type SignedCase = { raw: string; contentType?: string };
    const cases = fc.oneof(
      { weight: 3, arbitrary: validBody.map((b): SignedCase => ({ raw: JSON.stringify(b) })) },
      { weight: 6, arbitrary: nearBody.map((b): SignedCase => ({ raw: JSON.stringify(b) ?? 'null' })) },
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v): SignedCase => ({ raw: JSON.stringify(v) ?? 'null' })) },
      {
        weight: 1,
        arbitrary: fc.constantFrom<SignedCase>(
          { raw: '{"branchId":' },
          { raw: '[1,2' },
          { raw: 'null' },
          { raw: '"text"' },
          { raw: '[]' },
          { raw: `{"branchId":"${'x'}","events":[]}` },
          { raw: '{"__proto__":{"branchId":"x"}}' },
          { raw: '{"branchId":"MINE","events":"not a list"}' },
          { raw: '{"branchId":"MINE","events":[null]}' },
          { raw: '{"branchId":"MINE","events":[{"id":"a","type":"call_queued","callId":"c","queue":"q\\u0000","at":"2026-12-01T00:00:00Z"}]}' },
          { raw: '{"branchId":"MINE","events":[{"id":"a","type":"call_queued","callId":"c","queue":"q","at":"2026-12-01T00:00:00Z"}]}', contentType: 'text/plain' },
          { raw: `{"branchId":"MINE","events":[{"id":"a","type":"call_queued","callId":"c","queue":"q","at":"2026-12-01T00:00:00Z","callerNumber":"${'1'.repeat(200_000)}"}]}` },
        ),
      },
    );
    for (const c of fc.sample(cases, { numRuns: RUNS * 4, seed: seedOf('signed hotline') })) {
      const raw = c.raw.replaceAll('MINE', mine.id);
      const res = await signedPost(raw, now(), HOTLINE_SECRET, c.contentType ? { 'content-type': c.contentType } : {});
      const what = `signed ${raw.slice(0, 600)}`;
      if (res.status >= 200 && res.status < 300) {
        signed.accepted++;
        base = await checksum(api.ds, tables);
        stats.checksums++;
      } else await expectRejected(what, res);
    }

    // More events than one request may carry: 413 naming `events`; a body past the parser's limit: 413 too.
    const many = JSON.stringify({ branchId: mine.id, events: Array.from({ length: HOTLINE_MAX_EVENTS + 1 }, (_, i) => ({ id: `many-${i}`, type: 'call_queued', callId: `m${i}`, queue: 'repair', at: new Date().toISOString() })) });
    await expectRejected('501 events', await signedPost(many), 413, 'events');
    await expectRejected('a 2 MB body', await signedPost(JSON.stringify({ branchId: mine.id, events: [], pad: 'x'.repeat(2_000_000) })), 413);

    // Signature and timestamp: a good body with a bad proof is refused before anything is stored.
    const good = () => JSON.stringify({ branchId: mine.id, events: [{ id: randomUUID(), type: 'call_queued', callId: `auth-${randomUUID()}`, queue: 'repair', at: new Date().toISOString(), callerNumber: '13800138000' }] });
    const auth = async (what: string, raw: string, headers: Record<string, string>, path: string) => {
      signed.auth++;
      await expectRejected(what, await post(raw, headers), 401, path);
    };
    const stale = String(Math.floor(Date.now() / 1000) - HOTLINE_MAX_SKEW_SECONDS - 5);
    const future = String(Math.floor(Date.now() / 1000) + HOTLINE_MAX_SKEW_SECONDS + 5);
    const raw = good();
    await auth('a stale timestamp (signed over it)', raw, { 'x-timestamp': stale, 'x-signature': signHotlineBody(HOTLINE_SECRET, stale, raw) }, 'headers.x-timestamp');
    await auth('a future timestamp (signed over it)', raw, { 'x-timestamp': future, 'x-signature': signHotlineBody(HOTLINE_SECRET, future, raw) }, 'headers.x-timestamp');
    for (const ts of ['', 'yesterday', '-1', '1e9', '99999999999999', '0']) {
      await auth(`X-Timestamp "${ts}"`, raw, { 'x-timestamp': ts, 'x-signature': signHotlineBody(HOTLINE_SECRET, ts, raw) }, 'headers.x-timestamp');
    }
    const ts = now();
    await auth('a signature over a different body', raw, { 'x-timestamp': ts, 'x-signature': signHotlineBody(HOTLINE_SECRET, ts, good()) }, 'headers.x-signature');
    await auth('a signature made with a wrong secret', raw, { 'x-timestamp': ts, 'x-signature': signHotlineBody('not-the-secret', ts, raw) }, 'headers.x-signature');
    await auth("another branch's secret", raw, { 'x-timestamp': ts, 'x-signature': signHotlineBody('another-branch-secret', ts, raw) }, 'headers.x-signature');
    await auth('the signature of another timestamp', raw, { 'x-timestamp': String(Number(ts) - 1), 'x-signature': signHotlineBody(HOTLINE_SECRET, ts, raw) }, 'headers.x-signature');
    for (const sig of ['', 'sha256=', `sha256=${'0'.repeat(64)}`, `sha1=${'a'.repeat(40)}`, signHotlineBody(HOTLINE_SECRET, ts, raw).toUpperCase(), `${signHotlineBody(HOTLINE_SECRET, ts, raw)}00`]) {
      await auth(`X-Signature "${sig.slice(0, 20)}…"`, raw, { 'x-timestamp': ts, 'x-signature': sig }, 'headers.x-signature');
    }
    const unknown = raw.replace(mine.id, randomUUID());
    await auth('a body for an unknown branch, signed with our secret', unknown, { 'x-timestamp': ts, 'x-signature': signHotlineBody(HOTLINE_SECRET, ts, unknown) }, 'branchId');
    // Replays: the exact accepted request again is answered as duplicates and changes nothing; its signature on a
    // fresh timestamp, or after the window, is refused.
    const first = await signedPost(raw, ts);
    if (first.status !== 202) failures.push(`the well-signed request got ${first.status}: ${first.text.slice(0, 160)}`);
    base = await checksum(api.ds, tables);
    const sig = signHotlineBody(HOTLINE_SECRET, ts, raw);
    const again = await post(raw, { 'x-timestamp': ts, 'x-signature': sig });
    signed.auth++;
    expect(again.status).toBe(202);
    expect(JSON.parse(again.text)).toEqual({ accepted: 0, duplicates: 1 });
    const afterReplay = await checksum(api.ds, tables);
    expect(diff(base, afterReplay)).toEqual([]);
    await auth('a replayed signature on a fresh timestamp', raw, { 'x-timestamp': String(Number(ts) + 2), 'x-signature': sig }, 'headers.x-signature');
    await auth('a replay after the window', raw, { 'x-timestamp': stale, 'x-signature': sig }, 'headers.x-timestamp');

    expect(failures.slice(0, 40)).toEqual([]);
  }, 240_000);

  it('answers a malformed socket subscribe with an error ack and keeps the connection usable', async () => {
    const { socket } = await liveClient(api.url, tokens.manager);
    const date = fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
    const field = fc.oneof(fc.constantFrom(...NASTY), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), date, fc.constant(randomUUID()), fc.string(), fc.constantFrom(mine.id, other.id, ids.tickets));
    const payload = fc.oneof(
      { weight: 6, arbitrary: fc.record({ branchId: field, view: fc.oneof(field, fc.constantFrom('display', 'staff', 'manager', 'track')), lastSeq: fc.oneof(field, fc.integer({ min: -5, max: 1e9 })), ticketId: field }, { requiredKeys: [] }) },
      { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
      { weight: 1, arbitrary: fc.constantFrom(undefined, 'x'.repeat(60_000), [[[]]]) },
    );
    const problems: string[] = [];
    let sent = 0;
    let last: unknown;
    for (const p of fc.sample(payload, { numRuns: 300, seed: SEED })) {
      if (!socket.connected) {
        problems.push(`disconnected after ${JSON.stringify(last)?.slice(0, 120)}`);
        break;
      }
      last = p;
      const ack = (await socket.timeout(5000).emitWithAck('subscribe', p as never).catch((e: Error) => ({ ok: false, error: { statusCode: 599, message: e.message } }))) as SubscribeAck;
      sent++;
      if (!ack || typeof ack !== 'object') problems.push(`no ack object for ${JSON.stringify(p)?.slice(0, 120)}`);
      else if (!ack.ok && (ack.error.statusCode >= 500 || typeof ack.error.message !== 'string')) problems.push(`${ack.error.statusCode} ${ack.error.message} for ${JSON.stringify(p)?.slice(0, 120)}`);
    }
    // A message past the 64 KB limit closes that one connection (engine.io's rule); the server goes on serving others.
    const { socket: big } = await liveClient(api.url, tokens.manager);
    const closed = new Promise<string>((resolve) => big.once('disconnect', (reason) => resolve(reason)));
    (big as unknown as { emit(event: string, body: unknown): void }).emit('subscribe', { branchId: 'x'.repeat(200_000), view: 'staff' });
    expect(await closed).toBe('transport close');
    big.close();
    // The same socket still works for a well-formed request.
    const good = (await socket.timeout(5000).emitWithAck('subscribe', { branchId: mine.id, view: 'staff' })) as SubscribeAck;
    socket.disconnect();
    console.log(`fuzz: ${sent} socket subscribe payloads`);
    expect(problems).toEqual([]);
    expect(good.ok).toBe(true);
  });
});
