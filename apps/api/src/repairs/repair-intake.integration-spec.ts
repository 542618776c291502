import type { AlertDto, CreatedRepairDto, LiveEvent, PublicLiveEvent, RepairEventData } from '@frontdesk/contracts';
import { localDay } from '@frontdesk/domain';
import { login, makeBranch, type TestBranch } from '../test-support/factories';
import { client, liveClient, startApi, subscribe, waitFor, type TestApi } from '../test-support/test-app';
import { daysAgo, intake, uniqueImei } from './repair-test-data';

describe('repair intake', () => {
  let api: TestApi;
  let b: TestBranch;
  let desk: ReturnType<typeof client>;
  beforeAll(async () => {
    api = await startApi();
    b = await makeBranch(api.ds);
    desk = client(api.url, await login(api.url, b.users.frontdesk));
  });
  afterAll(() => api.close());

  const counts = async (branchId: string) => {
    const [r]: { repairs: string; seq: string }[] = await api.ds.query(
      `SELECT (SELECT count(*) FROM repairs WHERE branch_id = $1) AS repairs, (SELECT last_seq FROM branch_event_seq WHERE branch_id = $1) AS seq`,
      [branchId],
    );
    return { repairs: Number(r.repairs), seq: Number(r.seq) };
  };

  it.each([
    ['a bad IMEI check digit', { device: { brand: 'Huawei', model: 'P60', imei: '490154203237519' } }, 'device.imei', 'IMEI checksum invalid'],
    ['an IMEI of 14 digits', { device: { brand: 'Huawei', model: 'P60', imei: '49015420323751' } }, 'device.imei', 'IMEI must be 15 digits'],
    ['neither IMEI nor serial', { device: { brand: 'Huawei', model: 'P60' } }, 'device.imei', 'IMEI or serial number is required'],
    ['a phone that is no phone', { customer: { name: '陈', phone: '12345' } }, 'customer.phone', 'not a valid phone number'],
    ['a purchase date in the future', { purchaseDate: '2099-01-01' }, 'purchaseDate', 'in the future'],
    ['no fault', { fault: '' }, 'fault', 'fault is required'],
    ['a notify channel that does not exist', { notify: 'pigeon' }, 'notify', 'notify must be'],
  ])('refuses %s with a 400 naming the field and writes nothing', async (_what, over, path, message) => {
    const phone = `1390000${String(Math.floor(Math.random() * 1e4)).padStart(4, '0')}`;
    const before = await counts(b.id);
    const res = await desk.post(`/branches/${b.id}/repairs`, { ...intake({ customer: { name: '陈', phone } }), ...over });
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ path, message: expect.stringContaining(message) })]));
    expect(await counts(b.id)).toEqual(before);
    expect(await api.ds.query(`SELECT 1 FROM customers WHERE phone = $1`, [`+86${phone}`])).toHaveLength(0);
  });

  it('refuses a purchase date that is tomorrow in the branch time zone (400, nothing written)', async () => {
    const far = await makeBranch(api.ds, { timeZone: 'Pacific/Kiritimati' });
    const farDesk = client(api.url, await login(api.url, far.users.frontdesk));
    const tomorrow = new Date(Date.now() + 86400_000);
    const before = await counts(far.id);
    const res = await farDesk.post(`/branches/${far.id}/repairs`, intake({ purchaseDate: localDay(tomorrow, 'Pacific/Kiritimati') }));
    expect(res.status).toBe(400);
    expect(res.body.details[0].path).toBe('purchaseDate');
    expect(await counts(far.id)).toEqual(before);
  });

  it('answers 404 for an unknown branch and 403 for a branch that is not the caller’s', async () => {
    const admin = client(api.url, await login(api.url, b.users.admin));
    const unknown = await admin.post(`/branches/00000000-0000-4000-8000-000000000000/repairs`, intake());
    expect(unknown.status).toBe(404);
    const other = await makeBranch(api.ds);
    expect((await desk.post(`/branches/${other.id}/repairs`, intake())).status).toBe(403);
    expect((await client(api.url, await login(api.url, b.users.technician)).post(`/branches/${b.id}/repairs`, intake())).status).toBe(403);
  });

  it('takes a repair in: order number of the local day, E.164 phone, warranty with reason, promised time, a pickup code once, the ticket linked', async () => {
    const branch = await makeBranch(api.ds);
    const d = client(api.url, await login(api.url, branch.users.frontdesk));
    const ticket = await client(api.url, branch.kioskToken).post(`/branches/${branch.id}/tickets`, { serviceId: branch.services.A });
    const res = await d.post<CreatedRepairDto>(`/branches/${branch.id}/repairs`, intake({ ticketId: ticket.body.id, customer: { name: '陈小明', phone: '138 0013 8000', altPhone: '010-12345678' } }));
    expect(res.status).toBe(201);
    const day = localDay(new Date(), 'Asia/Shanghai').replace(/-/g, '');
    expect(res.body).toMatchObject({
      orderNo: `R${day}-0001`,
      status: 'received',
      customer: { name: '陈小明', phone: '+8613800138000', phoneMasked: '138****8000', altPhone: '+861012345678' },
      warranty: { status: 'in_warranty', overridden: false },
      ticketId: ticket.body.id,
      ticketNumber: 'A001',
      repeatOf: null,
      allowedTransitions: ['diagnosing', 'cancelled'],
      history: [expect.objectContaining({ kind: 'created', to: 'received', actor: expect.objectContaining({ kind: 'user', name: branch.users.frontdesk }) })],
    });
    expect(res.body.pickupCode).toMatch(/^[0-9]{6}$/);
    expect(res.body.statusUrl).toMatch(new RegExp(`/r/R${day}-0001$`));
    expect(res.body.warranty.reason).toContain('free repair');
    expect(new Date(res.body.promisedAt).getTime()).toBeGreaterThan(Date.now());

    // Stored hashed: the code is not in the row.
    const [row]: { pickup_code_hash: string }[] = await api.ds.query(`SELECT pickup_code_hash FROM repairs WHERE id = $1`, [res.body.id]);
    expect(row.pickup_code_hash).toMatch(/^\$argon2id\$/);
    expect(row.pickup_code_hash).not.toContain(res.body.pickupCode);
    // Not shown again.
    const again = await d.get(`/repairs/${res.body.id}`);
    expect(again.status).toBe(200);
    expect(again.body.pickupCode).toBeUndefined();

    const second = await d.post<CreatedRepairDto>(`/branches/${branch.id}/repairs`, intake({ customer: { name: 'Li Lei', phone: '+86 139 0000 0001' } }));
    expect(second.body.orderNo).toBe(`R${day}-0002`);

    // One customer record per phone: intake finds earlier repairs and tickets.
    const customer = await d.get(`/customers/by-phone?phone=13800138000`);
    expect(customer.status).toBe(200);
    expect(customer.body).toMatchObject({ phone: '+8613800138000', name: '陈小明', repairs: [expect.objectContaining({ orderNo: `R${day}-0001` })] });
    expect((await d.get(`/customers/by-phone?phone=13912345678`)).status).toBe(404);
    expect((await d.get(`/customers/by-phone?phone=abc`)).body.details[0].path).toBe('phone');
  });

  it('voids the warranty for water damage, and keeps a staff override with its note', async () => {
    const water = await desk.post<CreatedRepairDto>(`/branches/${b.id}/repairs`, intake({ fault: '手机进水，无法开机', purchaseDate: daysAgo(3) }));
    expect(water.body.warranty).toMatchObject({ status: 'void', computedStatus: 'void', reasonZh: expect.stringContaining('进水') });
    const kept = await desk.post<CreatedRepairDto>(`/branches/${b.id}/repairs`, intake({ fault: 'phone was dropped', warrantyOverride: { status: 'in_warranty', note: 'goodwill: VIP customer' } }));
    expect(kept.body.warranty).toMatchObject({ status: 'in_warranty', computedStatus: 'void', overridden: true, overrideNote: 'goodwill: VIP customer' });
    expect(kept.body.history.map((h) => h.kind)).toEqual(['created', 'warranty']);
    expect((await desk.post(`/branches/${b.id}/repairs`, intake({ warrantyOverride: { status: 'in_warranty', note: '' } }))).body.details[0].path).toBe('warrantyOverride.note');
  });

  it('marks a device repaired in the last 90 days as a repeat and alerts the manager', async () => {
    const branch = await makeBranch(api.ds);
    const d = client(api.url, await login(api.url, branch.users.frontdesk));
    const manager = client(api.url, await login(api.url, branch.users.manager));
    const imei = uniqueImei();
    const first = await d.post<CreatedRepairDto>(`/branches/${branch.id}/repairs`, intake({ device: { brand: 'Apple', model: 'iPhone 13', imei } }));
    expect(first.body.repeatOf).toBeNull();
    const back = await d.post<CreatedRepairDto>(`/branches/${branch.id}/repairs`, intake({ device: { brand: 'Apple', model: 'iPhone 13', imei } }));
    expect(back.status).toBe(201);
    expect(back.body.repeatOf).toMatchObject({ id: first.body.id, orderNo: first.body.orderNo });
    const alerts = await manager.get<AlertDto[]>(`/alerts?branchId=${branch.id}`);
    expect(alerts.body).toEqual([expect.objectContaining({ kind: 'repair.repeat', severity: 'warning', data: expect.objectContaining({ orderNo: back.body.orderNo, repeatOfOrderNo: first.body.orderNo }) })]);
    // A serial number is recognised too.
    await d.post(`/branches/${branch.id}/repairs`, intake({ device: { brand: 'Xiaomi', model: '14', serial: 'sn-0042-x' } }));
    const bySerial = await d.post<CreatedRepairDto>(`/branches/${branch.id}/repairs`, intake({ device: { brand: 'Xiaomi', model: '14', serial: 'SN0042X' } }));
    expect(bySerial.body.repeatOf).not.toBeNull();
  });

  it('publishes repair.created with seq to staff, and to the lobby only the order number, state and masked name', async () => {
    const branch = await makeBranch(api.ds);
    const d = client(api.url, await login(api.url, branch.users.frontdesk));
    const staff = await liveClient(api.url, await login(api.url, branch.users.technician));
    const lobby = await liveClient(api.url, branch.displayToken);
    const ack = await subscribe(staff.socket, { branchId: branch.id, view: 'staff' });
    await subscribe(lobby.socket, { branchId: branch.id, view: 'display' });
    const seq0 = ack.ok ? ack.seq : -1;
    const res = await d.post<CreatedRepairDto>(`/branches/${branch.id}/repairs`, intake({ customer: { name: '王大力', phone: '13600001234' } }));
    const staffEvent = (await waitFor(() => staff.events.find((e) => e.type === 'repair.created'), 5000, 'staff repair.created')) as LiveEvent<'repair.created'>;
    const lobbyEvent = (await waitFor(() => lobby.events.find((e) => e.type === 'repair.created'), 5000, 'lobby repair.created')) as PublicLiveEvent;
    expect(staffEvent.seq).toBe(seq0 + 1);
    expect(lobbyEvent.seq).toBe(staffEvent.seq);
    const data: RepairEventData = staffEvent.data;
    expect(data.repair).toMatchObject({ orderNo: res.body.orderNo, customer: { name: '王大力', phoneMasked: '136****1234' } });
    expect(JSON.stringify(staffEvent)).not.toContain('13600001234');
    expect(lobbyEvent.data).toEqual({ repair: { orderNo: res.body.orderNo, status: 'received', customerName: '王**', readyAt: null, updatedAt: res.body.updatedAt } });
    expect(JSON.stringify(lobbyEvent.data)).not.toMatch(/1234|王大力|Huawei|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}/);
    staff.socket.disconnect();
    lobby.socket.disconnect();
  });

  it('answers the public lookup with nothing personal, and the same 404 for a wrong order number or wrong digits', async () => {
    const res = await desk.post<CreatedRepairDto>(`/branches/${b.id}/repairs`, intake({ customer: { name: '赵六', phone: '13712345678' } }));
    const anon = client(api.url);
    const ok = await anon.get(`/repairs/lookup?orderNo=${res.body.orderNo.toLowerCase()}&phoneLast4=5678`);
    expect(ok.status).toBe(200);
    expect(Object.keys(ok.body).sort()).toEqual(['branchName', 'defaultLanguage', 'orderNo', 'promisedAt', 'readyAt', 'status', 'timeZone']);
    expect(ok.body).toMatchObject({ orderNo: res.body.orderNo, status: 'received', readyAt: null });
    const wrongDigits = await anon.get(`/repairs/lookup?orderNo=${res.body.orderNo}&phoneLast4=0000`);
    const wrongOrder = await anon.get(`/repairs/lookup?orderNo=R19990101-0001&phoneLast4=5678`);
    expect(wrongDigits.status).toBe(404);
    expect(wrongOrder.status).toBe(404);
    expect(wrongDigits.body).toEqual(wrongOrder.body);
    expect((await anon.get(`/repairs/lookup?orderNo=${res.body.orderNo}&phoneLast4=12`)).body.details[0].path).toBe('phoneLast4');
  });
});
