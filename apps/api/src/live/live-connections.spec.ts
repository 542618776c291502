import { performance } from 'node:perf_hooks';
import type { Namespace } from 'socket.io';
import type { LiveEvent } from '@frontdesk/contracts';
import { FLUSH_GAP_MAX_MS, LiveConnections } from './live-connections.service';

/**
 * When events leave for the sockets. A namespace that records each frame with the time it was written, and can be
 * made slow (as one with thousands of sockets is: about 20 µs of kernel time a write on this machine's loopback).
 */
function namespace() {
  const sent: { seq: number; room: string; at: number }[] = [];
  let slowMs = 0;
  const ns = {
    on: () => undefined,
    serverSideEmit: () => true,
    local: {
      to: (room: string) => ({
        emit: (_name: string, e: LiveEvent) => {
          const until = performance.now() + slowMs;
          while (performance.now() < until);
          sent.push({ seq: e.seq, room, at: performance.now() });
        },
      }),
    },
  };
  return { ns: ns as unknown as Namespace, sent, slow: (ms: number) => (slowMs = ms) };
}

const event = (seq: number): LiveEvent => ({ seq, branchId: 'b1', type: 'ticket.created', at: '2026-12-07T10:00:00.000Z', data: {} }) as unknown as LiveEvent;
const turn = () => new Promise((resolve) => setImmediate(resolve));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const displayed = (sent: { seq: number; room: string }[]) => sent.filter((s) => s.room.endsWith(':display')).map((s) => s.seq);

describe('LiveConnections: when committed events reach the screens', () => {
  it('sends an event in the same turn of the event loop as its commit when the API is idle, staff room and lobby', async () => {
    const { ns, sent } = namespace();
    const live = new LiveConnections();
    live.attach(ns);
    expect(live.emit([event(1)])).toBe(true);
    expect(sent).toEqual([]);
    await turn();
    expect(sent.map((s) => [s.seq, s.room])).toEqual([
      [1, 'branch:b1:staff'],
      [1, 'branch:b1:display'],
    ]);
  });

  it('after a slow broadcast, waits as long as it took and sends what came meanwhile together, in commit order', async () => {
    const { ns, sent, slow } = namespace();
    const live = new LiveConnections();
    live.attach(ns);
    slow(15); // each frame 15 ms: the broadcast of one event (two rooms) takes 30 ms
    live.emit([event(1)]);
    await turn();
    const firstEnded = sent[sent.length - 1].at;
    slow(0);
    live.emit([event(2)]);
    await turn();
    expect(displayed(sent)).toEqual([1]);
    live.emit([event(3), event(4)]);
    await sleep(60); // a timer due after the flush's: it runs after it however late both are
    expect(displayed(sent)).toEqual([1, 2, 3, 4]);
    const second = sent.filter((s) => s.seq >= 2);
    // Not before the first broadcast's 30 ms have passed again, and all three in one flush.
    expect(second[0].at - firstEnded).toBeGreaterThanOrEqual(28);
    expect(second[second.length - 1].at - second[0].at).toBeLessThan(5);
  });

  it(`never holds events back more than ${FLUSH_GAP_MAX_MS} ms, however long the broadcast before them took`, async () => {
    const { ns, sent, slow } = namespace();
    const live = new LiveConnections();
    live.attach(ns);
    slow(100); // 200 ms for one event
    live.emit([event(1)]);
    await turn();
    slow(0);
    const committed = performance.now();
    live.emit([event(2)]);
    await sleep(FLUSH_GAP_MAX_MS + 50);
    const at = sent.find((s) => s.seq === 2)?.at ?? Infinity;
    expect(at - committed).toBeGreaterThanOrEqual(FLUSH_GAP_MAX_MS - 2);
    // Uncapped it would wait the 200 ms the broadcast took; the margin is for a busy test machine's timers.
    expect(at - committed).toBeLessThan(FLUSH_GAP_MAX_MS + 90);
  });

  it('sends what is queued at once when asked (before the seq beacon) or when the API shuts down', async () => {
    const { ns, sent } = namespace();
    const live = new LiveConnections();
    live.attach(ns);
    live.emit([event(1)]);
    live.flush();
    expect(displayed(sent)).toEqual([1]);
    live.emit([event(2)]);
    live.beforeApplicationShutdown();
    expect(displayed(sent)).toEqual([1, 2]);
    expect(live.emit([event(3)])).toBe(false);
    await turn();
    expect(displayed(sent)).toEqual([1, 2]);
  });
});
