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
  /** The seqs of each message to the other instances. */
  const relayed: number[][] = [];
  let slowMs = 0;
  const ns = {
    on: () => undefined,
    serverSideEmit: (_name: string, events: LiveEvent[]) => relayed.push(events.map((e) => e.seq)),
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
  return { ns: ns as unknown as Namespace, sent, relayed, slow: (ms: number) => (slowMs = ms) };
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

  it('keeps sending at once after broadcasts that take less than half of the last second', async () => {
    const { ns, sent, slow } = namespace();
    const live = new LiveConnections();
    live.attach(ns);
    slow(100); // 200 ms a broadcast of one event (two rooms)
    live.emit([event(1)]);
    await turn();
    live.emit([event(2)]);
    await turn();
    expect(displayed(sent)).toEqual([1, 2]);
  });

  it(`once broadcasting took more than half of the last second, waits after each as long as it took (at most ${FLUSH_GAP_MAX_MS} ms) and sends what came meanwhile together, in commit order`, async () => {
    const { ns, sent, slow } = namespace();
    const live = new LiveConnections();
    live.attach(ns);
    slow(20); // 40 ms a broadcast
    for (let seq = 1; seq <= 15; seq++) {
      live.emit([event(seq)]);
      while (displayed(sent).length < seq) await turn();
    }
    // 15 × 40 ms > half of BUSY_WINDOW_MS: the next flush waits 40 ms after the last ended.
    const lastEnded = sent[sent.length - 1].at;
    slow(0);
    live.emit([event(16)]);
    await turn();
    expect(displayed(sent)).toHaveLength(15);
    live.emit([event(17), event(18)]);
    await sleep(60); // a timer due after the flush's: it runs after it however late both are
    expect(displayed(sent).slice(15)).toEqual([16, 17, 18]);
    const gap = sent.filter((s) => s.seq >= 16);
    expect(gap[0].at - lastEnded).toBeGreaterThanOrEqual(38);
    expect(gap[gap.length - 1].at - gap[0].at).toBeLessThan(5);

    // A broadcast longer than the cap: the one after it waits the cap, not its length.
    slow(150); // 300 ms
    live.emit([event(19)]);
    await sleep(50);
    slow(0);
    const committed = performance.now();
    live.emit([event(20)]);
    await sleep(FLUSH_GAP_MAX_MS + 50);
    const at = sent.find((s) => s.seq === 20)?.at ?? Infinity;
    expect(at - committed).toBeGreaterThanOrEqual(FLUSH_GAP_MAX_MS - 2);
    // Uncapped it would wait the 300 ms the broadcast took; the margin is for a busy test machine's timers.
    expect(at - committed).toBeLessThan(FLUSH_GAP_MAX_MS + 90);
  });

  it('sends what is queued at once when asked (before the seq beacon) or when the API shuts down', async () => {
    const { ns, sent, relayed } = namespace();
    const live = new LiveConnections();
    live.attach(ns);
    live.emit([event(1)]);
    live.flush();
    expect(displayed(sent)).toEqual([1]);
    live.emit([event(2)]);
    live.beforeApplicationShutdown();
    expect(displayed(sent)).toEqual([1, 2]);
    expect(relayed.flat()).toEqual([1, 2]);
    expect(live.emit([event(3)])).toBe(false);
    await turn();
    expect(displayed(sent)).toEqual([1, 2]);
  });

  it('relays the events of one turn to the other instances in one message, in commit order, without waiting for a busy broadcast', async () => {
    const { ns, relayed, slow, sent } = namespace();
    const live = new LiveConnections();
    live.attach(ns);
    live.emit([event(1)]);
    live.emit([event(2), event(3)]);
    expect(relayed).toEqual([]);
    await turn();
    expect(relayed).toEqual([[1, 2, 3]]);

    // Busy broadcasting (as above): the sockets' flush waits, the relay does not.
    slow(20);
    for (let seq = 4; seq <= 18; seq++) {
      live.emit([event(seq)]);
      while (displayed(sent).length < seq) await turn();
    }
    slow(0);
    relayed.length = 0;
    live.emit([event(19)]);
    await turn();
    expect(relayed).toEqual([[19]]);
    expect(displayed(sent)).not.toContain(19);
  });

  it('relays nothing it received from another instance: those are only sent to its own sockets', async () => {
    let onRelay: ((events: LiveEvent[]) => void) | undefined;
    const { ns, relayed, sent } = namespace();
    (ns as unknown as { on: (name: string, fn: (events: LiveEvent[]) => void) => void }).on = (_name, fn) => (onRelay = fn);
    const live = new LiveConnections();
    live.attach(ns);
    onRelay?.([event(7)]);
    await turn();
    expect(displayed(sent)).toEqual([7]);
    expect(relayed).toEqual([]);
  });

  it('keeps going when the relay cannot publish (it runs from the event loop, where a throw would end the process)', async () => {
    const { ns, relayed, sent } = namespace();
    let failing = true;
    const publish = (ns as unknown as { serverSideEmit: (name: string, events: LiveEvent[]) => void }).serverSideEmit;
    (ns as unknown as { serverSideEmit: (name: string, events: LiveEvent[]) => void }).serverSideEmit = (name, events) => {
      if (failing) throw new Error('Connection is closed.');
      publish(name, events);
    };
    const live = new LiveConnections();
    live.attach(ns);
    const warn = jest.spyOn((live as unknown as { logger: { warn: (m: string) => void } }).logger, 'warn').mockImplementation(() => undefined);
    live.emit([event(1)]);
    await turn();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('could not relay 1 event(s)'));
    expect(displayed(sent)).toEqual([1]);
    failing = false;
    live.emit([event(2)]);
    await turn();
    expect(relayed).toEqual([[2]]);
  });
});
