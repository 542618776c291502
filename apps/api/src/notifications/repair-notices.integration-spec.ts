import { DateTime } from 'luxon';
import type { CreatedRepairDto, LiveEvent, NotificationDto } from '@frontdesk/contracts';
import { login, makeBranch, type TestBranch } from '../test-support/factories';
import { client, liveClient, startApi, subscribe, waitFor, type TestApi } from '../test-support/test-app';
import { intake } from '../repairs/repair-test-data';

describe('SMS notices written with the repair change (outbox)', () => {
  let api: TestApi;
  let b: TestBranch;
  let desk: ReturnType<typeof client>;
  beforeAll(async () => {
    api = await startApi();
    b = await makeBranch(api.ds);
    // No quiet hours unless a test sets them: the notices are due at once whatever the hour of the run.
    await api.ds.query(`UPDATE branches SET notify_settings = '{"quietStart":"00:00","quietEnd":"00:00"}' WHERE id = $1`, [b.id]);
    desk = client(api.url, await login(api.url, b.users.frontdesk));
  });
  afterAll(() => api.close());

  const take = async (over: Parameters<typeof intake>[0] = {}) => (await desk.post<CreatedRepairDto>(`/branches/${b.id}/repairs`, intake(over))).body;
  const toReady = async (id: string) => {
    for (const to of ['diagnosing', 'repairing', 'qa', 'ready_for_pickup']) {
      const res = await desk.post(`/repairs/${id}/transition`, { to });
      expect(res.status).toBe(200);
    }
  };
  const notices = async (repairId: string) => (await desk.get<NotificationDto[]>(`/notifications?repairId=${repairId}`)).body;

  it('writes the pickup notice and the 3- and 7-day reminders when the repair is ready, and cancels the reminders at pickup', async () => {
    const staff = await liveClient(api.url, await login(api.url, b.users.manager));
    await subscribe(staff.socket, { branchId: b.id, view: 'staff' });
    const r = await take();
    expect(await notices(r.id)).toEqual([]);
    await toReady(r.id);
    const list = await notices(r.id);
    expect(list.map((n) => [n.template, n.status])).toEqual([
      ['pickup_ready', 'queued'],
      ['pickup_reminder', 'scheduled'],
      ['pickup_reminder', 'scheduled'],
    ]);
    expect(list[0]).toMatchObject({ channel: 'sms', to: '138****8000', attempts: 0, language: 'zh', repairId: r.id });
    const ready = DateTime.fromISO(list[0].dueAt);
    expect(DateTime.fromISO(list[1].dueAt).diff(ready, 'days').days).toBeCloseTo(3, 5);
    expect(DateTime.fromISO(list[2].dueAt).diff(ready, 'days').days).toBeCloseTo(7, 5);
    // The same commit carried a notification.status event per notice.
    await waitFor(() => staff.events.filter((e) => e.type === 'notification.status').length >= 3, 5000, 'notification events');
    const ev = staff.events.find((e) => e.type === 'notification.status') as LiveEvent<'notification.status'>;
    expect(ev.data.notification).toMatchObject({ template: 'pickup_ready', to: '138****8000' });
    const [{ sms_pickup_code }] = await api.ds.query(`SELECT sms_pickup_code FROM repairs WHERE id = $1`, [r.id]);
    expect(sms_pickup_code).toBe(r.pickupCode);

    expect((await desk.post(`/repairs/${r.id}/pickup`, { pickupCode: r.pickupCode })).status).toBe(200);
    const after = await notices(r.id);
    expect(after.filter((n) => n.template === 'pickup_reminder').map((n) => n.status)).toEqual(['cancelled', 'cancelled']);
    const [{ sms_pickup_code: cleared }] = await api.ds.query(`SELECT sms_pickup_code FROM repairs WHERE id = $1`, [r.id]);
    expect(cleared).toBeNull();
    staff.socket.disconnect();
  });

  it('writes nothing for a customer who asked for no SMS, and keeps no pickup code', async () => {
    const r = await take({ notify: 'none' });
    await toReady(r.id);
    expect(await notices(r.id)).toEqual([]);
    const [{ sms_pickup_code }] = await api.ds.query(`SELECT sms_pickup_code FROM repairs WHERE id = $1`, [r.id]);
    expect(sms_pickup_code).toBeNull();
  });

  it('sends one notice per later promised time: the same time again or an earlier one sends nothing', async () => {
    const r = await take();
    const created = (await desk.get(`/repairs/${r.id}`)).body as { promisedAt: string };
    const later = DateTime.fromISO(created.promisedAt).plus({ days: 1 }).toUTC().toISO()!;
    const reason = 'waiting for a screen from the supplier';
    expect((await desk.patch(`/repairs/${r.id}`, { promisedAt: later, reason })).status).toBe(200);
    expect((await desk.patch(`/repairs/${r.id}`, { promisedAt: later, reason })).status).toBe(200);
    const earlier = DateTime.fromISO(later).minus({ hours: 2 }).toUTC().toISO()!;
    expect((await desk.patch(`/repairs/${r.id}`, { promisedAt: earlier, reason: 'part came early' })).status).toBe(200);
    const list = await notices(r.id);
    expect(list.map((n) => n.template)).toEqual(['promise_slipped']);
  });

  it('holds a notice that falls in quiet hours until their end, branch-local time', async () => {
    const tz = 'Asia/Shanghai';
    const now = DateTime.now().setZone(tz);
    // A quiet window from an hour ago to two hours from now, whatever the time of the run.
    const start = now.minus({ hours: 1 }).toFormat('HH:00');
    const end = now.plus({ hours: 2 }).toFormat('HH:00');
    await api.ds.query(`UPDATE branches SET notify_settings = $2::jsonb WHERE id = $1`, [b.id, JSON.stringify({ quietStart: start, quietEnd: end })]);
    try {
      const r = await take();
      await toReady(r.id);
      const [pickup] = await notices(r.id);
      expect(pickup.status).toBe('scheduled');
      const due = DateTime.fromISO(pickup.dueAt).setZone(tz);
      expect(due.toFormat('HH:mm')).toBe(end);
      expect(due > now).toBe(true);
      expect(due.diff(now, 'hours').hours).toBeLessThanOrEqual(2);
    } finally {
      await api.ds.query(`UPDATE branches SET notify_settings = '{"quietStart":"00:00","quietEnd":"00:00"}' WHERE id = $1`, [b.id]);
    }
  });

  it('answers 400 naming the field for a bad query, 404 for an unknown repair and 403 for another branch', async () => {
    const none = await desk.get(`/notifications`);
    expect(none.status).toBe(400);
    expect(none.body.details[0].path).toBe('repairId');
    const bad = await desk.get(`/notifications?repairId=nope`);
    expect(bad.status).toBe(400);
    expect(bad.body.details[0].path).toBe('repairId');
    expect((await desk.get(`/notifications?repairId=00000000-0000-4000-8000-000000000000`)).status).toBe(404);
    const other = await makeBranch(api.ds);
    const otherDesk = client(api.url, await login(api.url, other.users.frontdesk));
    const r = await take();
    expect((await otherDesk.get(`/notifications?repairId=${r.id}`)).status).toBe(403);
  });
});

