import type { CustomerAuditListDto } from '@frontdesk/contracts';
import { login, makeBranch, type TestBranch } from '../test-support/factories';
import { client, postHotlineEvents, startApi, waitFor, type TestApi } from '../test-support/test-app';

describe('customer audit log', () => {
  let api: TestApi;
  let branch: TestBranch;
  let other: TestBranch;
  let tokens: Record<string, string>;
  let repairId: string;

  beforeAll(async () => {
    api = await startApi();
    branch = await makeBranch(api.ds);
    other = await makeBranch(api.ds);
    tokens = {};
    for (const role of ['admin', 'manager', 'frontdesk', 'technician']) tokens[role] = await login(api.url, branch.users[role]);
    const created = await client(api.url, tokens.frontdesk).post(`/branches/${branch.id}/repairs`, {
      customer: { name: '陈大文', phone: '13800138000' },
      device: { brand: 'Huawei', model: 'P60', serial: 'SN-AUDIT-1' },
      fault: 'screen',
      notify: 'none',
    });
    expect(created.status).toBe(201);
    repairId = (created.body as { id: string }).id;
    // Another branch's staff meets the same customer: that entry must not show under this branch.
    const otherDesk = await login(api.url, other.users.frontdesk);
    await client(api.url, otherDesk).post(`/branches/${other.id}/repairs`, {
      customer: { name: '陈大文', phone: '13800138000' },
      device: { brand: 'Huawei', model: 'P60', serial: 'SN-AUDIT-2' },
      fault: 'battery',
      notify: 'none',
    });
  });
  afterAll(async () => {
    // Let the outbox push the intakes' events before the app closes its Redis connections under them.
    await waitFor(
      async () => {
        const [{ n }]: { n: number }[] = await api.ds.query(
          `SELECT count(*)::int AS n FROM events WHERE published_at IS NULL AND branch_id = ANY($1::uuid[])`,
          [[branch.id, other.id]],
        );
        return n === 0;
      },
      10_000,
      'events published',
    );
    await api.close();
  });

  const audit = (query: string, token = tokens.admin) => client(api.url, token).get<CustomerAuditListDto>(`/audit?${query}`);

  it('records intake as a change and each look at the customer as a view, with who, role, route and a masked phone', async () => {
    expect((await client(api.url, tokens.technician).get(`/repairs/${repairId}`)).status).toBe(200);
    expect((await client(api.url, tokens.frontdesk).get(`/repairs?branchId=${branch.id}&q=13800138000`)).status).toBe(200);
    // A search by name is not a phone lookup and leaves no entry.
    expect((await client(api.url, tokens.frontdesk).get(`/repairs?branchId=${branch.id}&q=${encodeURIComponent('陈')}`)).status).toBe(200);
    expect((await client(api.url, tokens.manager).get(`/customers/by-phone?phone=13800138000`)).status).toBe(200);

    const res = await audit(`branchId=${branch.id}`);
    expect(res.status).toBe(200);
    const rows = res.body.items.map((e) => [e.actor.username, e.actor.role, e.action, e.route, e.phoneMasked]);
    // Newest first.
    expect(rows).toEqual([
      [branch.users.manager, 'manager', 'view', 'GET /api/customers/by-phone', '138****8000'],
      [branch.users.frontdesk, 'frontdesk', 'view', 'GET /api/repairs?q', '138****8000'],
      [branch.users.technician, 'technician', 'view', 'GET /api/repairs/:id', '138****8000'],
      [branch.users.frontdesk, 'frontdesk', 'change', 'POST /api/branches/:branchId/repairs', '138****8000'],
    ]);
    const customerIds = new Set(res.body.items.map((e) => e.customerId));
    expect(customerIds.size).toBe(1);
    expect([...customerIds][0]).toMatch(/^[0-9a-f-]{36}$/);
    // The log is not one more copy of the numbers.
    expect(JSON.stringify(res.body)).not.toContain('13800138000');
    const stored: { phone_masked: string }[] = await api.ds.query(`SELECT phone_masked FROM customer_audit WHERE branch_id = $1`, [branch.id]);
    expect(stored.every((r) => r.phone_masked === '138****8000')).toBe(true);
  });

  it('filters by time: a window that ends before the entries holds none', async () => {
    const empty = await audit(`branchId=${branch.id}&from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z`);
    expect(empty.status).toBe(200);
    expect(empty.body.items).toEqual([]);
    const all = await audit(`from=${new Date(Date.now() - 3600_000).toISOString()}`);
    const branches = new Set(all.body.items.map((e) => e.branchId));
    expect(branches.has(branch.id) && branches.has(other.id)).toBe(true);
  });

  it('is for admins only, and refuses a malformed window with the field named', async () => {
    expect((await audit(`branchId=${branch.id}`, tokens.manager)).status).toBe(403);
    expect((await audit(`branchId=${branch.id}`, tokens.frontdesk)).status).toBe(403);
    const bad = await audit('from=yesterday');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ details: [{ path: 'from' }] });
    const reversed = await audit('from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z');
    expect(reversed.status).toBe(400);
  });

  it('does not log a lookup that found nobody', async () => {
    const before = (await audit(`branchId=${branch.id}`)).body.items.length;
    expect((await client(api.url, tokens.manager).get(`/customers/by-phone?phone=13911112222&branchId=${branch.id}`)).status).toBe(404);
    expect((await audit(`branchId=${branch.id}`)).body.items.length).toBe(before);
  });

  describe('hotline board and callbacks', () => {
    const SECRET = 'audit-hotline-secret';
    let hot: TestBranch;
    let agent: ReturnType<typeof client>;
    let desk: ReturnType<typeof client>;
    const entries = async () => (await audit(`branchId=${hot.id}`)).body.items.map((e) => [e.actor.username, e.actor.role, e.action, e.route, e.phoneMasked]);

    async function send(events: object[]) {
      expect((await postHotlineEvents(api.url, SECRET, hot.id, events)).status).toBe(202);
    }
    const at = (secondsAgo: number) => new Date(Date.now() - secondsAgo * 1000).toISOString();

    beforeAll(async () => {
      hot = await makeBranch(api.ds);
      await api.ds.query(`UPDATE branches SET hotline_secret = $2 WHERE id = $1`, [hot.id, SECRET]);
      agent = client(api.url, await login(api.url, hot.users.agent));
      desk = client(api.url, await login(api.url, hot.users.frontdesk));
    });

    it('a board or call list that shows no caller leaves no entry, nor do the hotline numbers', async () => {
      expect((await agent.get(`/branches/${hot.id}/hotline/board`)).status).toBe(200);
      expect((await agent.get(`/callbacks?branchId=${hot.id}`)).status).toBe(200);
      // A call without a number: the board shows it, but no one's number.
      await send([{ id: 'anon-q', type: 'call_queued', callId: 'anon', queue: 'repair', at: at(30) }]);
      const board = await agent.get<{ waitingCalls: { callId: string }[] }>(`/branches/${hot.id}/hotline/board`);
      expect(board.body.waitingCalls.map((c) => c.callId)).toEqual(['anon']);
      expect(await entries()).toEqual([]);
    });

    it("the board showing a caller's full number is a view; the hotline numbers alone are not", async () => {
      await send([{ id: 'c1-q', type: 'call_queued', callId: 'c1', queue: 'repair', at: at(20), callerNumber: '13800138000' }]);
      const board = await agent.get<{ waitingCalls: { callerNumber: string | null }[] }>(`/branches/${hot.id}/hotline/board`);
      expect(board.body.waitingCalls.map((c) => c.callerNumber)).toContain('13800138000');
      expect((await agent.get(`/branches/${hot.id}/hotline`)).status).toBe(200);
      expect(await entries()).toEqual([[hot.users.agent, 'agent', 'view', 'GET /api/branches/:branchId/hotline/board', '138****8000']]);
      // The console re-reads the board after every event: the same view again within minutes is the same entry,
      // but another person's look is theirs, and one older than the window is logged anew.
      await agent.get(`/branches/${hot.id}/hotline/board`);
      await agent.get(`/branches/${hot.id}/hotline/board`);
      expect(await entries()).toHaveLength(1);
      const manager = client(api.url, await login(api.url, hot.users.manager));
      await manager.get(`/branches/${hot.id}/hotline/board`);
      expect((await entries()).map((e) => e[0])).toEqual([hot.users.manager, hot.users.agent]);
      await api.ds.query(`UPDATE customer_audit SET at = at - interval '11 minutes' WHERE branch_id = $1`, [hot.id]);
      await agent.get(`/branches/${hot.id}/hotline/board`);
      expect((await entries()).map((e) => e[0])).toEqual([hot.users.agent, hot.users.manager, hot.users.agent]);
      await api.ds.query(`DELETE FROM customer_audit WHERE branch_id = $1`, [hot.id]);
      // A second caller: the entry is for the request, and names no single number.
      await send([{ id: 'c2-q', type: 'call_queued', callId: 'c2', queue: 'repair', at: at(10), callerNumber: '13900139000' }]);
      await agent.get(`/branches/${hot.id}/hotline/board`);
      expect((await entries())[0]).toEqual([hot.users.agent, 'agent', 'view', 'GET /api/branches/:branchId/hotline/board', null]);
      await send([
        { id: 'c1-x', type: 'call_abandoned', callId: 'c1', queue: 'repair', at: at(1) },
        { id: 'c2-x', type: 'call_abandoned', callId: 'c2', queue: 'repair', at: at(1) },
        { id: 'anon-x', type: 'call_abandoned', callId: 'anon', queue: 'repair', at: at(1) },
      ]);
    });

    it('scheduling a callback and recording its outcome are changes, the call list a view, with the customer named', async () => {
      const before = (await entries()).length;
      const created = await desk.post<{ id: string }>('/callbacks', {
        branchId: hot.id,
        phone: '13800138000',
        name: '陈大文',
        dueAt: new Date(Date.now() + 3600_000).toISOString(),
        reason: 'promised',
      });
      expect(created.status).toBe(201);
      const list = await agent.get<{ id: string; phone: string }[]>(`/callbacks?branchId=${hot.id}&status=scheduled`);
      expect(list.body.map((c) => c.phone)).toEqual(['13800138000']);
      expect((await agent.post(`/callbacks/${created.body.id}/complete`, { outcome: 'reached_satisfied' })).status).toBe(200);
      const res = await audit(`branchId=${hot.id}`);
      const fresh = res.body.items.slice(0, res.body.items.length - before);
      expect(fresh.map((e) => [e.actor.username, e.actor.role, e.action, e.route, e.phoneMasked])).toEqual([
        [hot.users.agent, 'agent', 'change', 'POST /api/callbacks/:id/complete', '138****8000'],
        [hot.users.agent, 'agent', 'view', 'GET /api/callbacks', '138****8000'],
        [hot.users.frontdesk, 'frontdesk', 'change', 'POST /api/callbacks', '138****8000'],
      ]);
      // The number is the intake customer's: the entries name that record.
      const [{ id: customerId }]: { id: string }[] = await api.ds.query(`SELECT id FROM customers WHERE phone = '+8613800138000'`);
      expect(fresh.map((e) => e.customerId)).toEqual([customerId, customerId, customerId]);
      expect(JSON.stringify(res.body)).not.toContain('13800138000');
      // A filter that matches no callback shows nobody and leaves no entry.
      const n = (await entries()).length;
      expect((await agent.get<unknown[]>(`/callbacks?branchId=${hot.id}&status=overdue`)).body).toEqual([]);
      expect((await entries()).length).toBe(n);
    });
  });
});
