import type { SubscribeAck, SubscribeRequest } from '@frontdesk/contracts';
import type { DisplayQueueState, QueueEvent } from './live-queue-state';
import { LiveQueueSync, LiveSync, SEQ_ONLY_FOLD, type SequencedEvent } from './live-queue-sync';
import { BRANCH, calledEvent, replayAck, snapshotAck } from './live-queue.fixtures';

/** A server we control: each subscribe waits until the test answers it. */
function fakeServer() {
  const requests: SubscribeRequest[] = [];
  const pending: ((ack: SubscribeAck) => void)[] = [];
  return {
    requests,
    transport: {
      subscribe: (request: SubscribeRequest) =>
        new Promise<SubscribeAck>((resolve) => {
          requests.push(request);
          pending.push(resolve);
        }),
    },
    async answer(ack: SubscribeAck) {
      const resolve = pending.shift();
      if (!resolve) {
        throw new Error('no subscribe waiting for an answer');
      }
      resolve(ack);
      await Promise.resolve();
      await Promise.resolve();
    },
  };
}

function setup() {
  const server = fakeServer();
  const states: DisplayQueueState[] = [];
  const events: [number, string][] = [];
  const sync = new LiveQueueSync<DisplayQueueState>(BRANCH, 'display', server.transport, {
    onState: (s) => states.push(s),
    onEvent: (e: QueueEvent, source) => events.push([e.seq, source]),
  });
  return { server, sync, states, events, latest: () => states[states.length - 1] };
}

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

