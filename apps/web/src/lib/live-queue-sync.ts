import type { ErrorBody, PublicCounterDto, PublicTicketDto, QueueSnapshot, SubscribeAck, SubscribeRequest } from '@frontdesk/contracts';
import { applyQueueEvent, stateFromSnapshot, type DisplayQueueState, type LiveQueueState, type QueueEvent, type QueueView } from './live-queue-state';

/** How the sync talks to the server; the socket in the app, a fake in tests. */
export interface QueueTransport {
  subscribe(request: SubscribeRequest): Promise<SubscribeAck>;
}

export type EventSource = 'live' | 'replay';

export interface LiveQueueSyncCallbacks<S, E = QueueEvent> {
  onState(state: S): void;
  /** Each event once, in seq order, after it was applied. */
  onEvent?(event: E, source: EventSource): void;
  /** A fresh snapshot became the base (first subscribe, or too far behind for a replay). */
  onSnapshot?(): void;
  onSubscribed?(): void;
  onError?(error: ErrorBody): void;
}

export interface LiveQueueSyncOptions {
  /** How long an out-of-order event waits for the missing one before we ask for a replay. */
  gapHoldMs: number;
  /** How long a sync beacon ahead of us may wait for the event already on its way before we resubscribe. */
  syncGraceMs: number;
  retryMs: number;
  errorRetryMs: number;
}

const DEFAULT_OPTIONS: LiveQueueSyncOptions = { gapHoldMs: 500, syncGraceMs: 1_000, retryMs: 2_000, errorRetryMs: 15_000 };

/** What a screen keeps of the branch's stream: its base from a snapshot and how one event changes it. */
export interface LiveFold<S extends { seq: number }, E extends SequencedEvent> {
  fromSnapshot(snapshot: QueueSnapshot, seq: number): S;
  apply(state: S, event: E): S;
}

export interface SequencedEvent {
  seq: number;
  branchId: string;
}

/** Seq only: for screens (the repair board) that keep their own picture and need just order and catch-up. */
export const SEQ_ONLY_FOLD: LiveFold<{ seq: number }, SequencedEvent> = {
  fromSnapshot: (_snapshot, seq) => ({ seq }),
  apply: (_state, event) => ({ seq: event.seq }),
};

const QUEUE_FOLD: LiveFold<DisplayQueueState, QueueEvent> = {
  fromSnapshot: (snapshot, seq) => stateFromSnapshot(snapshot, seq),
  apply: (state, event) => applyQueueEvent(state, event),
};

/**
 * Keeps one branch's queue exactly in step with the server's event stream.
 *
 * The server numbers events per branch (seq + 1 each). We apply an event only
 * when it is the next one; duplicates (seq <= lastSeq) are ignored; an event
 * that skips ahead is held briefly for the missing one, then we resubscribe
 * with lastSeq and the server answers with a replay (or a fresh snapshot when
 * we are too far behind). The same path handles reconnects and the periodic
 * `sync` beacon, so a screen catches up without a reload.
 */
export class LiveSync<S extends { seq: number }, E extends SequencedEvent = QueueEvent> {
  private state: S | null = null;
  private readonly pending = new Map<number, E>();
  private gapTimer: ReturnType<typeof setTimeout> | null = null;
  private syncTimer: ReturnType<typeof setTimeout> | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private generation = 0;
  private inFlight = false;
  private needSnapshot = false;
  private stopped = false;
  private readonly options: LiveQueueSyncOptions;

  constructor(
    private readonly branchId: string,
    private readonly view: QueueView,
    private readonly transport: QueueTransport,
    private readonly callbacks: LiveQueueSyncCallbacks<S, E>,
    options: Partial<LiveQueueSyncOptions> = {},
    private readonly fold: LiveFold<S, E>,
  ) {
    this.options = { ...DEFAULT_OPTIONS, ...options };
  }

  get lastSeq(): number | null {
    return this.state?.seq ?? null;
  }

  get current(): S | null {
    return this.state;
  }

  /** Socket (re)connected: subscribe from where we are. */
  handleConnect(): void {
    void this.subscribe();
  }

  /** Socket dropped: whatever was in flight will never be answered. */
  handleDisconnect(): void {
    this.generation += 1;
    this.inFlight = false;
    this.clearTimers();
  }

  handleEvent(event: E): void {
    if (this.stopped || event.branchId !== this.branchId) {
      return;
    }
    if (this.state && event.seq <= this.state.seq) {
      return;
    }
    this.pending.set(event.seq, event);
    if (this.inFlight || !this.state) {
      // The answer to our subscribe decides the base; folded in after it.
      return;
    }
    this.drain('live');
    if (this.pending.size > 0) {
      this.armGapTimer();
    }
  }

