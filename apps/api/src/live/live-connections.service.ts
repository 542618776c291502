import { performance } from 'node:perf_hooks';
import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import type { Namespace } from 'socket.io';
import type { ClientToServerEvents, LiveEvent, ServerToClientEvents } from '@frontdesk/contracts';
import { toPublicEvent } from './event-projection';
import { RoomBroadcast, SLICE_SOCKETS } from './room-broadcast';
import { rooms } from './rooms';

/** Between API instances (Socket.IO's server-side emit, through the Redis adapter): the events one instance emitted. */
interface InstanceEvents {
  [RELAY]: (events: LiveEvent[]) => void;
}
type LiveNamespace = Namespace<ClientToServerEvents, ServerToClientEvents, InstanceEvents>;

/** A flush being written: its broadcast, the time its slices took so far, and the `afterFlush` callbacks it ends. */
interface Flush {
  broadcast: RoomBroadcast;
  took: number;
  then: (() => void)[];
}

/** The longest a flush waits after a long one (see `send`): screens stay this close to live however many there are. */
export const FLUSH_GAP_MAX_MS = 100;
/** The window over which `send` judges whether broadcasting is busy (more than half of it spent flushing). */
export const BUSY_WINDOW_MS = 1000;

/** The server-side event that carries one emit's events to the other API instances. */
export const RELAY = 'fdl:events';

/** Holds the /live namespace once the gateway is up; the one place domain events become socket messages. */
@Injectable()
export class LiveConnections implements BeforeApplicationShutdown {
  private readonly logger = new Logger(LiveConnections.name);
  private ns: LiveNamespace | null = null;
  /** Events waiting for `flush`, and the scheduled flush. */
  private pending: LiveEvent[] = [];
  /** Cancels the scheduled flush; null when none is. */
  private scheduled: (() => void) | null = null;
  /** When (performance.now()) the next flush may start: as long after the last one as it took, when broadcasts are busy. */
  private nextFlushAt = 0;
  /** The flushes of the last BUSY_WINDOW_MS (when each ended, how long it took) and their total. */
  private recent: { ended: number; took: number }[] = [];
  private recentBusy = 0;
  /** This instance's events waiting for `relayNow`, and its scheduled call (null when none is). */
  private relayPending: LiveEvent[] = [];
  private relayScheduled: NodeJS.Immediate | null = null;
  /** The flush being written, a slice a turn; null when none is. */
  private writing: Flush | null = null;
  /** `afterFlush` callbacks for the events queued when they were given: run at the end of the flush that takes them. */
  private waiting: (() => void)[] = [];

  attach(ns: Namespace<ClientToServerEvents, ServerToClientEvents>): void {
    const live = ns as unknown as LiveNamespace;
    this.ns = live;
    // Another instance's events, for this instance's sockets (the adapter skips the sender's own).
    live.on(RELAY, (events) => {
      if (this.ns) this.send(events);
    });
  }

  get namespace(): LiveNamespace | null {
    return this.ns;
  }

  /**
   * Nest closes the Socket.IO server and its Redis clients after this hook: an event committed by a request still
   * finishing would otherwise publish on a closed connection (an unhandled "Connection is closed"). Screens get
   * such an event from the log through another instance's sweep or their next resubscribe.
   */
  beforeApplicationShutdown(): void {
    this.flushAll();
    this.relayNow();
    this.ns = null;
  }

  /**
   * Sends the events of one call (a transaction's, a sweep's) to this instance's sockets (`send`) and to the other
   * instances (`relay`): they send them to theirs.
   */
  emit(events: LiveEvent[]): boolean {
    if (!this.ns) return false;
    this.send(events);
    this.relay(events);
    return true;
  }

  /**
   * To the other instances, as one Redis message (Socket.IO's server-side emit) for all the events emitted in this
   * turn of the event loop: it leaves in the next check phase (`setImmediate`), never waiting as `send`'s flushes may.
   * A broadcast through the adapter would publish once per room and event (two an event: staff and lobby), each
   * encoded with its packet; a message per emit would cost a PUBLISH, its reply and its echo to every instance
   * (the sender too: the adapter drops its own) for each request, and on this VM each of those writes wakes a
   * process. Under load a turn ends many requests' transactions, and their events share one message.
   */
  private relay(events: LiveEvent[]): void {
    this.relayPending.push(...events);
    this.relayScheduled ??= setImmediate(() => this.relayNow());
  }

  private relayNow(): void {
    if (this.relayScheduled) clearImmediate(this.relayScheduled);
    this.relayScheduled = null;
    const events = this.relayPending;
    if (events.length === 0) return;
    this.relayPending = [];
    // Run from the event loop, not from the request that committed them: a throw here would end the process. The
    // other instances' screens then learn the seq from their beacon and replay the events from the log.
    try {
      this.ns?.serverSideEmit(RELAY, events);
    } catch (err) {
      this.logger.warn(`could not relay ${events.length} event(s) to the other instances: ${String(err)}`);
    }
  }

