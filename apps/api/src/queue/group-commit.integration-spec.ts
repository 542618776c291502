import type { QueryRunner } from 'typeorm';
import type { TicketDto } from '@frontdesk/contracts';
import { branchBatchSize } from '../health/metrics';
import { makeBranch, login, type TestBranch } from '../test-support/factories';
import { client, liveClient, startApi, subscribe, waitFor, type TestApi } from '../test-support/test-app';

/**
 * A busy branch's changes commit together: while one transaction of the branch runs, the changes that arrive wait
 * in the API and the next transaction takes them all (BranchTransactions, runBranchBatch). Each must still behave
 * exactly as if it ran alone. The branch lock is held from outside so that the changes surely queue up behind it.
 */
describe('changes of a busy branch committed together (real Postgres)', () => {
  let api: TestApi;
  let b: TestBranch;
  let desk: ReturnType<typeof client>;
  let manager: ReturnType<typeof client>;
  let kiosk: ReturnType<typeof client>;
  let first: string;

  beforeAll(async () => {
    api = await startApi();
    b = await makeBranch(api.ds, { counters: Array.from({ length: 8 }, () => ['A']) });
    desk = client(api.url, await login(api.url, b.users.frontdesk));
    manager = client(api.url, await login(api.url, b.users.manager));
    kiosk = client(api.url, b.kioskToken);
    // The branch's first change creates its event seq row, which the holder below locks.
    const t = await kiosk.post(`/branches/${b.id}/tickets`, { serviceId: b.services.A });
    expect(t.status).toBe(201);
    first = t.body.id;
  });
  afterAll(() => api.close());

  /** Holds the branch lock while `send` fires its requests, until they all wait; then lets them through. */
  async function whileBusy<T>(send: () => Promise<T>[]): Promise<T[]> {
    const holder: QueryRunner = api.ds.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    await holder.query(`SELECT last_seq FROM branch_event_seq WHERE branch_id = $1 FOR UPDATE`, [b.id]);
    try {
      const pending = send();
      // The first change waits for the lock in Postgres, the others in the API behind it.
      await waitFor(async () => {
        const [{ n }] = await api.ds.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`);
        return n >= 1;
      }, 5000, 'a change waiting for the branch lock');
      await new Promise((r) => setTimeout(r, 300));
      await holder.commitTransaction();
      return await Promise.all(pending);
    } finally {
      if (holder.isTransactionActive) await holder.rollbackTransaction();
      await holder.release();
    }
  }

  /** Transactions of 5 to 8 changes so far (timers of the API, such as the hotline watch, commit alone). */
  const batchesOf5to8 = async () => {
    const m = await branchBatchSize.get();
    const bucket = (le: number) => m.values.find((v) => v.metricName === 'fdl_branch_transaction_changes_bucket' && v.labels.le === le)?.value ?? 0;
    return bucket(8) - bucket(4);
  };

  const eventsSince = async (seq: number): Promise<{ seq: string; type: string; actor: string; data: { ticket?: TicketDto } }[]> =>
    api.ds.query(`SELECT seq, type, actor, data FROM events WHERE branch_id = $1 AND seq > $2 ORDER BY seq`, [b.id, seq]);
  const lastSeq = async (): Promise<number> => Number((await api.ds.query(`SELECT last_seq FROM branch_event_seq WHERE branch_id = $1`, [b.id]))[0].last_seq);

  async function waitingTickets(n: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const r = await kiosk.post(`/branches/${b.id}/tickets`, { serviceId: b.services.A });
      expect(r.status).toBe(201);
      ids.push(r.body.id);
    }
    return ids;
  }

  async function clearCounters() {
    for (const c of b.counters) {
      const [row] = await api.ds.query(`SELECT current_ticket_id FROM counters WHERE id = $1`, [c]);
      if (row.current_ticket_id) expect((await desk.post(`/tickets/${row.current_ticket_id}/cancel`, {})).status).toBe(200);
    }
  }

  it('gives eight counters calling at once eight different tickets in one transaction, events in order under each caller', async () => {
    const waiting = await waitingTickets(8);
    const before = await batchesOf5to8();
    const seqBefore = await lastSeq();
    // A wall display gets the batch's events, written to it together (one write per socket), in seq order.
    const display = await liveClient(api.url, b.displayToken);
    expect((await subscribe(display.socket, { branchId: b.id, view: 'display', lastSeq: seqBefore })).ok).toBe(true);
    const results = await whileBusy(() => b.counters.map((c, i) => (i % 2 ? manager : desk).post<{ ticket: TicketDto }>(`/counters/${c}/call-next`)));

    expect(results.map((r) => r.status)).toEqual(Array(8).fill(200));
    const called = results.map((r) => r.body.ticket.id);
    expect(new Set(called).size).toBe(8);
    // The oldest waiting first, as alone: the ticket taken before these eight, then seven of them.
    expect(new Set(called)).toEqual(new Set([first, ...waiting.slice(0, 7)]));
    results.forEach((r, i) => expect(r.body.ticket.counterId).toBe(b.counters[i]));

    // The first change ran alone (it was waiting in Postgres); the seven behind it in one transaction.
    expect((await batchesOf5to8()) - before).toBe(1);

    const events = await eventsSince(seqBefore);
    expect(events.map((e) => Number(e.seq))).toEqual(events.map((_, i) => seqBefore + i + 1));
    const calls = events.filter((e) => e.type === 'ticket.called');
    await waitFor(() => display.events.length >= events.length, 5000, 'the display to get every event');
    expect(display.events.map((e) => e.seq)).toEqual(events.map((e) => Number(e.seq)));
    expect(display.events.filter((e) => e.type === 'ticket.called').map((e) => (e.data as { ticket: { number: string } }).ticket.number)).toEqual(
      calls.map((e) => e.data.ticket!.number),
    );
    display.socket.disconnect();
    expect(calls).toHaveLength(8);
    for (const e of calls) {
      const i = b.counters.indexOf(e.data.ticket!.counterId!);
      expect(e.actor).toContain(i % 2 ? b.users.manager : b.users.frontdesk);
    }
    // What the database holds is what the answers said.
    for (const r of results) {
      const [t] = await api.ds.query(`SELECT status, counter_id FROM tickets WHERE id = $1`, [r.body.ticket.id]);
      expect(t).toEqual({ status: 'called', counter_id: r.body.ticket.counterId });
    }
    await clearCounters();
  });

  it('fails a change that cannot be made exactly as alone, and still commits the others of its batch', async () => {
    const [spare] = await waitingTickets(3);
    const [c1, c2] = b.counters;
    const seqBefore = await lastSeq();
    const results = await whileBusy(() => [
      desk.post(`/counters/${c1}/call-next`),
      // The same counter again: it has a customer by then.
      desk.post(`/counters/${c1}/call-next`),
      // A waiting ticket cannot be served.
      desk.post(`/tickets/${spare}/serve`),
      desk.post(`/counters/${c2}/call-next`),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 409, 409]);
    expect(results[2].status).toBe(409);
    expect(results[2].body.message).toMatch(/serve/i);
    expect(results[3].status).toBe(200);
    const c1Answers = results.slice(0, 2).map((r) => r.status).sort();
    expect(c1Answers).toEqual([200, 409]);

    const rows: { id: string; current_ticket_id: string | null }[] = await api.ds.query(`SELECT id, current_ticket_id FROM counters WHERE id = ANY($1)`, [[c1, c2]]);
    const c1Ticket = results.slice(0, 2).find((r) => r.status === 200)!.body.ticket.id;
    expect(rows.find((r) => r.id === c1)!.current_ticket_id).toBe(c1Ticket);
    expect(rows.find((r) => r.id === c2)!.current_ticket_id).toBe(results[3].body.ticket.id);
    const [{ status }] = await api.ds.query(`SELECT status FROM tickets WHERE id = $1`, [spare]);
    expect(['waiting', 'called']).toContain(status);
    // Every change committed once: the batch that failed was made again, not applied twice.
    const events = await eventsSince(seqBefore);
    expect(events.filter((e) => e.type === 'ticket.called').map((e) => e.data.ticket!.counterId).sort()).toEqual([c1, c2].sort());
    expect(events.filter((e) => e.type.startsWith('ticket.') && e.type !== 'ticket.called')).toEqual([]);
    await clearCounters();
  });

  it('applies a request sent twice with one Idempotency-Key once, though both copies wait in the same batch', async () => {
    await waitingTickets(2);
    const [, , c3, c4] = b.counters;
    const key = desk.key();
    const results = await whileBusy(() => [desk.post(`/counters/${c4}/call-next`), desk.post(`/counters/${c3}/call-next`, undefined, key), desk.post(`/counters/${c3}/call-next`, undefined, key)]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(results[1].body).toEqual(results[2].body);
    expect([results[1], results[2]].filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(1);
    const [{ n }] = await api.ds.query(`SELECT count(*)::int AS n FROM tickets WHERE counter_id = $1 AND status = 'called'`, [c3]);
    expect(n).toBe(1);
    await clearCounters();
  });

  it('numbers tickets taken at once one after the other, and goes on from there', async () => {
    const [{ last_seq }] = await api.ds.query(`SELECT last_seq FROM ticket_day_sequences WHERE service_id = $1`, [b.services.A]);
    const results = await whileBusy(() => Array.from({ length: 12 }, () => kiosk.post<{ number: string }>(`/branches/${b.id}/tickets`, { serviceId: b.services.A })));
    expect(results.map((r) => r.status)).toEqual(Array(12).fill(201));
    const numbers = results.map((r) => r.body.number).sort();
    expect(numbers).toEqual(Array.from({ length: 12 }, (_, i) => `A${String(last_seq + i + 1).padStart(3, '0')}`));
    const next = await kiosk.post<{ number: string }>(`/branches/${b.id}/tickets`, { serviceId: b.services.A });
    expect(next.body.number).toBe(`A${String(last_seq + 13).padStart(3, '0')}`);
    const [{ n }] = await api.ds.query(`SELECT count(DISTINCT number)::int AS n FROM tickets WHERE service_id = $1`, [b.services.A]);
    expect(n).toBe(last_seq + 13);
  });
});
