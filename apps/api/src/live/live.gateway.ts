import { Inject, Logger, OnApplicationShutdown } from '@nestjs/common';
import { OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import {
  LIVE_NAMESPACE,
  SubscribeSchema,
  type ClientToServerEvents,
  type ErrorBody,
  type LiveView,
  type Principal,
  type ServerToClientEvents,
  type SubscribeAck,
} from '@frontdesk/contracts';
import { canAccessBranch } from '../auth/branch-access';
import { TokenService } from '../auth/token.service';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { zodDetails } from '../common/http-exception.filter';
import { QueueRepository, EventStoreRepository } from '@frontdesk/db';
import { QueueSnapshotService } from '../queue/queue-snapshot.service';
import { liveSockets } from '../health/metrics';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { toPublicEvent } from './event-projection';
import { LiveConnections } from './live-connections.service';
import { rooms } from './rooms';
import { useDirectFrames } from './direct-frames';

type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, { principal: Principal | null }>;

/** Replays up to this many missed events; a screen further behind gets a fresh snapshot instead. */
export const MAX_REPLAY = 500;

type Ack = (response: unknown) => void;

/**
 * A message's arguments as Nest's IoAdapter hands them to a handler: a trailing function is the ack, one argument is
 * the body, several are an array of them.
 */
function splitArgs(args: unknown[]): { body: unknown; ack: Ack | undefined } {
  const ack = typeof args[args.length - 1] === 'function' ? (args.pop() as Ack) : undefined;
  return { body: args.length > 1 ? args : args[0], ack };
}

function fail(statusCode: number, message: string, details?: ErrorBody['details']): SubscribeAck {
  const error = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 503: 'Service Unavailable' }[statusCode] ?? 'Error';
  return { ok: false, error: { statusCode, error, message, ...(details ? { details } : {}) } };
}

@WebSocketGateway({ namespace: LIVE_NAMESPACE })
export class LiveGateway implements OnGatewayInit, OnApplicationShutdown {
  private readonly logger = new Logger(LiveGateway.name);
  private syncTimer: NodeJS.Timeout | null = null;
  private ns!: Namespace<ClientToServerEvents, ServerToClientEvents>;

