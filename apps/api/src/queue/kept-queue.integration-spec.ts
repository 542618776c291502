import { BranchQueue, QueueRepository } from '@frontdesk/db';
import { makeBranch, login, type TestBranch } from '../test-support/factories';
import { client, startApi, type TestApi } from '../test-support/test-app';

/**
 * The API keeps the queue each change leaves and starts the branch's next change from it instead of reading the
 * queue again (BranchQueue.inTx), unless something else wrote it since. The kept copy must be, field for field, what a
 * fresh read of the tables gives: otherwise a screen, a call or an estimate would work on a queue that is not there.
 */
describe('the queue kept between changes (real Postgres)', () => {
  let api: TestApi;
  const repo = new QueueRepository();
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  const shape = (q: BranchQueue) => ({
    day: q.day,
    branch: q.branch,
    services: q.services,
    counters: q.counters,
    // In creation order, ties by id (as orderWaiting breaks them): tickets of one batch share its `now`, and the copy
    // holds them in the order they were issued where the read's ORDER BY created_at leaves ties to the plan.
    tickets: [...q.tickets].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    durations: Object.fromEntries(q.recentDurations),
    daySeqs: Object.fromEntries(q.daySeqs),
    repairOrderNos: Object.fromEntries(q.repairOrderNos),
  });

  /** The kept copy equals a fresh read of the tables. */
  async function expectKeptIsTheQueue(b: TestBranch, step: string) {
    const kept = BranchQueue.kept(b.id);
    if (!kept) throw new Error(`no kept queue after ${step}`);
    const fresh = await BranchQueue.load(repo, api.ds.manager, b.id, new Date());
    expect({ step, ...shape(kept) }).toEqual({ step, ...shape(fresh) });
  }

  /** How many times the whole queue was parsed from a read while `run` ran. */
  async function fullReads<T>(run: () => Promise<T>): Promise<{ value: T; reads: number }> {
    const spy = jest.spyOn(QueueRepository, 'queueState');
    try {
      const value = await run();
      return { value, reads: spy.mock.calls.length };
    } finally {
      spy.mockRestore();
    }
  }

  it('after every kind of change is exactly what the tables hold, and the next change does not read the queue again', async () => {
    const b = await makeBranch(api.ds, { counters: [['A'], ['A', 'B']], settings: { recallCooldownSeconds: 0, maxRecalls: 1 } });
    const kiosk = client(api.url, b.kioskToken);
    const desk = client(api.url, await login(api.url, b.users.frontdesk));
    const ok = async (step: string, send: () => Promise<{ status: number; body: unknown }>) => {
      const { value, reads } = await fullReads(send);
      expect({ step, status: value.status < 300 ? 'ok' : value.status, body: value.status < 300 ? null : value.body }).toEqual({ step, status: 'ok', body: null });
      await expectKeptIsTheQueue(b, step);
      return { body: value.body as { id: string; ticket: { id: string } }, reads };
    };

    await ok('first ticket', () => kiosk.post(`/branches/${b.id}/tickets`, { serviceId: b.services.A, phone: '13800138000', language: 'en' }));
    // From here on every change starts from the copy the one before it left.
    const steps: [string, () => Promise<{ status: number; body: unknown }>][] = [
      ['priority ticket', () => kiosk.post(`/branches/${b.id}/tickets`, { serviceId: b.services.A, priority: 'priority' })],
      ['B ticket', () => kiosk.post(`/branches/${b.id}/tickets`, { serviceId: b.services.B })],
      ['plain ticket', () => kiosk.post(`/branches/${b.id}/tickets`, { serviceId: b.services.A })],
    ];
    for (const [step, send] of steps) expect({ step, reads: (await ok(step, send)).reads }).toEqual({ step, reads: 0 });

    const called = await ok('call-next (opens the counter)', () => desk.post(`/counters/${b.counters[0]}/call-next`));
    expect(called.reads).toBe(0);
    const t1 = called.body.ticket.id;
    for (const [step, send] of [
      ['serve', () => desk.post(`/tickets/${t1}/serve`)],
      ['finish (a service time for the estimates)', () => desk.post(`/tickets/${t1}/finish`)],
      ['call-next at the other counter', () => desk.post(`/counters/${b.counters[1]}/call-next`)],
    ] as const) {
      expect({ step, reads: (await ok(step, send)).reads }).toEqual({ step, reads: 0 });
    }
    const atTwo = BranchQueue.kept(b.id)!.counters.find((c) => c.id === b.counters[1])!.currentTicketId!;
    for (const [step, send] of [
      ['recall', () => desk.post(`/tickets/${atTwo}/recall`)],
      ['no-show', () => desk.post(`/tickets/${atTwo}/no-show`)],
      ['call-next again', () => desk.post(`/counters/${b.counters[0]}/call-next`)],
    ] as const) {
      expect({ step, reads: (await ok(step, send)).reads }).toEqual({ step, reads: 0 });
    }
    const atOne = BranchQueue.kept(b.id)!.counters.find((c) => c.id === b.counters[0])!.currentTicketId!;
    for (const [step, send] of [
      ['transfer to B', () => desk.post(`/tickets/${atOne}/transfer`, { serviceId: b.services.B })],
      ['pause a counter', () => desk.post(`/counters/${b.counters[1]}/pause`, { reason: 'lunch' })],
      ['open it again', () => desk.post(`/counters/${b.counters[1]}/open`, {})],
      ['cancel a waiting ticket', () => desk.post(`/tickets/${BranchQueue.kept(b.id)!.waiting()[0].id}/cancel`, { reason: 'left' })],
    ] as const) {
      expect({ step, reads: (await ok(step, send)).reads }).toEqual({ step, reads: 0 });
    }
    expect(BranchQueue.kept(b.id)!.recentDurations.get(b.services.A)).toHaveLength(1);
  });

  it('is dropped when another process writes the queue: the next change sees what it wrote', async () => {
    const b = await makeBranch(api.ds, { counters: [['A']] });
    const kiosk = client(api.url, b.kioskToken);
    const desk = client(api.url, await login(api.url, b.users.frontdesk));
    const early = await kiosk.post(`/branches/${b.id}/tickets`, { serviceId: b.services.A });
    const late = await kiosk.post(`/branches/${b.id}/tickets`, { serviceId: b.services.A });
    expect(BranchQueue.kept(b.id)?.tickets.map((t) => t.id)).toEqual([early.body.id, late.body.id]);

    // Another API instance (or a person at psql) cancels the first ticket and closes the service.
    await api.ds.query(`UPDATE tickets SET status = 'cancelled', closed_at = now() WHERE id = $1`, [early.body.id]);
    const { value: next, reads } = await fullReads(() => desk.post(`/counters/${b.counters[0]}/call-next`));
    expect(reads).toBe(1);
    expect(next.body.ticket.id).toBe(late.body.id);
    await expectKeptIsTheQueue(b, 'after the outside write');

    await api.ds.query(`UPDATE services SET open = false WHERE id = $1`, [b.services.A]);
    const refused = await kiosk.post(`/branches/${b.id}/tickets`, { serviceId: b.services.A });
    expect(refused.status).toBe(409);
    expect(JSON.stringify(refused.body)).toMatch(/closed/);
  });

  it('is not kept from a change that was refused: the next change reads the queue and is right', async () => {
    const b = await makeBranch(api.ds, { counters: [['A']] });
    const kiosk = client(api.url, b.kioskToken);
    const desk = client(api.url, await login(api.url, b.users.frontdesk));
    await kiosk.post(`/branches/${b.id}/tickets`, { serviceId: b.services.A });
    await kiosk.post(`/branches/${b.id}/tickets`, { serviceId: b.services.A });
    expect((await desk.post(`/counters/${b.counters[0]}/call-next`)).status).toBe(200);
    // The counter still has its customer: refused, rolled back, nothing kept.
    expect((await desk.post(`/counters/${b.counters[0]}/call-next`)).status).toBe(409);
    expect(BranchQueue.kept(b.id)).toBeUndefined();
    const { value, reads } = await fullReads(() => kiosk.post(`/branches/${b.id}/tickets`, { serviceId: b.services.A }));
    expect(value.status).toBe(201);
    expect(reads).toBe(1);
    await expectKeptIsTheQueue(b, 'after a refused change');
  });

  it('stays the queue when many changes of the branch commit together', async () => {
    const b = await makeBranch(api.ds, { counters: Array.from({ length: 6 }, () => ['A', 'B']) });
    const kiosk = client(api.url, b.kioskToken);
    const desk = client(api.url, await login(api.url, b.users.frontdesk));
    await kiosk.post(`/branches/${b.id}/tickets`, { serviceId: b.services.A });
    const issued = await Promise.all(
      Array.from({ length: 20 }, (_, i) => kiosk.post(`/branches/${b.id}/tickets`, { serviceId: i % 3 ? b.services.A : b.services.B })),
    );
    expect(issued.map((r) => r.status)).toEqual(issued.map(() => 201));
    await expectKeptIsTheQueue(b, 'a burst of tickets');
    const calls = await Promise.all(b.counters.map((c) => desk.post(`/counters/${c}/call-next`)));
    expect(calls.map((r) => r.status)).toEqual(calls.map(() => 200));
    const ids = calls.map((r) => (r.body as { ticket: { id: string } }).ticket.id);
    for (const action of ['serve', 'finish']) {
      const done = await Promise.all(ids.map((id) => desk.post(`/tickets/${id}/${action}`)));
      expect({ action, statuses: done.map((r) => r.status) }).toEqual({ action, statuses: ids.map(() => 200) });
    }
    await expectKeptIsTheQueue(b, 'a burst of calls and finishes');
    const numbers = BranchQueue.kept(b.id)!.tickets.map((t) => t.number);
    expect(new Set(numbers).size).toBe(numbers.length);
  });

  it('is read again when the stamp or the local day it names is not the branch\'s', async () => {
    const b = await makeBranch(api.ds, { counters: [['A']] });
    await client(api.url, b.kioskToken).post(`/branches/${b.id}/tickets`, { serviceId: b.services.A });
    const [{ queue_tx: stamp }] = await api.ds.query(`SELECT queue_tx::text FROM branch_event_seq WHERE branch_id = $1`, [b.id]);
    const day = BranchQueue.kept(b.id)!.day;
    const read = async (kept: { queueTx: string; day: string } | null) => {
      const { sql, params } = QueueRepository.queueStateRead(b.id, new Date(), kept);
      const [row] = await api.ds.query(sql, params);
      return { full: row.full as boolean, tickets: row.tickets as unknown[] | null };
    };
    expect(await read({ queueTx: stamp, day })).toEqual({ full: false, tickets: null });
    expect(await read(null)).toEqual({ full: true, tickets: [expect.any(Array)] });
    expect((await read({ queueTx: stamp, day: '2000-01-01' })).full).toBe(true);
    expect((await read({ queueTx: '1', day })).full).toBe(true);
    // A write to any table the queue read reads moves the stamp.
    await api.ds.query(`UPDATE counters SET name = name || ' ' WHERE id = $1`, [b.counters[0]]);
    expect((await read({ queueTx: stamp, day })).full).toBe(true);
  });
});
