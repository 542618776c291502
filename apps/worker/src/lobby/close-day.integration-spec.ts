import { DataSource } from 'typeorm';
import { createDataSource, EventStoreRepository } from '@frontdesk/db';
import { makeBranch } from '@frontdesk/db/testing';
import { CloseDayJob, DAY_CLOSED_REASON } from './close-day.job';

describe('lobby.close-day (real Postgres)', () => {
  let ds: DataSource;
  beforeAll(async () => {
    ds = createDataSource(process.env.DATABASE_URL!);
    await ds.initialize();
  });
  afterAll(() => ds.destroy());

  const ticket = async (b: { id: string; services: Record<string, string>; counters: string[] }, status: string, daysAgo: number, n: number) => {
    const [t]: { id: string }[] = await ds.query(
      `INSERT INTO tickets (branch_id, service_id, local_day, day_seq, number, status, issued_by, created_at, counter_id)
       VALUES ($1, $2, (now() AT TIME ZONE 'Asia/Shanghai')::date - $3::int, $4::int, 'A' || lpad($4::int::text, 3, '0'), $5, 'test', now() - make_interval(days => $3), $6) RETURNING id`,
      [b.id, b.services.A, daysAgo, n, status, status === 'waiting' ? null : b.counters[0]],
    );
    return t.id;
  };

  it('closes tickets left open from earlier days, frees their counter and logs each as an event with the next seq', async () => {
    const b = await makeBranch(ds);
    const oldWaiting = await ticket(b, 'waiting', 1, 1);
    const oldCalled = await ticket(b, 'called', 1, 2);
    const today = await ticket(b, 'waiting', 0, 1);
    await ds.query(`UPDATE counters SET current_ticket_id = $1, status = 'open' WHERE id = $2`, [oldCalled, b.counters[0]]);

    const job = new CloseDayJob(ds, new EventStoreRepository(ds));
    const outcome = await job.handle({ branchId: b.id });
    expect(outcome).toEqual({ status: 'success', detail: 'closed 2 ticket(s) in 1 branch(es)' });

    const rows: { id: string; status: string; call_reason: string | null }[] = await ds.query(`SELECT id, status, call_reason FROM tickets WHERE branch_id = $1`, [b.id]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(oldWaiting)).toMatchObject({ status: 'cancelled', call_reason: DAY_CLOSED_REASON });
    expect(byId.get(oldCalled)).toMatchObject({ status: 'cancelled' });
    expect(byId.get(today)).toMatchObject({ status: 'waiting' });
    const [counter] = await ds.query(`SELECT current_ticket_id FROM counters WHERE id = $1`, [b.counters[0]]);
    expect(counter.current_ticket_id).toBeNull();
    const events: { seq: string; type: string; published_at: Date | null }[] = await ds.query(
      `SELECT seq, type, published_at FROM events WHERE branch_id = $1 ORDER BY seq`,
      [b.id],
    );
    expect(events.map((e) => [Number(e.seq), e.type])).toEqual([
      [1, 'ticket.cancelled'],
      [2, 'ticket.cancelled'],
    ]);
    // Left for the API's outbox sweep to publish to the screens.
    expect(events.every((e) => e.published_at === null)).toBe(true);
  });

  it('finds the branches to close by their own time zone and skips when nothing is left open', async () => {
    const b = await makeBranch(ds);
    await ticket(b, 'waiting', 0, 1);
    const job = new CloseDayJob(ds, new EventStoreRepository(ds));
    await job.handle({});
    const [row] = await ds.query(`SELECT count(*)::int AS n FROM tickets WHERE branch_id = $1 AND status = 'waiting'`, [b.id]);
    expect(row.n).toBe(1);
    expect(await job.handle({ branchId: b.id })).toEqual({ status: 'skipped', detail: 'no tickets left open from earlier days' });
  });
});