  handleSync(beacon: { branchId: string; seq: number }): void {
    if (this.stopped || beacon.branchId !== this.branchId || this.inFlight || this.gapTimer) {
      return;
    }
    if (!this.state) {
      void this.subscribe();
      return;
    }
    if (beacon.seq <= this.state.seq || this.syncTimer) {
      return;
    }
    // The beacon is read from the database and can overtake an event still in flight through Redis;
    // resubscribe only if we are still behind after a short grace (thousands of screens share one API).
    this.syncTimer = setTimeout(() => {
      this.syncTimer = null;
      if (!this.stopped && !this.inFlight && this.state && this.state.seq < beacon.seq) {
        void this.subscribe();
      }
    }, this.options.syncGraceMs);
  }

  stop(): void {
    this.stopped = true;
    this.generation += 1;
    this.clearTimers();
    this.pending.clear();
  }

  async subscribe(): Promise<void> {
    if (this.stopped) {
      return;
    }
    this.clearTimers();
    const generation = ++this.generation;
    this.inFlight = true;
    const request: SubscribeRequest = { branchId: this.branchId, view: this.view };
    if (this.state && !this.needSnapshot) {
      request.lastSeq = this.state.seq;
    }

    let ack: SubscribeAck;
    try {
      ack = await this.transport.subscribe(request);
    } catch {
      if (generation === this.generation) {
        this.inFlight = false;
        this.scheduleRetry(this.options.retryMs);
      }
      return;
    }
    if (generation !== this.generation || this.stopped) {
      return;
    }
    this.inFlight = false;

    if (!ack.ok) {
      this.callbacks.onError?.(ack.error);
      this.scheduleRetry(this.options.errorRetryMs);
      return;
    }

    if ('snapshot' in ack) {
      this.needSnapshot = false;
      this.state = this.fold.fromSnapshot(ack.snapshot, ack.seq);
      this.callbacks.onSnapshot?.();
    } else if (!this.state) {
      this.needSnapshot = true;
      void this.subscribe();
      return;
    } else {
      const replay = [...(ack.replay as unknown as E[])].sort((a, b) => a.seq - b.seq);
      for (const event of replay) {
        if (event.seq > this.state.seq) {
          this.pending.set(event.seq, event);
        }
      }
      this.drain('replay', false);
      if (this.state.seq < ack.seq) {
        // The replay has a hole: start over from a snapshot rather than guess.
        this.needSnapshot = true;
        this.callbacks.onState(this.state);
        void this.subscribe();
        return;
      }
    }

    this.callbacks.onSubscribed?.();
    this.drain('live', false);
    this.callbacks.onState(this.state);
    if (this.pending.size > 0) {
      this.armGapTimer();
    }
  }

  private drain(source: 'live' | 'replay', publish = true): void {
    if (!this.state) {
      return;
    }
    let state = this.state;
    for (const seq of [...this.pending.keys()]) {
      if (seq <= state.seq) {
        this.pending.delete(seq);
      }
    }
    const applied: E[] = [];
    let next = this.pending.get(state.seq + 1);
    while (next) {
      this.pending.delete(next.seq);
      state = this.fold.apply(state, next);
      applied.push(next);
      next = this.pending.get(state.seq + 1);
    }
    this.state = state;
    if (applied.length === 0) {
      return;
    }
    if (this.pending.size === 0 && this.gapTimer) {
      clearTimeout(this.gapTimer);
      this.gapTimer = null;
    }
    if (publish) {
      this.callbacks.onState(state);
    }
    for (const event of applied) {
      this.callbacks.onEvent?.(event, source);
    }
  }

  private armGapTimer(): void {
    if (this.gapTimer) {
      return;
    }
    this.gapTimer = setTimeout(() => {
      this.gapTimer = null;
      if (this.pending.size > 0) {
        void this.subscribe();
      }
    }, this.options.gapHoldMs);
  }

  private scheduleRetry(delayMs: number): void {
    if (this.stopped || this.retryTimer) {
      return;
    }
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.subscribe();
    }, delayMs);
  }

  private clearTimers(): void {
    if (this.syncTimer) {
      clearTimeout(this.syncTimer);
      this.syncTimer = null;
    }
    if (this.gapTimer) {
      clearTimeout(this.gapTimer);
      this.gapTimer = null;
    }
    if (this.retryTimer) {
      clearTimeout(this.retryTimer);
      this.retryTimer = null;
    }
  }
}

/** The lobby queue of one branch (wall screen, kiosk, counter console). */
export class LiveQueueSync<S extends LiveQueueState<PublicTicketDto, PublicCounterDto>> extends LiveSync<S, QueueEvent> {
  constructor(branchId: string, view: QueueView, transport: QueueTransport, callbacks: LiveQueueSyncCallbacks<S>, options: Partial<LiveQueueSyncOptions> = {}) {
    // Held in its widest shape; the staff view's richer DTOs pass through untouched.
    super(branchId, view, transport, callbacks, options, QUEUE_FOLD as unknown as LiveFold<S, QueueEvent>);
  }
}
