import { DateTime } from 'luxon';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { callbackDueJobId, JOB_QUEUES, type AlertDto, type CallbackDto, type CreatedRepairDto, type LiveEvent } from '@frontdesk/contracts';
import { login, makeBranch, type TestBranch } from '../test-support/factories';
import { client, liveClient, startApi, subscribe, waitFor, type TestApi } from '../test-support/test-app';
import { intake } from '../repairs/repair-test-data';

describe('follow-up callbacks and callback outcomes', () => {
  let api: TestApi;
  let b: TestBranch;
  let desk: ReturnType<typeof client>;
  let agent: ReturnType<typeof client>;
  let manager: ReturnType<typeof client>;
  let queue: Queue;
  let connection: Redis;
  beforeAll(async () => {
    api = await startApi();
    b = await makeBranch(api.ds);
    desk = client(api.url, await login(api.url, b.users.frontdesk));
    agent = client(api.url, await login(api.url, b.users.agent));
    manager = client(api.url, await login(api.url, b.users.manager));
    connection = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });
    queue = new Queue(JOB_QUEUES.callbacks, { connection, prefix: `${process.env.REDIS_PREFIX}:bull` });
  });
  afterAll(async () => {
    await queue.close();
    await connection.quit();
    await api.close();
  });

  const readyRepair = async () => {
    const r = (await desk.post<CreatedRepairDto>(`/branches/${b.id}/repairs`, intake())).body;
    for (const to of ['diagnosing', 'repairing', 'qa', 'ready_for_pickup']) expect((await desk.post(`/repairs/${r.id}/transition`, { to })).status).toBe(200);
    return r;
  };

  it('pickup schedules the follow-up 3 days later at 10:00 branch time on a working day, in the same commit, with its due job queued', async () => {
    const staff = await liveClient(api.url, await login(api.url, b.users.agent));
    await subscribe(staff.socket, { branchId: b.id, view: 'staff' });
    const r = await readyRepair();
    const key = desk.key();
    const picked = await desk.post(`/repairs/${r.id}/pickup`, { pickupCode: r.pickupCode }, key);
    expect(picked.status).toBe(200);
    // A retried pickup (same Idempotency-Key) changes nothing: still one follow-up.
    expect((await desk.post(`/repairs/${r.id}/pickup`, { pickupCode: r.pickupCode }, key)).status).toBe(200);

    const scheduled = (await agent.get<CallbackDto[]>(`/callbacks?branchId=${b.id}&status=scheduled`)).body.filter((c) => c.repairId === r.id);
    expect(scheduled).toHaveLength(1);
    const f = scheduled[0];
    expect(f).toMatchObject({ reason: 'follow_up', name: '陈小明', phone: '+8613800138000', status: 'scheduled', attempts: 0 });
    expect(f.note).toContain(r.orderNo);
    expect(f.repairOrderNo).toBe(r.orderNo);
    const due = DateTime.fromISO(f.dueAt, { zone: 'Asia/Shanghai' });
    expect([due.hour, due.minute, due.weekday <= 5]).toEqual([10, 0, true]);
    const pickedLocal = DateTime.fromISO(picked.body.closedAt as string, { zone: 'Asia/Shanghai' }).startOf('day');
    const days = due.startOf('day').diff(pickedLocal, 'days').days;
    expect(days).toBeGreaterThanOrEqual(3);
    expect(days).toBeLessThanOrEqual(5); // moved off a weekend

    // The pickup's transaction (its events share one instant): the status change, the follow-up, and the SMS
    // reminders it cancels (notification.status) — nothing else.
    const seqs = await api.ds.query<{ seq: string; type: string; at: Date }[]>(
      `SELECT seq, type, at FROM events WHERE branch_id = $1 AND at = (SELECT max(at) FROM events WHERE branch_id = $1) ORDER BY seq`,
      [b.id],
    );
    expect([...new Set(seqs.map((e) => e.type))].sort()).toEqual(['callback.scheduled', 'notification.status', 'repair.status_changed']);
    expect(seqs.filter((e) => e.type === 'callback.scheduled')).toHaveLength(1);
    await waitFor(() => staff.events.some((e) => e.type === 'callback.scheduled' && (e as LiveEvent<'callback.scheduled'>).data.callback.id === f.id), 5000, 'callback.scheduled pushed');
    const job = await queue.getJob(callbackDueJobId(f.id, f.dueAt));
    expect(job?.data).toEqual({ callbackId: f.id, branchId: b.id, dueAt: f.dueAt });
    expect(await job?.getState()).toBe('delayed');
    staff.socket.close();
  });

  it('a branch with followUpDays 0 gets no follow-up', async () => {
    await api.ds.query(`UPDATE branches SET hotline_settings = hotline_settings || '{"followUpDays":0}'::jsonb WHERE id = $1`, [b.id]);
    try {
      const r = await readyRepair();
      expect((await desk.post(`/repairs/${r.id}/pickup`, { pickupCode: r.pickupCode })).status).toBe(200);
      const all = (await agent.get<CallbackDto[]>(`/callbacks?branchId=${b.id}`)).body;
      expect(all.filter((c) => c.repairId === r.id)).toHaveLength(0);
    } finally {
      await api.ds.query(`UPDATE branches SET hotline_settings = hotline_settings - 'followUpDays' WHERE id = $1`, [b.id]);
    }
  });

  it('reached_unsatisfied closes the callback and raises a manager alert in the same commit', async () => {
    const created = await agent.post<CallbackDto>('/callbacks', { branchId: b.id, phone: '13900139000', name: '王女士', dueAt: new Date().toISOString(), reason: 'follow_up', note: 'screen repair' });
    expect(created.status).toBe(201);
    expect(created.body.status).toBe('due');
    const done = await agent.post<CallbackDto>(`/callbacks/${created.body.id}/complete`, { outcome: 'reached_unsatisfied', note: '屏幕又闪了' });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'done', outcome: 'reached_unsatisfied', attempts: 1 });
    const alerts = (await manager.get<AlertDto[]>(`/alerts?branchId=${b.id}&state=open`)).body.filter((a) => a.kind === 'callback.unsatisfied');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ severity: 'warning', data: { callbackId: created.body.id, phoneMasked: '139****9000' } });
    expect(alerts[0].message).toContain('王女士');
    expect(alerts[0].message).toContain('屏幕又闪了');
    // Completing again is refused and raises nothing more.
    expect((await agent.post(`/callbacks/${created.body.id}/complete`, { outcome: 'reached_unsatisfied' })).status).toBe(409);
    expect((await manager.get<AlertDto[]>(`/alerts?branchId=${b.id}&state=open`)).body.filter((a) => a.kind === 'callback.unsatisfied')).toHaveLength(1);
  });

  it('unreachable is retried the next working day at 10:00 branch time, with a due job, and the third try closes it', async () => {
    const created = (await agent.post<CallbackDto>('/callbacks', { branchId: b.id, phone: '13700137000', dueAt: new Date().toISOString(), reason: 'promised' })).body;
    const first = (await agent.post<CallbackDto>(`/callbacks/${created.id}/complete`, { outcome: 'unreachable' })).body;
    expect(first).toMatchObject({ status: 'scheduled', attempts: 1, outcome: 'unreachable' });
    const due = DateTime.fromISO(first.dueAt, { zone: 'Asia/Shanghai' });
    expect([due.hour, due.weekday <= 5, due > DateTime.now()]).toEqual([10, true, true]);
    expect(await (await queue.getJob(callbackDueJobId(first.id, first.dueAt)))?.getState()).toBe('delayed');
    expect((await agent.post<CallbackDto>(`/callbacks/${created.id}/complete`, { outcome: 'unreachable' })).body.attempts).toBe(2);
    expect((await agent.post<CallbackDto>(`/callbacks/${created.id}/complete`, { outcome: 'unreachable' })).body).toMatchObject({ status: 'done', attempts: 3 });
  });

  it('a bad outcome is a 400 naming the field and changes nothing', async () => {
    const created = (await agent.post<CallbackDto>('/callbacks', { branchId: b.id, phone: '13600136000', dueAt: new Date().toISOString(), reason: 'promised' })).body;
    const bad = await agent.post(`/callbacks/${created.id}/complete`, { outcome: 'maybe' });
    expect(bad.status).toBe(400);
    expect(bad.body.details[0].path).toBe('outcome');
    expect((await agent.get<CallbackDto[]>(`/callbacks?branchId=${b.id}&status=done`)).body.some((c) => c.id === created.id)).toBe(false);
  });
});
