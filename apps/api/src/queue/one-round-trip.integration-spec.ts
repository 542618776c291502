import { BranchQueue, EventStoreRepository, QueueRepository, runBranchTransaction, speculation } from '@frontdesk/db';
import { makeBranch, login, type TestBranch } from '../test-support/factories';
import { client, startApi, type TestApi } from '../test-support/test-app';

/**
 * A change of a branch this process kept the queue of is made on that copy at once and sent in one round trip, whose
 * lock statement checks that the branch is still as kept (runBranchTransaction's `speculate`). Whatever happened in
 * between (another writer, another process's event, a retried request, a change that must read) it must end exactly
 * as the usual way would: same answer, same rows, events without gaps.
 */
describe('changes sent in one round trip on the kept queue (real Postgres)', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  /**
   * How many changes went in one round trip, took the lock to read, or were refused by the branch while `run` ran,
   * and how many times the whole queue was read.
   */
  async function counted<T>(run: () => Promise<T>): Promise<{ value: T; oneTrip: number; lockedToRead: number; refused: number; fullReads: number }> {
    const before = { ...speculation };
    const spy = jest.spyOn(QueueRepository, 'queueState');
    try {
      const value = await run();
      return {
        value,
        oneTrip: speculation.committed - before.committed,
        lockedToRead: speculation.lockedToRead - before.lockedToRead,
        refused: speculation.refused - before.refused,
        fullReads: spy.mock.calls.length,
      };
    } finally {
      spy.mockRestore();
    }
  }

  async function seqs(b: TestBranch): Promise<number[]> {
    const rows: { seq: string }[] = await api.ds.query(`SELECT seq FROM events WHERE branch_id = $1 ORDER BY seq`, [b.id]);
    return rows.map((r) => Number(r.seq));
  }

  it('sends the counter and kiosk work of a kept branch in one round trip, with its events in order', async () => {
    const b = await makeBranch(api.ds, { counters: [['A']] });
    const kiosk = client(api.url, b.kioskToken);
    const desk = client(api.url, await login(api.url, b.users.frontdesk));
    await kiosk.post(`/branches/${b.id}/tickets`, { serviceId: b.services.A });
    const steps = await counted(async () => {
      const second = await kiosk.post(`/branches/${b.id}/tickets`, { serviceId: b.services.A });
      const called = await desk.post(`/counters/${b.counters[0]}/call-next`);
      const served = await desk.post(`/tickets/${called.body.ticket.id}/serve`);
      const finished = await desk.post(`/tickets/${called.body.ticket.id}/finish`);
      return [second.status, called.status, served.status, finished.status];
    });
    expect(steps).toEqual({ value: [201, 200, 200, 200], oneTrip: 4, lockedToRead: 0, refused: 0, fullReads: 0 });
    const all = await seqs(b);
    expect(all).toEqual(all.map((_, i) => i + 1));
    const [row] = await api.ds.query(`SELECT last_seq FROM branch_event_seq WHERE branch_id = $1`, [b.id]);
    expect(Number(row.last_seq)).toBe(all.length);
  });

  it('is refused when another writer changed the queue, and the change is made on what it wrote', async () => {
    const b = await makeBranch(api.ds, { counters: [['A']] });
    const kiosk = client(api.url, b.kioskToken);
    const desk = client(api.url, await login(api.url, b.users.frontdesk));
    const early = await kiosk.post(`/branches/${b.id}/tickets`, { serviceId: b.services.A });
    const late = await kiosk.post(`/branches/${b.id}/tickets`, { serviceId: b.services.A });
    await api.ds.query(`UPDATE tickets SET status = 'cancelled', closed_at = now() WHERE id = $1`, [early.body.id]);
    const next = await counted(() => desk.post(`/counters/${b.counters[0]}/call-next`));
    expect({ status: next.value.status, ticket: next.value.body.ticket.id, oneTrip: next.oneTrip, refused: next.refused }).toEqual({
      status: 200,
      ticket: late.body.id,
      oneTrip: 0,
      refused: 1,
    });
    const [early2] = await api.ds.query(`SELECT status FROM tickets WHERE id = $1`, [early.body.id]);
    expect(early2.status).toBe('cancelled');
  });

  it('is not refused by another process\'s event of the branch (the hotline, the worker), and no seq is taken twice', async () => {
    const b = await makeBranch(api.ds, { counters: [['A']] });
    const kiosk = client(api.url, b.kioskToken);
    await kiosk.post(`/branches/${b.id}/tickets`, { serviceId: b.services.A });
    // As the worker records an SMS's outcome: under the branch lock, an event, no queue table written.
    await runBranchTransaction(api.ds, new EventStoreRepository(api.ds), b.id, 'worker', async (tx) => {
      tx.record('notification.status', { notification: { id: 'n1', state: 'sent' } } as never);
    });
    const next = await counted(() => kiosk.post(`/branches/${b.id}/tickets`, { serviceId: b.services.A }));
    expect({ status: next.value.status, number: next.value.body.number, oneTrip: next.oneTrip, refused: next.refused }).toEqual({
      status: 201,
      number: 'A002',
      oneTrip: 1,
      refused: 0,
    });
    const rows: { seq: string; type: string }[] = await api.ds.query(`SELECT seq, type FROM events WHERE branch_id = $1 ORDER BY seq`, [b.id]);
    expect(rows.map((r) => [Number(r.seq), r.type])).toEqual([
      [1, 'ticket.created'],
      [2, 'notification.status'],
      [3, 'ticket.created'],
    ]);
    const [row] = await api.ds.query(`SELECT last_seq FROM branch_event_seq WHERE branch_id = $1`, [b.id]);
    expect(Number(row.last_seq)).toBe(3);
  });

  it('answers a retried request (same Idempotency-Key) as the first, and issues one ticket', async () => {
    const b = await makeBranch(api.ds, { counters: [['A']] });
    const kiosk = client(api.url, b.kioskToken);
    await kiosk.post(`/branches/${b.id}/tickets`, { serviceId: b.services.A });
    const key = kiosk.key();
    const first = await kiosk.post(`/branches/${b.id}/tickets`, { serviceId: b.services.A }, key);
    const again = await kiosk.post(`/branches/${b.id}/tickets`, { serviceId: b.services.A }, key);
    expect({ status: again.status, id: again.body.id, number: again.body.number }).toEqual({ status: 201, id: first.body.id, number: 'A002' });
    const [{ count }] = await api.ds.query(`SELECT count(*)::int AS count FROM tickets WHERE branch_id = $1`, [b.id]);
    expect(count).toBe(2);
    const third = await kiosk.post(`/branches/${b.id}/tickets`, { serviceId: b.services.A });
    expect(third.body.number).toBe('A003');
    expect(await seqs(b)).toEqual([1, 2, 3]);
  });

  it('takes the lock for a change that must read under it (the lobby SMS to the customer two places back), without reading the queue', async () => {
    const b = await makeBranch(api.ds, { counters: [['A']] });
    const kiosk = client(api.url, b.kioskToken);
    const desk = client(api.url, await login(api.url, b.users.frontdesk));
    for (let i = 0; i < 3; i++) await kiosk.post(`/branches/${b.id}/tickets`, { serviceId: b.services.A });
    const withPhone = await kiosk.post(`/branches/${b.id}/tickets`, { serviceId: b.services.A, phone: '13800138000' });
    const call = await counted(() => desk.post(`/counters/${b.counters[0]}/call-next`));
    expect({ status: call.value.status, lockedToRead: call.lockedToRead, refused: call.refused, fullReads: call.fullReads }).toEqual({
      status: 200,
      lockedToRead: 1,
      refused: 0,
      fullReads: 0,
    });
    expect(call.value.body.ticket.number).toBe('A001');
    const notices = await api.ds.query(`SELECT template FROM notifications WHERE ticket_id = $1`, [withPhone.body.id]);
    expect(notices).toEqual([{ template: 'lobby_near' }]);
  });

  it('is refused at the lock it takes to read when another writer changed the queue, and is made on what it wrote', async () => {
    const b = await makeBranch(api.ds, { counters: [['A']] });
    const kiosk = client(api.url, b.kioskToken);
    const desk = client(api.url, await login(api.url, b.users.frontdesk));
    const first = await kiosk.post(`/branches/${b.id}/tickets`, { serviceId: b.services.A });
    for (let i = 0; i < 3; i++) await kiosk.post(`/branches/${b.id}/tickets`, { serviceId: b.services.A, phone: '13800138000' });
    await api.ds.query(`UPDATE tickets SET status = 'cancelled', closed_at = now() WHERE id = $1`, [first.body.id]);
    // On the kept copy the call would take A001 and text A004; the lock it takes to send that SMS finds the change.
    const call = await counted(() => desk.post(`/counters/${b.counters[0]}/call-next`));
    expect({ status: call.value.status, number: call.value.body.ticket.number, lockedToRead: call.lockedToRead, refused: call.refused }).toEqual({
      status: 200,
      number: 'A002',
      lockedToRead: 0,
      refused: 1,
    });
    const rows: { number: string; status: string; notices: number }[] = await api.ds.query(
      `SELECT t.number, t.status, (SELECT count(*)::int FROM notifications n WHERE n.ticket_id = t.id) AS notices FROM tickets t WHERE t.branch_id = $1 ORDER BY t.day_seq`,
      [b.id],
    );
    expect(rows).toEqual([
      { number: 'A001', status: 'cancelled', notices: 0 },
      { number: 'A002', status: 'called', notices: 0 },
      { number: 'A003', status: 'waiting', notices: 0 },
      { number: 'A004', status: 'waiting', notices: 0 },
    ]);
  });

  it("keeps the database's clock even when this process's runs a minute ahead, and never goes back", async () => {
    const realNow = Date.now.bind(Date);
    const ahead = jest.spyOn(Date, 'now').mockImplementation(() => realNow() + 60_000);
    let b: TestBranch;
    try {
      b = await makeBranch(api.ds, { counters: [['A']] });
      const kiosk = client(api.url, b.kioskToken);
      // The branch's first change reads under the lock, and so measures the clocks.
      await kiosk.post(`/branches/${b.id}/tickets`, { serviceId: b.services.A });
      const sent = await counted(async () => {
        for (let i = 0; i < 5; i++) await kiosk.post(`/branches/${b.id}/tickets`, { serviceId: b.services.A });
      });
      expect(sent.oneTrip).toBe(5);
    } finally {
      ahead.mockRestore();
    }
    const rows: { created_at: Date; skew_ms: number }[] = await api.ds.query(
      `SELECT created_at, abs(extract(epoch FROM created_at - clock_timestamp()) * 1000)::float8 AS skew_ms FROM tickets WHERE branch_id = $1 ORDER BY day_seq`,
      [b.id],
    );
    const times = rows.map((r) => r.created_at.getTime());
    expect(times).toEqual([...times].sort((x, y) => x - y));
    expect(rows.map((r) => r.skew_ms < 5_000)).toEqual(rows.map(() => true));
    expect(BranchQueue.kept(b.id)?.now.getTime()).toBe(times[times.length - 1]);
    // Measured again by the next change that reads.
    const other = await makeBranch(api.ds, { counters: [['A']] });
    await client(api.url, other.kioskToken).post(`/branches/${other.id}/tickets`, { serviceId: other.services.A });
  });
});
