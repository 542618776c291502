import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import type { Namespace } from 'socket.io';
import type { ClientToServerEvents, LiveEvent, ServerToClientEvents } from '@frontdesk/contracts';
import { toPublicEvent } from './event-projection';
import { oneWritePerSocket } from './direct-frames';
import { rooms } from './rooms';

type LiveNamespace = Namespace<ClientToServerEvents, ServerToClientEvents>;

/** Holds the /live namespace once the gateway is up; the one place domain events become socket messages. */
@Injectable()
export class LiveConnections implements BeforeApplicationShutdown {
  private readonly logger = new Logger(LiveConnections.name);
  private ns: LiveNamespace | null = null;

  attach(ns: LiveNamespace): void {
    this.ns = ns;
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

  /** Each socket gets the events of one call (a transaction's, a sweep's) in one write (oneWritePerSocket). */
  emit(events: LiveEvent[]): boolean {
    const ns = this.ns;
    if (!ns) return false;
    const send = () => {
      for (const e of events) {
        ns.to(rooms.staff(e.branchId)).emit('event', e);
        ns.to(rooms.display(e.branchId)).emit('event', toPublicEvent(e));
      }
    };
    // One event is one frame a socket: corking it would only add a buffered write per socket.
    if (events.length > 1) oneWritePerSocket(send);
    else send();
    return true;
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
