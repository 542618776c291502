import type { CreatedRepairDto, IssuedTicketDto, LiveEvent, PublicLiveEvent, RepairDto, TicketDto } from '@frontdesk/contracts';
import { login, makeBranch, type TestBranch } from '../test-support/factories';
import { client, liveClient, startApi, subscribe, waitFor, type TestApi } from '../test-support/test-app';
import { intake } from './repair-test-data';

describe('kiosk fast lane: pickup ticket against order number and pickup code', () => {
  let api: TestApi;
  let b: TestBranch;
  let other: TestBranch;
  let desk: ReturnType<typeof client>;
  let tech: ReturnType<typeof client>;
  let kiosk: ReturnType<typeof client>;
  beforeAll(async () => {
    api = await startApi();
    b = await makeBranch(api.ds);
    other = await makeBranch(api.ds);
    desk = client(api.url, await login(api.url, b.users.frontdesk));
    tech = client(api.url, await login(api.url, b.users.technician));
    kiosk = client(api.url, b.kioskToken);
  });
  afterAll(() => api.close());

  const take = async () => (await desk.post<CreatedRepairDto>(`/branches/${b.id}/repairs`, intake())).body;
  const ready = async () => {
    const r = await take();
    for (const to of ['diagnosing', 'repairing', 'qa']) await tech.post(`/repairs/${r.id}/transition`, { to });
    expect((await desk.post(`/repairs/${r.id}/transition`, { to: 'ready_for_pickup' })).status).toBe(200);
    return r;
  };
  const wrongOf = (code: string) => (code === '000000' ? '111111' : '000000');
  const scan = (branchId: string, body: unknown, c = kiosk) => c.post<IssuedTicketDto & { message?: string; details: { path: string }[] }>(`/branches/${branchId}/tickets/pickup`, body, c.key());

  it('issues a B ticket linked to the order, with ticket.created; staff see the order number, the lobby does not', async () => {
    const staff = await liveClient(api.url, await login(api.url, b.users.manager));
    await subscribe(staff.socket, { branchId: b.id, view: 'staff' });
    const lobby = await liveClient(api.url, b.displayToken);
    await subscribe(lobby.socket, { branchId: b.id, view: 'display' });
    const r = await ready();
    // Typed as on the SMS, in lower case with a space: the order number is normalised.
    const res = await scan(b.id, { orderNo: ` ${r.orderNo.toLowerCase()} `, pickupCode: r.pickupCode, language: 'en' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ number: expect.stringMatching(/^B\d{3}$/), serviceCode: 'B', status: 'waiting', position: 1, peopleAhead: 0, repairOrderNo: r.orderNo });
    expect(res.body.trackUrl).toContain(`/t/${res.body.id}`);

    const t = (await desk.get<TicketDto>(`/tickets/${res.body.id}`)).body;
    expect(t).toMatchObject({ repairId: r.id, repairOrderNo: r.orderNo, serviceCode: 'B' });
    const created = await waitFor(() => staff.events.find((e): e is LiveEvent => e.type === 'ticket.created' && (e.data as { ticket: TicketDto }).ticket.id === res.body.id), 5000, 'ticket.created');
    expect((created.data as { ticket: TicketDto }).ticket).toMatchObject({ repairId: r.id, repairOrderNo: r.orderNo });
    const seen = await waitFor(() => lobby.events.find((e: PublicLiveEvent | LiveEvent) => e.seq === created.seq), 5000, 'lobby event');
    expect(JSON.stringify(seen)).not.toContain(r.orderNo);
    expect(JSON.stringify(seen)).not.toContain(r.id);
    const track = (await client(api.url).get(`/tickets/${res.body.id}/track`)).body;
    expect(JSON.stringify(track)).not.toContain(r.orderNo);
    const snapshot = (await client(api.url, b.displayToken).get(`/branches/${b.id}/queue`)).body;
    expect(JSON.stringify(snapshot)).not.toContain(r.orderNo);

    // The counter that calls it gets the order with the ticket.
    const called = await desk.post<{ ticket: TicketDto }>(`/counters/${b.counters[2]}/call-next`);
    expect(called.body.ticket).toMatchObject({ id: res.body.id, repairId: r.id, repairOrderNo: r.orderNo });
    staff.socket.close();
    lobby.socket.close();
  });

  it('a second scan while the ticket is active returns the same ticket, not a second one', async () => {
    const r = await ready();
    const first = await scan(b.id, { orderNo: r.orderNo, pickupCode: r.pickupCode });
    const second = await scan(b.id, { orderNo: r.orderNo, pickupCode: r.pickupCode });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({ id: first.body.id, number: first.body.number, repairOrderNo: r.orderNo });
    const rows: { n: string }[] = await api.ds.query(`SELECT count(*) AS n FROM tickets WHERE repair_id = $1`, [r.id]);
    expect(Number(rows[0].n)).toBe(1);
  });

  it('a wrong code is 403 and counts toward the lock; after five, the right code hears 423', async () => {
    const r = await ready();
    const wrong = wrongOf(r.pickupCode);
    for (let i = 1; i <= 5; i++) {
      const res = await scan(b.id, { orderNo: r.orderNo, pickupCode: wrong });
      expect(res.status).toBe(403);
      expect(res.body.details[0].path).toBe('pickupCode');
    }
    const repair = (await desk.get<RepairDto>(`/repairs/${r.id}`)).body;
    expect(repair.pickup).toEqual({ locked: true, failedAttempts: 5 });
    // Counted by the same rule as the counter's pickup: the counter is locked out too.
    expect((await desk.post(`/repairs/${r.id}/pickup`, { pickupCode: r.pickupCode })).status).toBe(423);
    const locked = await scan(b.id, { orderNo: r.orderNo, pickupCode: r.pickupCode });
    expect(locked.status).toBe(423);
    expect(locked.body.message).toMatch(/locked/);
    // Without the code, a locked order looks like any unknown one.
    expect((await scan(b.id, { orderNo: r.orderNo, pickupCode: wrong })).status).toBe(403);
  });

  it('an order not ready is 409 to the holder of the code, and the same 403 as an unknown order to anyone else', async () => {
    const r = await take();
    const res = await scan(b.id, { orderNo: r.orderNo, pickupCode: r.pickupCode });
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/received/);
    const guess = await scan(b.id, { orderNo: r.orderNo, pickupCode: wrongOf(r.pickupCode) });
    const unknown = await scan(b.id, { orderNo: 'R20990101-9999', pickupCode: '123456' });
    expect(guess.status).toBe(403);
    expect(unknown.status).toBe(403);
    expect(guess.body).toEqual(unknown.body);
    expect((await desk.get<RepairDto>(`/repairs/${r.id}`)).body.pickup).toEqual({ locked: false, failedAttempts: 0 });
  });

  it("another branch's kiosk cannot use the order, and a kiosk cannot act for another branch", async () => {
    const r = await ready();
    const elsewhere = await scan(other.id, { orderNo: r.orderNo, pickupCode: r.pickupCode }, client(api.url, other.kioskToken));
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.message).toMatch(/do not match/);
    expect((await scan(other.id, { orderNo: r.orderNo, pickupCode: r.pickupCode })).status).toBe(403);
    expect((await desk.get<RepairDto>(`/repairs/${r.id}`)).body.pickup).toEqual({ locked: false, failedAttempts: 0 });
  });

  it('409 when the pickup service is closed', async () => {
    const r = await ready();
    await api.ds.query(`UPDATE services SET open = false WHERE id = $1`, [b.services.B]);
    try {
      const res = await scan(b.id, { orderNo: r.orderNo, pickupCode: r.pickupCode });
      expect(res.status).toBe(409);
      expect(res.body.message).toMatch(/service B .* closed/);
    } finally {
      await api.ds.query(`UPDATE services SET open = true WHERE id = $1`, [b.services.B]);
    }
  });

  it('409 when the branch has no pickup service B', async () => {
    const r = await ready();
    await api.ds.query(`UPDATE services SET code = 'P' WHERE id = $1`, [b.services.B]);
    try {
      const res = await scan(b.id, { orderNo: r.orderNo, pickupCode: r.pickupCode });
      expect(res.status).toBe(409);
      expect(res.body.message).toMatch(/no pickup service/);
    } finally {
      await api.ds.query(`UPDATE services SET code = 'B' WHERE id = $1`, [b.services.B]);
    }
  });

  it('bad input is 400 naming the field', async () => {
    const missing = await scan(b.id, { pickupCode: '123456' });
    expect(missing.status).toBe(400);
    expect(missing.body.details[0].path).toBe('orderNo');
    for (const pickupCode of ['12345', 'abcdef', 1234567, '']) {
      const res = await scan(b.id, { orderNo: 'R20260101-0001', pickupCode });
      expect(res.status).toBe(400);
      expect(res.body.details[0].path).toBe('pickupCode');
    }
    expect((await kiosk.post(`/branches/not-a-uuid/tickets/pickup`, { orderNo: 'x', pickupCode: '123456' })).status).toBe(400);
  });
});
