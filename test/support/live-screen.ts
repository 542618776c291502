import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, LiveEvent, PublicLiveEvent, ServerToClientEvents, SubscribeAck } from '@frontdesk/contracts';

type Live = Socket<ServerToClientEvents, ClientToServerEvents>;
export type Ev = LiveEvent | PublicLiveEvent;

/**
 * A screen as the web app behaves: keeps the last seq it applied, drops duplicates, and resubscribes with `lastSeq`
 * when an event or a sync shows it missed something, so it replays the gap from the event log.
 */
export class Screen {
  socket!: Live;
  lastSeq = 0;
  startSeq = 0;
  readonly events = new Map<number, Ev>();
  resubscribes = 0;
  /** Times the server could not replay and sent a snapshot instead (the screen would have missed events). */
  snapshotJumps = 0;
  private syncing: Promise<void> | null = null;

  constructor(
    readonly name: string,
    private readonly branchId: string,
    private readonly token: string,
    private readonly view: 'display' | 'staff',
  ) {}

  async connect(url: string): Promise<void> {
    this.socket = io(`${url}/live`, { path: '/socket.io', auth: { token: this.token }, transports: ['websocket'], forceNew: true, reconnection: false });
    this.socket.on('event', (e) => this.onEvent(e));
    this.socket.on('sync', (s) => {
      if (s.seq > this.lastSeq) void this.resync();
    });
    await new Promise<void>((res, rej) => {
      this.socket.once('connect', () => res());
      this.socket.once('connect_error', rej);
    });
    const first = this.lastSeq === 0;
    const ack: SubscribeAck = await this.socket.timeout(5000).emitWithAck('subscribe', { branchId: this.branchId, view: this.view, ...(first ? {} : { lastSeq: this.lastSeq }) });
    this.apply(ack, first);
  }

  private apply(ack: SubscribeAck, first: boolean): void {
    if (!ack.ok) throw new Error(`${this.name}: subscribe refused: ${ack.error.message}`);
    if ('replay' in ack) {
      for (const e of ack.replay) this.accept(e);
    } else if (first) {
      this.lastSeq = this.startSeq = ack.seq;
    } else if (ack.seq > this.lastSeq) {
      this.snapshotJumps++;
      this.lastSeq = ack.seq;
    }
  }

  private onEvent(e: Ev): void {
    if (e.seq <= this.lastSeq) return;
    if (e.seq === this.lastSeq + 1) this.accept(e);
    else void this.resync();
  }

  private accept(e: Ev): void {
    if (e.seq !== this.lastSeq + 1) return;
    this.events.set(e.seq, e);
    this.lastSeq = e.seq;
  }

  resync(): Promise<void> {
    this.syncing ??= (async () => {
      this.resubscribes++;
      try {
        const ack: SubscribeAck = await this.socket.timeout(5000).emitWithAck('subscribe', { branchId: this.branchId, view: this.view, lastSeq: this.lastSeq });
        this.apply(ack, false);
      } catch {
        /* the instance is gone; the test moves the screen to another one */
      } finally {
        this.syncing = null;
      }
    })();
    return this.syncing;
  }

  /** Seqs after the first snapshot that the screen never applied. */
  gaps(): number[] {
    const missing: number[] = [];
    for (let s = this.startSeq + 1; s <= this.lastSeq; s++) if (!this.events.has(s)) missing.push(s);
    return missing;
  }

  calledNumbers(): string[] {
    return [...this.events.values()]
      .filter((e) => e.type === 'ticket.called')
      .map((e) => (e.data as { ticket: { number: string } }).ticket.number)
      .sort();
  }

  close(): void {
    this.socket?.disconnect();
  }
}
