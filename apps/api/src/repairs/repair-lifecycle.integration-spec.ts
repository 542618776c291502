import type { CreatedRepairDto, LiveEvent, RepairDto, RepairListDto } from '@frontdesk/contracts';
import { login, makeBranch, type TestBranch } from '../test-support/factories';
import { client, liveClient, startApi, subscribe, waitFor, type TestApi } from '../test-support/test-app';
import { daysAgo, intake } from './repair-test-data';

describe('repair lifecycle', () => {
  let api: TestApi;
  let b: TestBranch;
  let desk: ReturnType<typeof client>;
  let tech: ReturnType<typeof client>;
  let manager: ReturnType<typeof client>;
  let techId: string;
  beforeAll(async () => {
    api = await startApi();
    b = await makeBranch(api.ds);
    desk = client(api.url, await login(api.url, b.users.frontdesk));
    tech = client(api.url, await login(api.url, b.users.technician));
    manager = client(api.url, await login(api.url, b.users.manager));
    techId = (await tech.get('/auth/me')).body.id ?? (await tech.get('/auth/me')).body.user?.id;
  });
  afterAll(() => api.close());

  const take = async (over: Parameters<typeof intake>[0] = {}) => (await desk.post<CreatedRepairDto>(`/branches/${b.id}/repairs`, intake(over))).body;
  const move = (c: ReturnType<typeof client>, id: string, body: Record<string, unknown>) => c.post(`/repairs/${id}/transition`, body);

  it('takes an in-warranty repair from intake to pickup, with history and one event per change, seq without holes', async () => {
    const staff = await liveClient(api.url, await login(api.url, b.users.manager));
    const ack = await subscribe(staff.socket, { branchId: b.id, view: 'staff' });
    const seq0 = ack.ok ? ack.seq : -1;
    const r = await take();
    expect((await move(tech, r.id, { to: 'diagnosing', technicianId: techId })).body).toMatchObject({ status: 'diagnosing', technician: { id: techId } });
    const notes = await tech.patch<RepairDto>(`/repairs/${r.id}`, { diagnosisNote: 'backlight connector loose', partsNote: 'none needed' });
    expect(notes.status).toBe(200);
    expect(notes.body).toMatchObject({ diagnosisNote: 'backlight connector loose', partsNote: 'none needed' });
    expect((await move(tech, r.id, { to: 'repairing' })).status).toBe(200);
    expect((await move(tech, r.id, { to: 'qa' })).status).toBe(200);
    const failed = await move(desk, r.id, { to: 'repairing', note: 'QA: flicker still visible at low brightness' });
    expect(failed.body.status).toBe('repairing');
    await move(tech, r.id, { to: 'qa' });
    const ready = await move(desk, r.id, { to: 'ready_for_pickup', note: 'QA passed' });
    expect(ready.body).toMatchObject({ status: 'ready_for_pickup', readyAt: expect.any(String), allowedTransitions: ['picked_up'] });

    // The wall's ready board sees it, without personal data.
    const board = await client(api.url, b.displayToken).get(`/branches/${b.id}/repairs/ready`);
    expect(board.body).toEqual([expect.objectContaining({ orderNo: r.orderNo, customerName: '陈**', status: 'ready_for_pickup' })]);

    const done = await desk.post<RepairDto>(`/repairs/${r.id}/pickup`, { pickupCode: r.pickupCode });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'picked_up', closedAt: expect.any(String), payment: null });
    const survey = await desk.post<RepairDto>(`/repairs/${r.id}/survey`, { score: 5, comment: '很满意' });
    expect(survey.body.survey).toMatchObject({ score: 5, comment: '很满意' });
    expect((await desk.post(`/repairs/${r.id}/survey`, { score: 6 })).body.details[0].path).toBe('score');

    const full = (await desk.get<RepairDto>(`/repairs/${r.id}`)).body;
    expect(full.history.map((h) => `${h.kind}:${h.from ?? ''}>${h.to ?? ''}`)).toEqual([
      'created:>received',
      'status:received>diagnosing',
      `assigned:>${techId}`,
      'note:diagnosis>',
      'note:parts>',
      'status:diagnosing>repairing',
      'status:repairing>qa',
      'status:qa>repairing',
      'status:repairing>qa',
      'status:qa>ready_for_pickup',
      'status:ready_for_pickup>picked_up',
      'survey:>5',
    ]);
    expect(full.history[7]).toMatchObject({ note: 'QA: flicker still visible at low brightness', actor: { name: b.users.frontdesk } });
    // Append-only at the database too.
    await expect(api.ds.query(`UPDATE repair_history SET note = 'x' WHERE repair_id = $1`, [r.id])).rejects.toThrow('append-only');

    const mine = await waitFor(() => {
      // The pickup also schedules the follow-up callback (回访) in its commit.
      const evs = staff.events.filter((e) => e.type.startsWith('repair.') || e.type.startsWith('callback.'));
      return evs.length >= 11 && evs;
    }, 5000, 'ten repair events and the follow-up');
    // The branch's stream has no holes; it also carries the SMS notices written with the ready change.
    const all = staff.events.filter((e) => e.seq > seq0 && e.seq <= mine[mine.length - 1].seq);
    expect(all.map((e) => e.seq)).toEqual(all.map((_, i) => seq0 + 1 + i));
    expect(all.filter((e) => !e.type.startsWith('repair.') && !e.type.startsWith('callback.')).map((e) => e.type)).toEqual(
      Array<string>(6).fill('notification.status'),
    );
    expect(mine.map((e) => e.type)).toEqual([
      'repair.created',
      'repair.status_changed',
      'repair.updated',
      ...Array<string>(5).fill('repair.status_changed'),
      'callback.scheduled',
      'repair.status_changed',
      'repair.updated',
    ]);
    const qaFail = mine.find((e) => e.type === 'repair.status_changed' && (e as LiveEvent<'repair.status_changed'>).data.from === 'qa' && (e as LiveEvent<'repair.status_changed'>).data.repair.status === 'repairing');
    expect((qaFail as LiveEvent<'repair.status_changed'>).data.note).toContain('QA');
    staff.socket.disconnect();
  });

  it('answers an illegal transition with 409 naming the current state and the allowed ones', async () => {
    const r = await take();
    const res = await move(tech, r.id, { to: 'ready_for_pickup' });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ currentState: 'received', allowed: ['diagnosing', 'cancelled'] });
    expect(res.body.message).toContain('allowed: diagnosing, cancelled');
    expect((await move(tech, r.id, { to: 'picked_up' })).status).toBe(409);
    expect((await move(tech, r.id, { to: 'fixed' })).body.details[0].path).toBe('to');
    expect((await move(tech, '00000000-0000-4000-8000-000000000000', { to: 'diagnosing' })).status).toBe(404);
    expect((await client(api.url, await login(api.url, b.users.agent)).post(`/repairs/${r.id}/transition`, { to: 'diagnosing' })).status).toBe(403);
  });

  it('keeps out-of-warranty work from repairing until the customer approves the quote, and takes payment at pickup', async () => {
    const r = await take({ purchaseDate: daysAgo(800) });
    expect(r.warranty.status).toBe('out_of_warranty');
    await move(tech, r.id, { to: 'diagnosing' });
    const early = await move(tech, r.id, { to: 'repairing' });
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ currentState: 'diagnosing', allowed: ['awaiting_approval', 'returned_unrepaired', 'cancelled'] });
    expect(early.body.message).toContain('approved quote');

    const noQuote = await move(tech, r.id, { to: 'awaiting_approval' });
    expect(noQuote.status).toBe(400);
    expect(noQuote.body.details[0].path).toBe('quote');
    expect((await move(tech, r.id, { to: 'awaiting_approval', quote: { amount: 12.5, currency: 'CNY' } })).body.details[0].path).toBe('quote.amount');
    const quoted = await move(tech, r.id, { to: 'awaiting_approval', quote: { amount: 35000, currency: 'CNY' }, note: 'screen assembly + labour' });
    expect(quoted.body).toMatchObject({ status: 'awaiting_approval', quote: { amount: 35000, currency: 'CNY', decision: 'pending' }, allowedTransitions: ['returned_unrepaired', 'cancelled'] });
    expect((await move(tech, r.id, { to: 'repairing' })).status).toBe(409);

    const approved = await desk.post<RepairDto>(`/repairs/${r.id}/quote-decision`, { decision: 'approved', next: 'awaiting_parts', note: 'customer signed' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'awaiting_parts', quote: { decision: 'approved', decidedAt: expect.any(String) } });
    expect((await desk.post(`/repairs/${r.id}/quote-decision`, { decision: 'approved' })).status).toBe(409);
    await move(tech, r.id, { to: 'repairing' });
    await move(tech, r.id, { to: 'qa' });
    await move(desk, r.id, { to: 'ready_for_pickup' });
    const unpaid = await desk.post(`/repairs/${r.id}/pickup`, { pickupCode: r.pickupCode });
    expect(unpaid.status).toBe(400);
    expect(unpaid.body.details[0].path).toBe('payment');
    const paid = await desk.post<RepairDto>(`/repairs/${r.id}/pickup`, { pickupCode: r.pickupCode, payment: { amount: 35000, currency: 'CNY', method: 'wechat' } });
    expect(paid.body).toMatchObject({ status: 'picked_up', payment: { amount: 35000, currency: 'CNY', method: 'wechat' } });
  });

  it('returns the device unrepaired when the customer refuses the quote', async () => {
    const r = await take({ fault: 'water damage, no power', purchaseDate: daysAgo(10) });
    expect(r.warranty.status).toBe('void');
    await move(tech, r.id, { to: 'diagnosing' });
    await move(tech, r.id, { to: 'awaiting_approval', quote: { amount: 80000, currency: 'CNY' } });
    const refused = await desk.post<RepairDto>(`/repairs/${r.id}/quote-decision`, { decision: 'refused', note: 'too expensive' });
    expect(refused.body).toMatchObject({ status: 'returned_unrepaired', quote: { decision: 'refused' }, allowedTransitions: [] });
  });

  it('refuses wrong pickup codes with 403, locks the order at the fifth until a manager unlocks it', async () => {
    const r = await take();
    await move(tech, r.id, { to: 'diagnosing' });
    await move(tech, r.id, { to: 'repairing' });
    await move(tech, r.id, { to: 'qa' });
    await move(desk, r.id, { to: 'ready_for_pickup' });
    const wrong = r.pickupCode === '000000' ? '111111' : '000000';
    for (let i = 1; i <= 4; i++) {
      const res = await desk.post(`/repairs/${r.id}/pickup`, { pickupCode: wrong }, desk.key());
      expect(res.status).toBe(403);
      expect(res.body.details[0].path).toBe('pickupCode');
    }
    expect((await desk.post(`/repairs/${r.id}/pickup`, { pickupCode: wrong })).status).toBe(423);
    // Locked: even the right code is refused.
    expect((await desk.post(`/repairs/${r.id}/pickup`, { pickupCode: r.pickupCode })).status).toBe(423);
    expect((await desk.get<RepairDto>(`/repairs/${r.id}`)).body.pickup).toEqual({ locked: true, failedAttempts: 5 });
    expect((await desk.post(`/repairs/${r.id}/unlock-pickup`)).status).toBe(403);
    const unlocked = await manager.post<RepairDto>(`/repairs/${r.id}/unlock-pickup`);
    expect(unlocked.status).toBe(200);
    expect(unlocked.body.pickup).toEqual({ locked: false, failedAttempts: 0 });
    const ok = await desk.post<RepairDto>(`/repairs/${r.id}/pickup`, { pickupCode: r.pickupCode });
    expect(ok.body.status).toBe('picked_up');
    expect(ok.body.history.filter((h) => h.kind.startsWith('pickup_')).map((h) => h.kind)).toEqual([
      'pickup_failed',
      'pickup_failed',
      'pickup_failed',
      'pickup_failed',
      'pickup_locked',
      'pickup_unlocked',
    ]);
  });

  it('records a changed promised time with its reason and lists overdue repairs, by state and by search', async () => {
    const branch = await makeBranch(api.ds);
    const d = client(api.url, await login(api.url, branch.users.frontdesk));
    const a = (await d.post<CreatedRepairDto>(`/branches/${branch.id}/repairs`, intake({ customer: { name: 'Ann', phone: '13511112222' } }))).body;
    const c = (await d.post<CreatedRepairDto>(`/branches/${branch.id}/repairs`, intake({ customer: { name: 'Bob', phone: '13533334444' } }))).body;
    expect((await d.patch(`/repairs/${a.id}`, { promisedAt: new Date(Date.now() - 60_000).toISOString() })).body.details[0].path).toBe('reason');
    const late = await d.patch<RepairDto>(`/repairs/${a.id}`, { promisedAt: new Date(Date.now() - 60_000).toISOString(), reason: 'part delayed by supplier' });
    expect(late.body).toMatchObject({ overdue: true });
    expect(late.body.history.at(-1)).toMatchObject({ kind: 'promised_at', from: a.promisedAt, note: 'part delayed by supplier' });

    const overdue = await d.get<RepairListDto>(`/repairs?branchId=${branch.id}&overdue=true`);
    expect(overdue.body.items.map((i) => i.orderNo)).toEqual([a.orderNo]);
    expect(overdue.body.total).toBe(1);
    const byPhone = await d.get<RepairListDto>(`/repairs?branchId=${branch.id}&q=3333`);
    expect(byPhone.body.items.map((i) => i.orderNo)).toEqual([c.orderNo]);
    const byOrder = await d.get<RepairListDto>(`/repairs?branchId=${branch.id}&q=${a.orderNo}`);
    expect(byOrder.body.items.map((i) => i.orderNo)).toEqual([a.orderNo]);
    const byImei = await d.get<RepairListDto>(`/repairs?branchId=${branch.id}&q=${c.device.imei!}`);
    expect(byImei.body.items.map((i) => i.orderNo)).toEqual([c.orderNo]);
    await client(api.url, await login(api.url, branch.users.technician)).post(`/repairs/${c.id}/transition`, { to: 'diagnosing' });
    const diag = await d.get<RepairListDto>(`/repairs?branchId=${branch.id}&status=diagnosing,qa`);
    expect(diag.body.items.map((i) => i.orderNo)).toEqual([c.orderNo]);
    expect(JSON.stringify(diag.body)).not.toContain('13533334444');
    expect((await d.get(`/repairs?branchId=${branch.id}&status=broken`)).status).toBe(400);
    expect((await d.get(`/repairs`)).body.details[0].path).toBe('branchId');

    const kpis = await client(api.url, await login(api.url, branch.users.manager)).get(`/branches/${branch.id}/repair-kpis`);
    expect(kpis.body).toMatchObject({ overdue: 1, repairsConsidered: 2, repeatRate: 0, uncollected: 0, turnaroundSeconds: null });
  });

  it('lists who repairs can be assigned to, technicians first', async () => {
    const res = await desk.get(`/branches/${b.id}/technicians`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      { id: techId, name: b.users.technician, role: 'technician' },
      expect.objectContaining({ name: b.users.manager, role: 'manager' }),
    ]);
  });

  it('refuses assigning someone who is not a technician of the branch', async () => {
    const r = await take();
    const other = await makeBranch(api.ds);
    const otherTech = (await client(api.url, await login(api.url, other.users.technician)).get('/auth/me')).body;
    const res = await tech.patch(`/repairs/${r.id}`, { technicianId: otherTech.id ?? otherTech.user?.id });
    expect(res.status).toBe(400);
    expect(res.body.details[0].path).toBe('technicianId');
  });
});