  /**
   * To this instance's sockets in the branches' staff and lobby rooms (`local`: the adapter publishes nothing), not at
   * once but in a flush: events committed before it reach each socket together, in one write. A write costs about the
   * same for one frame or several (on this VM's loopback about 20 µs in the kernel, most of the API's time with
   * 3,000 displays), so the more events a flush carries the fewer writes each costs.
   *
   * An API whose broadcasts are short flushes in the loop's next check phase (`setImmediate`), microseconds after the
   * commit. Once broadcasting has taken more than half of the last second (3,000 displays at 20 events a second: a
   * whole core of writes), each flush that took `d` ms is followed by a wait until `d` ms have passed since it ended,
   * at most FLUSH_GAP_MAX_MS: broadcasting then takes about half the loop's time, the other half is the requests', and
   * the events of the gap leave together. With 1,000 displays at 20 a second (a third of the loop) no event waits.
   * Events that come while a flush is being written wait for it to end. The order of events is kept.
   */
  private send(events: LiveEvent[]): void {
    this.pending.push(...events);
    if (this.scheduled || this.writing) return;
    const wait = this.nextFlushAt - performance.now();
    if (wait >= 1) {
      const timer = setTimeout(() => this.flush(), wait);
      this.scheduled = () => clearTimeout(timer);
    } else {
      const immediate = setImmediate(() => this.flush());
      this.scheduled = () => clearImmediate(immediate);
    }
  }

  /**
   * Starts writing what `send` queued, SLICE_SOCKETS sockets a turn of the event loop (RoomBroadcast): a flush to
   * thousands of displays takes tens of milliseconds, and the requests and database replies that come meanwhile are
   * handled between its slices instead of after it. Does nothing while a flush is being written: its end starts the next.
   */
  flush(): void {
    this.scheduled?.();
    this.scheduled = null;
    if (this.writing || this.pending.length === 0 || !this.ns) return this.settle();
    const events = this.pending;
    this.pending = [];
    const broadcast = new RoomBroadcast(this.ns);
    for (const e of events) {
      broadcast.add(rooms.staff(e.branchId), 'event', e);
      broadcast.add(rooms.display(e.branchId), 'event', toPublicEvent(e));
    }
    if (broadcast.empty) return this.settle();
    this.writing = { broadcast, took: 0, then: this.waiting };
    this.waiting = [];
    this.writeSlice(this.writing, SLICE_SOCKETS);
  }

  /**
   * Runs `fn` once every event queued now has been written to every socket (at once when none is queued or being
   * written), starting their flush if it waits. The gateway's seq beacon goes this way: a beacon ahead of the events
   * it counts would send screens to resubscribe.
   */
  afterFlush(fn: () => void): void {
    if (!this.writing && this.pending.length === 0) return fn();
    this.waiting.push(fn);
    if (!this.writing) this.flush();
  }

  private writeSlice(flush: Flush, budget: number): void {
    if (this.writing !== flush) return;
    const started = performance.now();
    const done = flush.broadcast.write(budget);
    const ended = performance.now();
    flush.took += ended - started;
    this.recent.push({ ended, took: ended - started });
    this.recentBusy += ended - started;
    while (this.recent[0].ended < ended - BUSY_WINDOW_MS) this.recentBusy -= (this.recent.shift() as { took: number }).took;
    if (!done) {
      setImmediate(() => this.writeSlice(flush, SLICE_SOCKETS));
      return;
    }
    this.writing = null;
    this.nextFlushAt = this.recentBusy > BUSY_WINDOW_MS / 2 ? ended + Math.min(flush.took, FLUSH_GAP_MAX_MS) : 0;
    for (const fn of flush.then) this.run(fn);
    if (this.pending.length) {
      const events = this.pending;
      this.pending = [];
      this.send(events);
    }
    this.settle();
  }

  /** Runs the `afterFlush` callbacks once nothing is queued or being written. */
  private settle(): void {
    if (this.writing || this.pending.length || this.waiting.length === 0) return;
    const waiting = this.waiting;
    this.waiting = [];
    for (const fn of waiting) this.run(fn);
  }

  private run(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.logger.warn(`a callback after a flush failed: ${String(err)}`);
    }
  }

  /** Writes what is being written and what is queued now, without yielding (shutdown). */
  private flushAll(): void {
    while (this.writing || this.pending.length) {
      if (this.writing) this.writeSlice(this.writing, Infinity);
      else this.flush();
      if (!this.ns) break;
    }
  }

  async disconnectDevice(deviceId: string, reason: string): Promise<void> {
    if (!this.ns) return;
    try {
      this.ns.to(rooms.device(deviceId)).emit('revoked', { reason });
      this.ns.in(rooms.device(deviceId)).disconnectSockets(true);
    } catch (err) {
      this.logger.warn(`could not disconnect device ${deviceId}: ${String(err)}`);
    }
  }
}
