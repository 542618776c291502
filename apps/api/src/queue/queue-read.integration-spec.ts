import { BranchQueue, QueueRepository, TicketEntity, hydrateValues } from '@frontdesk/db';
import { makeBranch, login } from '../test-support/factories';
import { client, startApi, type TestApi } from '../test-support/test-app';

/**
 * The queue every change works on is read in one statement, tickets as arrays of column values (not TypeORM's own
 * read): the tickets it gives must be the tickets as stored, field for field, or a change would save or show a wrong value.
 */
describe('the queue read under the branch lock (real Postgres)', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  it('gives every active ticket exactly as TypeORM reads it from the table, in the order they were taken', async () => {
    const b = await makeBranch(api.ds, { counters: [['A'], ['A']] });
    const kiosk = client(api.url, b.kioskToken);
    const desk = client(api.url, await login(api.url, b.users.frontdesk));
    const taken = [];
    for (const extra of [{ phone: '13800138000', language: 'en' }, { priority: 'priority' }, {}, { language: 'zh' }]) {
      const r = await kiosk.post(`/branches/${b.id}/tickets`, { serviceId: b.services.A, ...extra });
      expect(r.status).toBe(201);
      taken.push(r.body.id as string);
    }
    // One called and served, one called (recalled twice, with a reason), two left waiting (one with a phone and a language).
    const first = await desk.post(`/counters/${b.counters[0]}/call-next`);
    expect((await desk.post(`/tickets/${first.body.ticket.id}/serve`)).status).toBe(200);
    const second = await desk.post(`/counters/${b.counters[1]}/call-next`);
    expect(second.status).toBe(200);
    // Text and counts the API sets on other paths, written here directly: quotes, a backslash and non-Latin text.
    await api.ds.query(`UPDATE tickets SET recall_count = 2, call_reason = $2 WHERE id = $1`, [second.body.ticket.id, `O'Brien "back\\slash" 客户 😀`]);

    const q = await BranchQueue.load(new QueueRepository(), api.ds.manager, b.id, new Date());
    const stored = await api.ds.manager.find(TicketEntity, { where: taken.map((id) => ({ id })), order: { createdAt: 'ASC' } });
    expect(stored.map((t) => t.status).sort()).toEqual(['called', 'serving', 'waiting', 'waiting']);
    expect(q.tickets).toEqual(stored);
    expect(q.tickets.every((t) => t instanceof TicketEntity)).toBe(true);
    expect(q.tickets.find((t) => t.status === 'serving')?.servingAt).toBeInstanceOf(Date);
    expect(q.tickets.find((t) => t.status === 'called')?.recallCount).toBe(2);
    expect(q.tickets.find((t) => t.phone === '13800138000')?.language).toBe('en');
  });

  it('gives each service the durations of its latest finished tickets, newest first, as many as the branch samples', async () => {
    const b = await makeBranch(api.ds, { counters: [['A', 'B']], settings: { serviceTimeSampleSize: 3 } });
    // Five finished A tickets an hour apart, served for 1..5 minutes (the newest took 5); none finished for B.
    await api.ds.query(
      `INSERT INTO tickets (branch_id, service_id, local_day, day_seq, number, status, issued_by, serving_at, finished_at)
       SELECT $1, $2, current_date - 1, g, 'A' || g, 'done', 'test', now() - g * interval '1 hour' - (6 - g) * interval '1 minute', now() - g * interval '1 hour'
         FROM generate_series(1, 5) g`,
      [b.id, b.services.A],
    );
    const q = await BranchQueue.load(new QueueRepository(), api.ds.manager, b.id, new Date());
    expect(q.recentDurations.get(b.services.A)).toEqual([300, 240, 180]);
    expect(q.recentDurations.has(b.services.B)).toBe(false);
  });

  it('refuses a column list that leaves out a column of the entity or names one it does not have', () => {
    const all = api.ds.getMetadata(TicketEntity).columns.map((c) => c.databaseName);
    expect(() => hydrateValues(api.ds.manager, TicketEntity, all.filter((c) => c !== 'phone'), [])).toThrow(/missing phone/);
    expect(() => hydrateValues(api.ds.manager, TicketEntity, [...all, 'shoe_size'], [])).toThrow(/unknown or repeated shoe_size/);
    const values = all.map((c) => (c === 'number' ? 'A001' : null));
    expect(hydrateValues(api.ds.manager, TicketEntity, all, values)).toMatchObject({ number: 'A001', phone: null, createdAt: null });
  });
});
