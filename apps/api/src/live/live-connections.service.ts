import { performance } from 'node:perf_hooks';
import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import type { Namespace } from 'socket.io';
import type { ClientToServerEvents, LiveEvent, ServerToClientEvents } from '@frontdesk/contracts';
import { toPublicEvent } from './event-projection';
import { oneWritePerSocket } from './direct-frames';
import { rooms } from './rooms';

/** Between API instances (Socket.IO's server-side emit, through the Redis adapter): the events one instance emitted. */
interface InstanceEvents {
  [RELAY]: (events: LiveEvent[]) => void;
}
type LiveNamespace = Namespace<ClientToServerEvents, ServerToClientEvents, InstanceEvents>;

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
    this.flush();
    this.relayNow();
    this.ns = null;
  }

  /**
   * Sends the events of one call (a transaction's, a sweep's) to this instance's sockets, each socket getting them in
   * one write (oneWritePerSocket), and to the other instances (`relay`): they send them to theirs.
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
   * The order of events is kept.
   */
  private send(events: LiveEvent[]): void {
    this.pending.push(...events);
    if (this.scheduled) return;
    const wait = this.nextFlushAt - performance.now();
    if (wait >= 1) {
      const timer = setTimeout(() => this.flush(), wait);
      this.scheduled = () => clearTimeout(timer);
    } else {
      const immediate = setImmediate(() => this.flush());
      this.scheduled = () => clearImmediate(immediate);
    }
  }

  /** Sends what `send` queued; also called before anything else is written to the rooms (the gateway's seq beacon). */
  flush(): void {
    this.scheduled?.();
    this.scheduled = null;
    const events = this.pending;
    if (events.length === 0) return;
    this.pending = [];
    const local = this.ns?.local;
    if (!local) return;
    const started = performance.now();
    const send = () => {
      for (const e of events) {
        local.to(rooms.staff(e.branchId)).emit('event', e);
        local.to(rooms.display(e.branchId)).emit('event', toPublicEvent(e));
      }
    };
    // One event is one frame a socket: corking it would only add a buffered write per socket.
    if (events.length > 1) oneWritePerSocket(send);
    else send();
    const ended = performance.now();
    const took = ended - started;
    this.recent.push({ ended, took });
    this.recentBusy += took;
    while (this.recent[0].ended < ended - BUSY_WINDOW_MS) this.recentBusy -= (this.recent.shift() as { took: number }).took;
    this.nextFlushAt = this.recentBusy > BUSY_WINDOW_MS / 2 ? ended + Math.min(took, FLUSH_GAP_MAX_MS) : 0;
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
