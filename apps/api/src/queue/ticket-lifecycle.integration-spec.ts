import { makeBranch, login, type TestBranch } from '../test-support/factories';
import { client, startApi, type TestApi } from '../test-support/test-app';

describe('ticket lifecycle over HTTP', () => {
  let api: TestApi;
  let b: TestBranch;
  let desk: ReturnType<typeof client>;
  let kiosk: ReturnType<typeof client>;
  let manager: ReturnType<typeof client>;

  beforeAll(async () => {
    api = await startApi();
    b = await makeBranch(api.ds, { settings: { maxRecalls: 1, recallCooldownSeconds: 1 } });
    desk = client(api.url, await login(api.url, b.users.frontdesk));
    manager = client(api.url, await login(api.url, b.users.manager));
    kiosk = client(api.url, b.kioskToken);
  });
  afterAll(() => api.close());

  const take = async (code = 'A', extra: Record<string, unknown> = {}) => {
    const r = await kiosk.post(`/branches/${b.id}/tickets`, { serviceId: b.services[code], ...extra });
    expect(r.status).toBe(201);
    return r.body;
  };

  it('numbers tickets per service per local day from 001', async () => {
    const b2 = await makeBranch(api.ds);
    const k = client(api.url, b2.kioskToken);
    const a1 = await k.post(`/branches/${b2.id}/tickets`, { serviceId: b2.services.A });
    const a2 = await k.post(`/branches/${b2.id}/tickets`, { serviceId: b2.services.A });
    const c1 = await k.post(`/branches/${b2.id}/tickets`, { serviceId: b2.services.C });
    expect([a1.body.number, a2.body.number, c1.body.number]).toEqual(['A001', 'A002', 'C001']);
  });

  it('numbers on past a ticket written behind its back (a restore without the day counters) instead of failing', async () => {
    const b2 = await makeBranch(api.ds);
    const k = client(api.url, b2.kioskToken);
    const first = await k.post(`/branches/${b2.id}/tickets`, { serviceId: b2.services.A });
    expect(first.body.number).toBe('A001');
    // A002 and A003 as a restore or an admin at psql would write them: the tickets, not the day counter (still at 1).
    for (const seq of [2, 3]) {
      await api.ds.query(
        `INSERT INTO tickets (id, branch_id, service_id, local_day, day_seq, number, priority, status, language, recall_count, created_at, estimated_wait_seconds, issued_by)
         SELECT gen_random_uuid(), branch_id, service_id, local_day, $2, $3, 'normal', 'waiting', language, 0, now(), 0, 'psql' FROM tickets WHERE id = $1`,
        [first.body.id, seq, `A00${seq}`],
      );
    }
    const next = await k.post(`/branches/${b2.id}/tickets`, { serviceId: b2.services.A });
    expect(next.status).toBe(201);
    expect(next.body.number).toBe('A004');
    const after = await k.post(`/branches/${b2.id}/tickets`, { serviceId: b2.services.A });
    expect(after.body.number).toBe('A005');
  });

  it('starts again at 001 on a new local day and leaves yesterday out of the queue', async () => {
    const b3 = await makeBranch(api.ds, { counters: [['A']] });
    const k = client(api.url, b3.kioskToken);
    const yesterday = await k.post(`/branches/${b3.id}/tickets`, { serviceId: b3.services.A });
    // Move that ticket and its day counter to the previous local day, as if it was taken before midnight.
    await api.ds.query(`UPDATE tickets SET local_day = local_day - 1, created_at = created_at - interval '1 day' WHERE id = $1`, [yesterday.body.id]);
    await api.ds.query(`UPDATE ticket_day_sequences SET local_day = local_day - 1 WHERE service_id = $1`, [b3.services.A]);
    const today = await k.post(`/branches/${b3.id}/tickets`, { serviceId: b3.services.A });
    expect(today.body.number).toBe('A001');
    expect(today.body.position).toBe(1);
    const d = client(api.url, await login(api.url, b3.users.frontdesk));
    const called = await d.post(`/counters/${b3.counters[0]}/call-next`);
    expect(called.body.ticket.id).toBe(today.body.id);
  });

  it('keys the day on the branch time zone: at one instant Kiritimati (UTC+14) and Pago Pago (UTC-11) are on different days', async () => {
    const east = await makeBranch(api.ds, { timeZone: 'Pacific/Kiritimati' });
    const west = await makeBranch(api.ds, { timeZone: 'Pacific/Pago_Pago' });
    await client(api.url, east.kioskToken).post(`/branches/${east.id}/tickets`, { serviceId: east.services.A });
    await client(api.url, west.kioskToken).post(`/branches/${west.id}/tickets`, { serviceId: west.services.A });
    const rows: { branch_id: string; local_day: string; created_at: Date }[] = await api.ds.query(
      `SELECT branch_id, to_char(local_day, 'YYYY-MM-DD') AS local_day, created_at FROM tickets WHERE branch_id = ANY($1::uuid[])`,
      [[east.id, west.id]],
    );
    const row = (id: string) => rows.find((r) => r.branch_id === id)!;
    // The calendar date on a wall clock in that zone at the ticket's instant. The zones are 25 hours apart, so their
    // dates differ by one day, or by two between 10:00 and 11:00 UTC.
    const dateIn = (timeZone: string, at: Date) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
    expect(row(east.id).local_day).toBe(dateIn('Pacific/Kiritimati', row(east.id).created_at));
    expect(row(west.id).local_day).toBe(dateIn('Pacific/Pago_Pago', row(west.id).created_at));
    const diffDays = (Date.parse(row(east.id).local_day) - Date.parse(row(west.id).local_day)) / 86_400_000;
    expect([1, 2]).toContain(diffDays);
  });

  it('answers an illegal change with 409 naming the current state and the allowed actions', async () => {
    const t = await take();
    const r = await desk.post(`/tickets/${t.id}/finish`);
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ statusCode: 409, error: 'Conflict', currentState: 'waiting', allowed: ['call', 'cancel', 'transfer'] });
    expect(r.body.message).toContain('cannot finish');
  });

  it('walks a ticket through call, recall (with cooldown), serve and finish and keeps its stage times', async () => {
    const t = await take('B');
    await desk.post(`/counters/${b.counters[2]}/open`);
    const called = await desk.post(`/counters/${b.counters[2]}/call/${t.id}`, { reason: 'customer with appointment' });
    expect(called.status).toBe(200);
    expect(called.body.ticket).toMatchObject({ status: 'called', callReason: 'customer with appointment', counterName: 'Counter 3' });
    const tooSoon = await desk.post(`/tickets/${t.id}/recall`);
    expect(tooSoon.status).toBe(409);
    expect(tooSoon.body.message).toMatch(/wait \d+s before calling this ticket again/);
    await new Promise((r) => setTimeout(r, 1100));
    const recalled = await desk.post(`/tickets/${t.id}/recall`);
    expect(recalled.status).toBe(200);
    expect(recalled.body.recallCount).toBe(1);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await desk.post(`/tickets/${t.id}/recall`)).body.message).toContain('limit 1');
    expect((await desk.post(`/tickets/${t.id}/serve`)).body.status).toBe('serving');
    const done = await desk.post(`/tickets/${t.id}/finish`);
    expect(done.body.status).toBe('done');
    expect(done.body.stages.waitSeconds).toBeGreaterThanOrEqual(0);
    expect(done.body.stages.walkSeconds).toBeGreaterThanOrEqual(0);
    expect(done.body.stages.serviceSeconds).toBeGreaterThanOrEqual(0);
    expect(done.body.stages.totalSeconds).toBeGreaterThanOrEqual(2);
  });

  it('allows no-show only after the recalls are used up', async () => {
    const t = await take('D');
    await desk.post(`/counters/${b.counters[2]}/call/${t.id}`, { reason: 'test' });
    const early = await desk.post(`/tickets/${t.id}/no-show`);
    expect(early.status).toBe(409);
    expect(early.body.message).toContain('recall the ticket 1 more time');
    await new Promise((r) => setTimeout(r, 1100));
    await desk.post(`/tickets/${t.id}/recall`);
    await new Promise((r) => setTimeout(r, 1100));
    const ok = await desk.post(`/tickets/${t.id}/no-show`);
    expect(ok.status).toBe(200);
    expect(ok.body.status).toBe('no_show');
  });

  it('transfers a ticket to another service keeping its place by creation time', async () => {
    const early = await take('A');
    const late = await take('C');
    const moved = await desk.post(`/tickets/${early.id}/transfer`, { serviceId: b.services.C });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ status: 'waiting', serviceId: b.services.C, number: early.number });
    const track = await client(api.url).get(`/tickets/${early.id}/track`);
    const trackLate = await client(api.url).get(`/tickets/${late.id}/track`);
    expect(track.body.position).toBeLessThan(trackLate.body.position);
    expect(track.body).toMatchObject({ serviceId: b.services.C, timeZone: 'Asia/Shanghai', defaultLanguage: 'zh', status: 'waiting' });
    expect(Object.keys(track.body)).not.toContain('phone');
  });

  it('keeps numbering the service a ticket was transferred to from its own counter: A003 moved to B is no B003', async () => {
    const b5 = await makeBranch(api.ds);
    const k = client(api.url, b5.kioskToken);
    const d = client(api.url, await login(api.url, b5.users.frontdesk));
    const issue = async (code: string) => {
      const r = await k.post(`/branches/${b5.id}/tickets`, { serviceId: b5.services[code] });
      expect(r.status).toBe(201);
      return r.body as { id: string; number: string };
    };
    await issue('A');
    await issue('A');
    const a3 = await issue('A');
    expect((await d.post(`/tickets/${a3.id}/transfer`, { serviceId: b5.services.B })).status).toBe(200);
    const numbers = [];
    for (let i = 0; i < 4; i++) numbers.push((await issue('B')).number);
    expect(numbers).toEqual(['B001', 'B002', 'B003', 'B004']);
    expect((await issue('A')).number).toBe('A004');
    // The same after a full read of the queue (another process wrote it: here a counter's sort order, set at psql).
    await api.ds.query(`UPDATE counters SET sort = sort WHERE branch_id = $1`, [b5.id]);
    expect((await issue('B')).number).toBe('B005');
    expect((await issue('A')).number).toBe('A005');
  });

  it('recomputes the estimate when a second counter opens, and records the estimate error when a ticket is called', async () => {
    const b4 = await makeBranch(api.ds, { counters: [['A'], ['A']] });
    const k = client(api.url, b4.kioskToken);
    const d = client(api.url, await login(api.url, b4.users.frontdesk));
    await d.post(`/counters/${b4.counters[0]}/open`);
    for (let i = 0; i < 4; i++) await k.post(`/branches/${b4.id}/tickets`, { serviceId: b4.services.A });
    const oneOpen = (await d.get(`/branches/${b4.id}/queue`)).body.services.find((s: any) => s.code === 'A');
    // 4 ahead / 1 counter × 300 s default service time
    expect(oneOpen.estimatedWaitSeconds).toBe(1200);
    await d.post(`/counters/${b4.counters[1]}/open`);
    const twoOpen = (await d.get(`/branches/${b4.id}/queue`)).body.services.find((s: any) => s.code === 'A');
    expect(twoOpen.estimatedWaitSeconds).toBe(600);
    const called = await d.post(`/counters/${b4.counters[0]}/call-next`);
    const [row] = await api.ds.query(`SELECT estimated_wait_seconds, wait_error_seconds FROM tickets WHERE id = $1`, [called.body.ticket.id]);
    expect(row.estimated_wait_seconds).toBe(0);
    expect(row.wait_error_seconds).not.toBeNull();
  });

  it('pauses a counter only with a reason and shows the reason', async () => {
    await desk.post(`/counters/${b.counters[0]}/open`);
    const noReason = await desk.post(`/counters/${b.counters[0]}/pause`, {});
    expect(noReason.status).toBe(400);
    expect(noReason.body.details[0].path).toBe('reason');
    const paused = await desk.post(`/counters/${b.counters[0]}/pause`, { reason: 'lunch' });
    expect(paused.body).toMatchObject({ status: 'paused', pauseReason: 'lunch' });
    const resumed = await desk.post(`/counters/${b.counters[0]}/open`);
    expect(resumed.body).toMatchObject({ status: 'open', pauseReason: null });
  });

  it('lets a manager change the queue rules and refuses out-of-range values naming the field', async () => {
    const ok = await manager.patch(`/branches/${b.id}/settings`, { agingLimitSeconds: 900 });
    expect(ok.status).toBe(200);
    expect(ok.body.queueSettings.agingLimitSeconds).toBe(900);
    const bad = await manager.patch(`/branches/${b.id}/settings`, { maxRecalls: -1 });
    expect(bad.status).toBe(400);
    expect(bad.body.details[0].path).toBe('maxRecalls');
    expect((await desk.patch(`/branches/${b.id}/settings`, { maxRecalls: 3 })).status).toBe(403);
  });

  it('answers bad input with a 400 naming the field, never a 500', async () => {
    const cases: [string, unknown, string][] = [
      [`/branches/${b.id}/tickets`, { serviceId: 'x' }, 'serviceId'],
      [`/branches/${b.id}/tickets`, { serviceId: b.services.A, phone: 'call me' }, 'phone'],
      [`/branches/${b.id}/tickets`, { serviceId: b.services.A, priority: 'vip' }, 'priority'],
      [`/branches/${b.id}/tickets`, [], '(body)'],
      ['/branches/not-a-uuid/tickets', { serviceId: b.services.A }, 'params.branchId'],
    ];
    for (const [path, body, field] of cases) {
      const r = await kiosk.post(path, body);
      expect({ path, status: r.status }).toEqual({ path, status: 400 });
      expect(r.body.details.map((d: { path: string }) => d.path)).toContain(field);
    }
    const malformed = await fetch(`${api.url}/api/branches/${b.id}/tickets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${b.kioskToken}` },
      body: '{"serviceId":',
    });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { message: string }).message).toBe('request body is not valid JSON');
    const count = await api.ds.query(`SELECT count(*)::int AS n FROM tickets WHERE branch_id = $1 AND phone = 'call me'`, [b.id]);
    expect(count[0].n).toBe(0);
  });
});
