import type { TicketDto } from '@frontdesk/contracts';
import { makeBranch, login, type TestBranch } from '../test-support/factories';
import { client, startApi, type TestApi } from '../test-support/test-app';

describe('call-next under concurrency (real Postgres)', () => {
  let api: TestApi;
  let branch: TestBranch;
  let desk: ReturnType<typeof client>;
  let kiosk: ReturnType<typeof client>;

  beforeAll(async () => {
    api = await startApi();
    // Ten counters, all serving A: they will all press call-next at the same moment.
    branch = await makeBranch(api.ds, { counters: Array.from({ length: 10 }, () => ['A']) });
    desk = client(api.url, await login(api.url, branch.users.frontdesk));
    kiosk = client(api.url, branch.kioskToken);
  });
  afterAll(() => api.close());

  it('never gives two counters the same ticket and skips no waiting ticket, priority first then by creation', async () => {
    const issued: { id: string; number: string; priority: string }[] = [];
    for (let i = 0; i < 30; i++) {
      const priority = i % 7 === 3 ? 'priority' : 'normal';
      const r = await kiosk.post('/branches/' + branch.id + '/tickets', { serviceId: branch.services.A, priority });
      expect(r.status).toBe(201);
      issued.push({ id: r.body.id, number: r.body.number, priority });
    }
    const expectedOrder = [...issued.filter((t) => t.priority === 'priority'), ...issued.filter((t) => t.priority === 'normal')].map((t) => t.id);

    const calledInRounds: string[] = [];
    for (let round = 0; round < 3; round++) {
      const results = await Promise.all(branch.counters.map((c) => desk.post(`/counters/${c}/call-next`)));
      expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
      const ids = results.map((r) => (r.body as { ticket: TicketDto }).ticket.id);
      expect(new Set(ids).size).toBe(10);
      // Within a round the ten calls race, so compare as sets: the round takes exactly the next ten in line.
      expect(new Set(ids)).toEqual(new Set(expectedOrder.slice(round * 10, round * 10 + 10)));
      calledInRounds.push(...ids);
      for (const id of ids) {
        expect((await desk.post(`/tickets/${id}/serve`)).status).toBe(200);
        expect((await desk.post(`/tickets/${id}/finish`)).status).toBe(200);
      }
    }
    expect(new Set(calledInRounds).size).toBe(30);
    const none = await desk.post(`/counters/${branch.counters[0]}/call-next`);
    expect(none.status).toBe(204);
  });

  it('ages a normal ticket past the limit ahead of a newer priority ticket', async () => {
    const b = await makeBranch(api.ds, { counters: [['B']], settings: { agingLimitSeconds: 60 } });
    const k = client(api.url, b.kioskToken);
    const d = client(api.url, await login(api.url, b.users.frontdesk));
    const old = await k.post(`/branches/${b.id}/tickets`, { serviceId: b.services.B });
    // The normal ticket was taken 2 minutes ago (past the 60 s aging limit).
    await api.ds.query(`UPDATE tickets SET created_at = now() - interval '2 minutes' WHERE id = $1`, [old.body.id]);
    const prio = await k.post(`/branches/${b.id}/tickets`, { serviceId: b.services.B, priority: 'priority' });
    expect(prio.status).toBe(201);
    const first = await d.post(`/counters/${b.counters[0]}/call-next`);
    expect(first.body.ticket.number).toBe(old.body.number);
  });
});
