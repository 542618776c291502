import { performance } from 'node:perf_hooks';
import type { Namespace } from 'socket.io';
import type { LiveEvent } from '@frontdesk/contracts';
import { FLUSH_GAP_MAX_MS, LiveConnections } from './live-connections.service';
import { SLICE_SOCKETS } from './room-broadcast';

/**
 * When events leave for the sockets. A namespace with socket.io's adapter internals a broadcast uses (its rooms and
 * `_encode`) and sockets that record each packet written to them, with the time (through socket.io's path: the fake
 * encodes no websocket frame). A write can be made slow, as one to a real display is: about 20 µs of kernel time on
 * this machine's loopback. One staff screen and `displays` lobby screens (one by default) in branch b1.
 */
function namespace(displays = 1) {
  const sent: { seq: number; room: string; socket: string; at: number }[] = [];
  /** The seqs of each message to the other instances. */
  const relayed: number[][] = [];
  let slowMs = 0;
  const roomMap = new Map<string, Set<string>>();
  const sockets = new Map<string, { rooms: Set<string>; client: { writeToEngine: (encoded: string[]) => void } }>();
  const join = (id: string, room: string) => {
    roomMap.set(room, (roomMap.get(room) ?? new Set()).add(id));
    sockets.set(id, {
      rooms: new Set([id, room]),
      client: {
        writeToEngine: (encoded) => {
          const until = performance.now() + slowMs;
          while (performance.now() < until);
          const [, e] = JSON.parse(encoded[0]) as [string, LiveEvent];
          sent.push({ seq: e.seq, room, socket: id, at: performance.now() });
        },
      },
    });
  };
  join('staff1', 'branch:b1:staff');
  for (let i = 1; i <= displays; i++) join(`display${i}`, 'branch:b1:display');
  const ns = {
    name: '/live',
    on: () => undefined,
    serverSideEmit: (_name: string, events: LiveEvent[]) => relayed.push(events.map((e) => e.seq)),
    adapter: { rooms: roomMap, _encode: (packet: { data: unknown }) => [JSON.stringify(packet.data)] },
    sockets,
  };
  const leave = (id: string) => {
    for (const members of roomMap.values()) members.delete(id);
    sockets.delete(id);
  };
  return { ns: ns as unknown as Namespace, sent, relayed, slow: (ms: number) => (slowMs = ms), leave };
}

const event = (seq: number): LiveEvent => ({ seq, branchId: 'b1', type: 'ticket.created', at: '2026-12-07T10:00:00.000Z', data: {} }) as unknown as LiveEvent;
const turn = () => new Promise((resolve) => setImmediate(resolve));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const displayed = (sent: { seq: number; room: string }[]) => sent.filter((s) => s.room.endsWith(':display')).map((s) => s.seq);
/** Turns of the event loop until `ok`; fails after 3 s instead of spinning for good. */
const sleepUntil = async (ok: () => boolean) => {
  const deadline = performance.now() + 3000;
  while (!ok()) {
    if (performance.now() > deadline) throw new Error('timed out waiting');
    await turn();
  }
};

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

  it(`writes a flush to many screens ${SLICE_SOCKETS} sockets a turn of the event loop, each socket once with all its events in order`, async () => {
    const { ns, sent } = namespace(2 * SLICE_SOCKETS + 10);
    const live = new LiveConnections();
    live.attach(ns);
    live.emit([event(1), event(2)]);
    await turn(); // the flush's first slice, then the loop goes on: requests and database replies are read here
    const first = new Set(sent.map((s) => s.socket));
    expect(first.size).toBe(SLICE_SOCKETS);
    expect(first.has('staff1')).toBe(true);
    live.emit([event(3)]); // waits for the flush being written
    await sleepUntil(() => sent.filter((s) => s.seq === 3).length === 2 * SLICE_SOCKETS + 11);
    const bySocket = new Map<string, number[]>();
    for (const s of sent) bySocket.set(s.socket, [...(bySocket.get(s.socket) ?? []), s.seq]);
    expect(bySocket.size).toBe(2 * SLICE_SOCKETS + 11);
    for (const seqs of bySocket.values()) expect(seqs).toEqual([1, 2, 3]);
  });

  it('skips a screen that disconnected while a flush was being written to the others', async () => {
    const { ns, sent, leave } = namespace(2 * SLICE_SOCKETS);
    const live = new LiveConnections();
    live.attach(ns);
    live.emit([event(1)]);
    await turn();
    leave(`display${2 * SLICE_SOCKETS}`);
    await sleepUntil(() => sent.length === 2 * SLICE_SOCKETS);
    await turn();
    expect(sent.map((s) => s.socket)).not.toContain(`display${2 * SLICE_SOCKETS}`);
    expect(sent.map((s) => s.socket)).toContain(`display${2 * SLICE_SOCKETS - 1}`);
  });

  it('runs an afterFlush callback (the seq beacon) only once the events queued before it have reached every screen', async () => {
    const { ns, sent } = namespace(2 * SLICE_SOCKETS);
    const live = new LiveConnections();
    live.attach(ns);
    const idle = jest.fn();
    live.afterFlush(idle);
    expect(idle).toHaveBeenCalledTimes(1); // nothing queued: at once

    live.emit([event(1)]);
    await turn(); // event 1 is being written
    live.emit([event(2)]);
    const reached: number[] = [];
    live.afterFlush(() => reached.push(sent.filter((s) => s.seq === 2).length, sent.filter((s) => s.seq === 1).length));
    await sleepUntil(() => reached.length > 0);
    expect(reached).toEqual([2 * SLICE_SOCKETS + 1, 2 * SLICE_SOCKETS + 1]);

    // Given while a flush is written and nothing else is queued: at its end.
    live.emit([event(3)]);
    await turn();
    const atEnd: number[] = [];
    live.afterFlush(() => atEnd.push(sent.filter((s) => s.seq === 3).length));
    await sleepUntil(() => atEnd.length > 0);
    expect(atEnd).toEqual([2 * SLICE_SOCKETS + 1]);
  });

  it('writes what is being written and what is queued at once when the API shuts down, and nothing after', async () => {
    const { ns, sent, relayed } = namespace(2 * SLICE_SOCKETS);
    const live = new LiveConnections();
    live.attach(ns);
    live.emit([event(1)]);
    await turn();
    live.emit([event(2)]);
    expect(sent.filter((s) => s.seq === 1).length).toBeLessThan(2 * SLICE_SOCKETS + 1);
    live.beforeApplicationShutdown();
    expect(sent.filter((s) => s.seq === 1).length).toBe(2 * SLICE_SOCKETS + 1);
    expect(sent.filter((s) => s.seq === 2).length).toBe(2 * SLICE_SOCKETS + 1);
    expect(relayed.flat()).toEqual([1, 2]);
    expect(live.emit([event(3)])).toBe(false);
    await turn();
    await turn();
    expect(sent.filter((s) => s.seq === 3)).toEqual([]);
    expect(sent.filter((s) => s.seq === 1).length).toBe(2 * SLICE_SOCKETS + 1);
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