describe('queue depth and notices in /api/health and /api/metrics', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  it('reports each queue and the outbox by state', async () => {
    const b = await makeBranch(api.ds);
    await api.ds.query(
      `INSERT INTO notifications (branch_id, to_phone, language, template, params, dedupe_key, due_at, state, error)
       VALUES ($1, '+8613800138000', 'zh', 'promise_slipped', '{}', 'health:failed', now(), 'failed', 'HTTP 400'),
              ($1, '+8613800138000', 'zh', 'promise_slipped', '{}', 'health:overdue', now() - interval '10 minutes', 'pending', NULL)`,
      [b.id],
    );
    const health = await fetch(`${api.url}/api/health`);
    const body = (await health.json()) as { details: { queues: { status: string; notify: Record<string, number>; notices: Record<string, number> } } };
    expect(body.details.queues.status).toBe('up');
    expect(body.details.queues.notify).toEqual({ waiting: expect.any(Number), active: expect.any(Number), delayed: expect.any(Number), failed: expect.any(Number) });
    expect(body.details.queues.notices.failed).toBeGreaterThanOrEqual(1);
    expect(body.details.queues.notices.overdue).toBeGreaterThanOrEqual(1);
    const admin = await login(api.url, b.users.admin);
    const metrics = await (await fetch(`${api.url}/api/metrics`, { headers: { authorization: `Bearer ${admin}` } })).text();
    expect(metrics).toMatch(/fdl_queue_jobs\{queue="notify",state="delayed"\} \d+/);
    expect(metrics).toMatch(/fdl_notifications\{state="failed"\} [1-9]/);
    expect(metrics).toMatch(/fdl_notifications\{state="overdue"\} [1-9]/);
  });
});

describe('Bull Board for admins at /api/admin/queues', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  it('opens for an admin through the session cookie and lists the queues; 401 without it, 403 for a manager', async () => {
    const b = await makeBranch(api.ds);
    expect((await fetch(`${api.url}/api/admin/queues`)).status).toBe(401);
    const manager = await login(api.url, b.users.manager);
    expect((await fetch(`${api.url}/api/admin/queues`, { headers: { authorization: `Bearer ${manager}` } })).status).toBe(403);
    expect((await fetch(`${api.url}/api/admin/queue-board/session`, { method: 'POST', headers: { authorization: `Bearer ${manager}` } })).status).toBe(403);

    const admin = await login(api.url, b.users.admin);
    const session = await fetch(`${api.url}/api/admin/queue-board/session`, { method: 'POST', headers: { authorization: `Bearer ${admin}` } });
    expect(session.status).toBe(204);
    const setCookie = session.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/fdl_queue_board=.+; Max-Age=\d+; Path=\/api\/admin\/queues; Expires=.+; HttpOnly; SameSite=Strict/);
    const cookie = setCookie.split(';')[0];
    const page = await fetch(`${api.url}/api/admin/queues`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Frontdesk Live queues');
    const queues = (await (await fetch(`${api.url}/api/admin/queues/api/queues`, { headers: { cookie } })).json()) as { queues: { name: string }[] };
    expect(queues.queues.map((q) => q.name).sort()).toEqual(['callbacks', 'housekeeping', 'notify']);
  });
});
