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

/** The server-side event that carries one emit's events to the other API instances. */
export const RELAY = 'fdl:events';

/** Holds the /live namespace once the gateway is up; the one place domain events become socket messages. */
@Injectable()
export class LiveConnections implements BeforeApplicationShutdown {
  private readonly logger = new Logger(LiveConnections.name);
  private ns: LiveNamespace | null = null;

  attach(ns: Namespace<ClientToServerEvents, ServerToClientEvents>): void {
    const live = ns as unknown as LiveNamespace;
    this.ns = live;
    // Another instance's events, for this instance's sockets (the adapter skips the sender's own).
    live.on(RELAY, (events) => {
      if (this.ns) this.send(this.ns, events);
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
    this.ns = null;
  }

  /**
   * Sends the events of one call (a transaction's, a sweep's) to this instance's sockets, each socket getting them in
   * one write (oneWritePerSocket), and to the other instances as one Redis message: they send them to theirs. A
   * broadcast through the adapter would publish once per room and event (two an event: staff and lobby), each encoded
   * with its packet.
   */
  emit(events: LiveEvent[]): boolean {
    const ns = this.ns;
    if (!ns) return false;
    this.send(ns, events);
    ns.serverSideEmit(RELAY, events);
    return true;
  }

  /** To this instance's sockets in the branches' staff and lobby rooms (`local`: the adapter publishes nothing). */
  private send(ns: LiveNamespace, events: LiveEvent[]): void {
    const local = ns.local;
    const send = () => {
      for (const e of events) {
        local.to(rooms.staff(e.branchId)).emit('event', e);
        local.to(rooms.display(e.branchId)).emit('event', toPublicEvent(e));
      }
    };
    // One event is one frame a socket: corking it would only add a buffered write per socket.
    if (events.length > 1) oneWritePerSocket(send);
    else send();
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