describe('keeping a screen in step with the event stream', () => {
  it('starts from the snapshot and applies the next events in order', async () => {
    const { server, sync, latest, events } = setup();
    sync.handleConnect();
    expect(server.requests[0]).toEqual({ branchId: BRANCH, view: 'display' });
    await server.answer(snapshotAck(10));
    sync.handleEvent(calledEvent(11, 'A001'));
    sync.handleEvent(calledEvent(12, 'A002'));
    expect(latest()?.seq).toBe(12);
    expect(events).toEqual([
      [11, 'live'],
      [12, 'live'],
    ]);
  });

  it('ignores duplicates', async () => {
    const { server, sync, events } = setup();
    sync.handleConnect();
    await server.answer(snapshotAck(10));
    sync.handleEvent(calledEvent(11, 'A001'));
    sync.handleEvent(calledEvent(11, 'A001'));
    sync.handleEvent(calledEvent(9, 'A000'));
    expect(events).toEqual([[11, 'live']]);
  });

  it('holds an early event for the missing one and applies both in order when it arrives', async () => {
    const { server, sync, events, latest } = setup();
    sync.handleConnect();
    await server.answer(snapshotAck(10));
    sync.handleEvent(calledEvent(12, 'A002'));
    expect(latest()?.seq).toBe(10);
    jest.advanceTimersByTime(300);
    sync.handleEvent(calledEvent(11, 'A001'));
    expect(events.map(([seq]) => seq)).toEqual([11, 12]);
    jest.advanceTimersByTime(1000);
    expect(server.requests).toHaveLength(1);
  });

  it('after ~500 ms without the missing event, resubscribes with lastSeq and applies the replay', async () => {
    const { server, sync, events, latest } = setup();
    sync.handleConnect();
    await server.answer(snapshotAck(10));
    sync.handleEvent(calledEvent(13, 'A003'));
    jest.advanceTimersByTime(499);
    expect(server.requests).toHaveLength(1);
    jest.advanceTimersByTime(1);
    expect(server.requests[1]).toEqual({ branchId: BRANCH, view: 'display', lastSeq: 10 });
    await server.answer(replayAck(13, [calledEvent(11, 'A001'), calledEvent(12, 'A002'), calledEvent(13, 'A003')]));
    expect(latest()?.seq).toBe(13);
    expect(latest()?.recentCalls.map((t) => t.number)).toEqual(['A003', 'A002', 'A001']);
    expect(events).toEqual([
      [11, 'replay'],
      [12, 'replay'],
      [13, 'replay'],
    ]);
  });

  it('a sync beacon still ahead of us after a short grace triggers a catch-up; one level with us does not', async () => {
    const { server, sync } = setup();
    sync.handleConnect();
    await server.answer(snapshotAck(10));
    sync.handleSync({ branchId: BRANCH, seq: 10 });
    expect(server.requests).toHaveLength(1);
    sync.handleSync({ branchId: BRANCH, seq: 14 });
    expect(server.requests).toHaveLength(1);
    jest.advanceTimersByTime(1_000);
    expect(server.requests[1]).toEqual({ branchId: BRANCH, view: 'display', lastSeq: 10 });
  });

  it('does not resubscribe when the event the beacon announced arrives within the grace', async () => {
    const { server, sync, latest } = setup();
    sync.handleConnect();
    await server.answer(snapshotAck(10));
    sync.handleSync({ branchId: BRANCH, seq: 11 });
    sync.handleEvent(calledEvent(11, 'A001'));
    jest.advanceTimersByTime(1_000);
    expect(server.requests).toHaveLength(1);
    expect(latest()?.seq).toBe(11);
  });

  it('after a reconnect it resubscribes from lastSeq, and events that raced the ack are not lost', async () => {
    const { server, sync, latest } = setup();
    sync.handleConnect();
    await server.answer(snapshotAck(10));
    sync.handleDisconnect();
    sync.handleConnect();
    expect(server.requests[1]?.lastSeq).toBe(10);
    sync.handleEvent(calledEvent(13, 'A003'));
    await server.answer(replayAck(12, [calledEvent(11, 'A001'), calledEvent(12, 'A002')]));
    expect(latest()?.seq).toBe(13);
  });

  it('falls back to a full snapshot when the replay has a hole', async () => {
    const { server, sync, latest } = setup();
    sync.handleConnect();
    await server.answer(snapshotAck(10));
    sync.handleSync({ branchId: BRANCH, seq: 13 });
    jest.advanceTimersByTime(1_000);
    await server.answer(replayAck(13, [calledEvent(11, 'A001'), calledEvent(13, 'A003')]));
    expect(server.requests[2]).toEqual({ branchId: BRANCH, view: 'display' });
    await server.answer(snapshotAck(13));
    expect(latest()?.seq).toBe(13);
  });

  it('ignores answers to a subscribe that a disconnect made stale', async () => {
    const { server, sync, states } = setup();
    sync.handleConnect();
    sync.handleDisconnect();
    await server.answer(snapshotAck(10));
    expect(states).toHaveLength(0);
  });

  it('retries later when the server refuses', async () => {
    const errors: string[] = [];
    const server = fakeServer();
    const sync = new LiveQueueSync<DisplayQueueState>(
      BRANCH,
      'display',
      server.transport,
      { onState: () => undefined, onError: (e) => errors.push(e.message) },
      { errorRetryMs: 1000 },
    );
    sync.handleConnect();
    await server.answer({ ok: false, error: { statusCode: 403, error: 'Forbidden', message: 'wrong branch' } });
    expect(errors).toEqual(['wrong branch']);
    jest.advanceTimersByTime(1000);
    expect(server.requests).toHaveLength(2);
  });

  it('ignores other branches', async () => {
    const { server, sync, events } = setup();
    sync.handleConnect();
    await server.answer(snapshotAck(10));
    sync.handleEvent({ ...calledEvent(11, 'A001'), branchId: 'other' });
    expect(events).toHaveLength(0);
  });

  it('with a seq-only fold, hands a screen its own events in order and says when it must reload from scratch', async () => {
    const server = fakeServer();
    const seen: number[] = [];
    let snapshots = 0;
    const sync = new LiveSync<{ seq: number }, SequencedEvent & { type: string }>(
      BRANCH,
      'staff',
      server.transport,
      { onState: () => undefined, onEvent: (e) => seen.push(e.seq), onSnapshot: () => (snapshots += 1) },
      {},
      SEQ_ONLY_FOLD,
    );
    sync.handleConnect();
    await server.answer(snapshotAck(10));
    expect(snapshots).toBe(1);
    sync.handleEvent({ seq: 12, branchId: BRANCH, type: 'repair.status_changed' });
    sync.handleEvent({ seq: 11, branchId: BRANCH, type: 'repair.created' });
    expect(seen).toEqual([11, 12]);
    expect(sync.lastSeq).toBe(12);
    expect(snapshots).toBe(1);
  });
});