  constructor(
    private readonly tokens: TokenService,
    private readonly live: LiveConnections,
    private readonly store: EventStoreRepository,
    private readonly snapshots: QueueSnapshotService,
    private readonly queue: QueueRepository,
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  afterInit(ns: Namespace<ClientToServerEvents, ServerToClientEvents>): void {
    this.ns = ns;
    this.live.attach(ns);
    // Authenticate at the handshake: a bad token is refused; no token is allowed only for ticket tracking.
    ns.use((socket, next) => {
      const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
      if (token !== undefined && typeof token !== 'string') return next(new Error('unauthorized: auth.token must be a string'));
      this.tokens
        .resolve(token)
        .then((principal) => {
          if (token && !principal) return next(new Error('unauthorized: the token is invalid, expired or revoked'));
          (socket as LiveSocket).data.principal = principal;
          next();
        })
        .catch(() => next(new Error('service unavailable: try again')));
    });
    ns.on('connection', (socket: LiveSocket) => this.onConnection(socket));
    this.syncTimer = setInterval(() => void this.sendSync(), this.config.SYNC_INTERVAL_MS);
    this.syncTimer.unref();
  }

  onApplicationShutdown(): void {
    if (this.syncTimer) clearInterval(this.syncTimer);
  }

  /**
   * A display holds its socket for days and a branch may have thousands, so a socket carries no state of its own here:
   * the listeners are the same three functions for every socket (EventEmitter calls them with `this` = the socket).
   * Nest's @SubscribeMessage would build rxjs pipelines per socket and handler (about 11 KB a socket, measured with heap snapshots).
   */
  private readonly listeners: Record<'subscribe' | 'unsubscribe' | 'disconnect', (...args: unknown[]) => void> = ((gateway: LiveGateway) => ({
    subscribe: function (this: LiveSocket, ...args: unknown[]): void {
      gateway.answer(args, (body) => gateway.subscribe(this, body));
    },
    unsubscribe: function (this: LiveSocket, ...args: unknown[]): void {
      gateway.answer(args, (body) => gateway.unsubscribe(this, body));
    },
    disconnect: (): void => {
      liveSockets.dec();
    },
  }))(this);

  private answer(args: unknown[], handle: (body: unknown) => Promise<unknown>): void {
    const { body, ack } = splitArgs(args);
    handle(body).then(
      (response) => ack?.(response),
      (err: unknown) => {
        this.logger.error(`live message failed: ${String(err)}`);
        ack?.(fail(503, 'the server could not answer right now; retry in a moment'));
      },
    );
  }

  private onConnection(socket: LiveSocket): void {
    liveSockets.inc();
    useDirectFrames(socket);
    socket.once('disconnect', this.listeners.disconnect);
    socket.on('subscribe', this.listeners.subscribe);
    socket.on('unsubscribe', this.listeners.unsubscribe);
    const p = socket.data.principal;
    if (p?.kind === 'device') void socket.join(rooms.device(p.deviceId));
    if (p?.kind === 'user') void socket.join(rooms.user(p.userId));
  }

  async subscribe(socket: LiveSocket, body: unknown): Promise<SubscribeAck> {
    const parsed = SubscribeSchema.safeParse(body);
    if (!parsed.success) {
      const details = zodDetails(parsed.error);
      return fail(400, details.map((d) => `${d.path}: ${d.message}`).join('; '), details);
    }
    const req = parsed.data;
    try {
      const target = await this.authorise(socket.data.principal, req.view, req.branchId, req.ticketId);
      if ('ok' in target) return target;
      const { branchId, room, view } = target;
      // Join before reading so nothing committed in between is missed; the client drops duplicates by seq.
      await socket.join(room);
      return await this.catchUp(branchId, view, req.lastSeq);
    } catch (err) {
      this.logger.warn(`subscribe failed: ${String(err)}`);
      return fail(503, 'the server could not read the queue right now; retry in a moment');
    }
  }

  async unsubscribe(socket: LiveSocket, body: unknown): Promise<{ ok: boolean }> {
    const branchId = (body as { branchId?: unknown } | null | undefined)?.branchId;
    if (typeof branchId !== 'string') return { ok: false };
    await socket.leave(rooms.staff(branchId));
    await socket.leave(rooms.display(branchId));
    return { ok: true };
  }

  private async authorise(
    p: Principal | null,
    view: LiveView,
    branchId: string | undefined,
    ticketId: string | undefined,
  ): Promise<{ branchId: string; room: string; view: LiveView } | SubscribeAck> {
    if (view === 'track') {
      if (!ticketId) return fail(400, 'ticketId: is required for the track view', [{ path: 'ticketId', message: 'is required for the track view' }]);
      const t = await this.queue.ticket(this.ds.manager, ticketId);
      if (!t) return fail(404, `ticket ${ticketId} not found`);
      return { branchId: t.branchId, room: rooms.display(t.branchId), view: 'track' };
    }
    if (!branchId) return fail(400, 'branchId: is required', [{ path: 'branchId', message: 'is required' }]);
    if (!p) return fail(401, 'sign in first: connect with auth.token');
    if (!canAccessBranch(p, branchId)) return fail(403, 'you have no access to this branch');
    if (view === 'display') return { branchId, room: rooms.display(branchId), view };
    if (p.kind === 'device') return fail(403, `a ${p.deviceKind} may subscribe to the display view only`);
    if (view === 'manager' && p.role !== 'manager' && p.role !== 'admin') return fail(403, 'the manager view is for managers');
    return { branchId, room: rooms.staff(branchId), view };
  }

  private async catchUp(branchId: string, view: LiveView, lastSeq: number | undefined): Promise<SubscribeAck> {
    const lobby = view === 'display' || view === 'track';
    if (lastSeq !== undefined) {
      const current = (await this.store.lastSeqs([branchId])).get(branchId) ?? 0;
      if (lastSeq <= current) {
        const { events, more } = await this.store.since(branchId, lastSeq, MAX_REPLAY);
        if (!more) {
          const seq = events.length ? events[events.length - 1].seq : lastSeq;
          return { ok: true, branchId, seq, replay: lobby ? events.map(toPublicEvent) : events };
        }
      }
    }
    const snapshot = await this.snapshots.build(branchId, view);
    return { ok: true, branchId, seq: snapshot.seq, snapshot };
  }

  /** Tells each subscribed screen the branch's latest seq, so a screen that missed the last event notices. */
  private async sendSync(): Promise<void> {
    if (!this.ns) return;
    const branchRooms = new Map<string, string[]>();
    for (const room of this.ns.adapter.rooms.keys()) {
      const m = /^branch:([0-9a-f-]{36}):(staff|display)$/.exec(room);
      if (!m) continue;
      branchRooms.set(m[1], [...(branchRooms.get(m[1]) ?? []), room]);
    }
    if (branchRooms.size === 0) return;
    try {
      const seqs = await this.store.lastSeqs([...branchRooms.keys()]);
      const at = new Date().toISOString();
      // Events still queued for the rooms, or being written, go first: a beacon ahead of them would send screens to
      // resubscribe.
      this.live.afterFlush(() => {
        for (const [branchId, list] of branchRooms) {
          const seq = seqs.get(branchId) ?? 0;
          for (const room of list) this.ns.local.to(room).emit('sync', { branchId, seq, at });
        }
      });
    } catch (err) {
      this.logger.debug(`sync skipped: ${String(err)}`);
    }
  }
}
