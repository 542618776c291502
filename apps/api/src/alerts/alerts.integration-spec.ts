import { EventStoreRepository, clearAlert, raiseAlert, runBranchTransaction } from '@frontdesk/db';
import type { LiveEvent } from '@frontdesk/contracts';
import { login, makeBranch } from '../test-support/factories';
import { client, liveClient, startApi, subscribe, waitFor, type TestApi } from '../test-support/test-app';

describe('alerts', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  const raise = (branchId: string, dedupeKey: string) =>
    runBranchTransaction(api.ds, new EventStoreRepository(api.ds), branchId, 'test', (tx) =>
      raiseAlert(tx, { kind: 'repair.repeat', severity: 'warning', message: 'IMEI 35… repaired again within 90 days', data: { orderNo: 'R1' }, dedupeKey }),
    );

  it('raises one open alert per situation, lists it, lets a manager acknowledge it and clears it, each with a live event', async () => {
    const b = await makeBranch(api.ds);
    const managerToken = await login(api.url, b.users.manager);
    const manager = client(api.url, managerToken);
    const staff = await liveClient(api.url, managerToken);
    await subscribe(staff.socket, { branchId: b.id, view: 'manager' });

    const first = await raise(b.id, 'repeat:353');
    const again = await raise(b.id, 'repeat:353');
    expect(first.result).not.toBeNull();
    expect(again.result).toBeNull();
    // The event is published by the outbox sweep (this transaction ran outside the API's fast path).
    await waitFor(() => staff.events.find((e) => e.type === 'alert.raised'), 5000, 'alert.raised');

    const open = await manager.get(`/alerts?branchId=${b.id}`);
    expect(open.status).toBe(200);
    expect(open.body).toHaveLength(1);
    expect(open.body[0]).toMatchObject({ kind: 'repair.repeat', severity: 'warning', state: 'open', data: { orderNo: 'R1' } });

    const desk = client(api.url, await login(api.url, b.users.frontdesk));
    expect((await desk.post(`/alerts/${open.body[0].id}/ack`)).status).toBe(403);
    const acked = await manager.post(`/alerts/${open.body[0].id}/ack`);
    expect(acked.status).toBe(200);
    expect(acked.body).toMatchObject({ state: 'acknowledged', acknowledgedBy: expect.stringContaining(b.users.manager) });
    await waitFor(() => staff.events.find((e) => e.type === 'alert.acknowledged'), 5000, 'alert.acknowledged');

    await runBranchTransaction(api.ds, new EventStoreRepository(api.ds), b.id, 'test', (tx) => clearAlert(tx, 'repeat:353'));
    const cleared = (await waitFor(() => staff.events.find((e) => e.type === 'alert.cleared'), 5000, 'alert.cleared')) as LiveEvent<'alert.cleared'>;
    expect(cleared.data.alert.state).toBe('cleared');
    expect((await manager.get(`/alerts?branchId=${b.id}`)).body).toHaveLength(0);
    expect((await manager.get(`/alerts?branchId=${b.id}&state=all`)).body).toHaveLength(1);
    // Cleared, the same situation can alert again.
    expect((await raise(b.id, 'repeat:353')).result).not.toBeNull();
    staff.socket.disconnect();
  });

  it('keeps alerts to their branch and validates the query', async () => {
    const b = await makeBranch(api.ds);
    const other = await makeBranch(api.ds);
    const stranger = client(api.url, await login(api.url, other.users.manager));
    expect((await stranger.get(`/alerts?branchId=${b.id}`)).status).toBe(403);
    const bad = await stranger.get(`/alerts?branchId=nope`);
    expect(bad.status).toBe(400);
    expect(bad.body.details[0].path).toBe('branchId');
  });
});
