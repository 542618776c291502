import { EventStoreRepository, runBranchTransaction } from '@frontdesk/db';
import { makeBranch, type TestBranch } from '../test-support/factories';
import { liveClient, startApi, subscribe, waitFor, type TestApi } from '../test-support/test-app';

/**
 * Events the worker commits reach screens through the API's outbox sweep. With the sweep's timer set to ten
 * minutes here, only the worker's commit NOTIFY can bring them within the test's time.
 */
describe('events committed by another process are pushed on their NOTIFY', () => {
  let api: TestApi;
  let b: TestBranch;
  const store = () => new EventStoreRepository(api.ds);

  /** Commits one event the way the worker does (runBranchTransaction without publishesItself). */
  async function workerEvent(counterName: string, rollback = false): Promise<number> {
    const { events } = await runBranchTransaction(api.ds, store(), b.id, 'worker:test', async (tx) => {
      tx.record('counter.status_changed', {
        counter: { id: b.counters[0], name: counterName, services: [], status: 'open', pauseReason: null, userId: null, ticket: null },
        queue: [],
      });
      if (rollback) throw new Error('rolled back');
    });
    return events[0].seq;
  }

  beforeAll(async () => {
    api = await startApi({ OUTBOX_SWEEP_MS: '600000' });
    b = await makeBranch(api.ds, { counters: [['A']] });
    // The listener connects in the background at start-up.
    await waitFor(async () => (await api.ds.query(`SELECT 1 FROM pg_stat_activity WHERE application_name = 'frontdesk-api-events' AND query ILIKE 'LISTEN%'`)).length > 0, 10_000, 'the API listening');
  });
  afterAll(() => api.close());

  it('pushes a worker-committed event to subscribed screens at once, and nothing for a rolled-back one', async () => {
    const display = await liveClient(api.url, b.displayToken);
    const ack = await subscribe(display.socket, { branchId: b.id, view: 'display' });
    expect(ack.ok).toBe(true);

    await expect(workerEvent('never', true)).rejects.toThrow('rolled back');
    const seq = await workerEvent('Counter 1');
    const got = await waitFor(() => display.events.find((e) => e.seq === seq), 10_000, 'the worker event on the display');
    expect(got.type).toBe('counter.status_changed');
    // It was pushed, so the log says so (a later sweep will not push it again).
    const [row]: { published: boolean }[] = await api.ds.query(`SELECT published_at IS NOT NULL AS published FROM events WHERE branch_id = $1 AND seq = $2`, [b.id, seq]);
    expect(row.published).toBe(true);
    expect(display.events.filter((e) => e.seq === seq)).toHaveLength(1);
    display.socket.disconnect();
  });

  it('listens again after its connection is cut, and pushes what was committed meanwhile', async () => {
    const display = await liveClient(api.url, b.displayToken);
    expect((await subscribe(display.socket, { branchId: b.id, view: 'display' })).ok).toBe(true);

    // Postgres drops the listening connection (as in a restart); an event is committed before it is back.
    const [{ pid }]: { pid: number }[] = await api.ds.query(`SELECT pid FROM pg_stat_activity WHERE application_name = 'frontdesk-api-events'`);
    await api.ds.query(`SELECT pg_terminate_backend($1)`, [pid]);
    const missed = await workerEvent('Counter 1 (while not listening)');

    await waitFor(() => display.events.find((e) => e.seq === missed), 15_000, 'the event committed while the API was not listening');
    await waitFor(
      async () => (await api.ds.query(`SELECT 1 FROM pg_stat_activity WHERE application_name = 'frontdesk-api-events' AND pid <> $1 AND query ILIKE 'LISTEN%'`, [pid])).length > 0,
      10_000,
      'a new listening connection',
    );
    const next = await workerEvent('Counter 1 (listening again)');
    await waitFor(() => display.events.find((e) => e.seq === next), 10_000, 'the event after the reconnect');
    display.socket.disconnect();
  });
});
