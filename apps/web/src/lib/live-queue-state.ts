import type {
  CounterDto,
  LiveEventType,
  PublicCounterDto,
  PublicTicketDto,
  QueueSnapshot,
  ServiceQueueStat,
  TicketDto,
  TicketStatus,
} from '@frontdesk/contracts';

/**
 * The queue as a screen holds it: a snapshot with every later event folded in.
 * Pure functions only, so the seq/gap logic and the folding can be tested alone.
 */
export type QueueView = 'display' | 'staff';
export type SnapshotService = QueueSnapshot['services'][number];

export interface LiveQueueState<T extends PublicTicketDto, C extends PublicCounterDto> {
  seq: number;
  at: string;
  services: SnapshotService[];
  counters: C[];
  /** Newest first. */
  recentCalls: PublicTicketDto[];
  /** Staff view only: active tickets (waiting, called, serving). */
  tickets: T[];
}

export type DisplayQueueState = LiveQueueState<PublicTicketDto, PublicCounterDto>;
export type StaffQueueState = LiveQueueState<TicketDto, CounterDto>;
export type QueueStateFor<V extends QueueView> = V extends 'staff' ? StaffQueueState : DisplayQueueState;

export interface TicketChange<T extends PublicTicketDto> {
  ticket: T;
  queue: ServiceQueueStat[];
  reason?: string | null;
  fromServiceId?: string;
}
export interface CounterChange<C extends PublicCounterDto> {
  counter: C;
  queue: ServiceQueueStat[];
}

/** Both the staff LiveEvent and the lobby PublicLiveEvent fit this shape. */
export interface QueueEvent<T extends PublicTicketDto = PublicTicketDto, C extends PublicCounterDto = PublicCounterDto> {
  seq: number;
  branchId: string;
  type: LiveEventType;
  at: string;
  /** Empty for events of other capabilities that the queue picture does not show (they only move seq). */
  data: TicketChange<T> | CounterChange<C> | Record<string, never>;
}

export const RECENT_CALLS_KEPT = 12;
const ACTIVE_STATUSES: ReadonlySet<TicketStatus> = new Set(['waiting', 'called', 'serving']);
const AT_COUNTER_STATUSES: ReadonlySet<TicketStatus> = new Set(['called', 'serving']);

export function isTicketChange<T extends PublicTicketDto, C extends PublicCounterDto>(data: TicketChange<T> | CounterChange<C> | Record<string, never>): data is TicketChange<T> {
  return 'ticket' in data && data.ticket !== null && typeof data.ticket === 'object';
}

/** Staff DTOs carry ids; lobby DTOs only numbers, which are unique per branch and day. */
export function sameTicket(a: PublicTicketDto, b: PublicTicketDto): boolean {
  const idA = (a as Partial<TicketDto>).id;
  const idB = (b as Partial<TicketDto>).id;
  if (idA && idB) {
    return idA === idB;
  }
  return a.number === b.number;
}

function calledAtMs(ticket: PublicTicketDto): number {
  return ticket.calledAt ? Date.parse(ticket.calledAt) : 0;
}

export function stateFromSnapshot<T extends PublicTicketDto, C extends PublicCounterDto>(
  snapshot: QueueSnapshot,
  seq: number = snapshot.seq,
): LiveQueueState<T, C> {
  return {
    seq,
    at: snapshot.at,
    services: snapshot.services,
    counters: snapshot.counters as unknown as C[],
    recentCalls: [...snapshot.recentCalls].sort((a, b) => calledAtMs(b) - calledAtMs(a)).slice(0, RECENT_CALLS_KEPT),
    tickets: (snapshot.tickets ?? []) as unknown as T[],
  };
}

export function mergeQueueStats(services: SnapshotService[], stats: ServiceQueueStat[]): SnapshotService[] {
  if (stats.length === 0) {
    return services;
  }
  const byId = new Map(stats.map((stat) => [stat.serviceId, stat]));
  return services.map((service) => {
    const stat = byId.get(service.serviceId);
    return stat ? { ...service, ...stat } : service;
  });
}

function foldTicketIntoCounters<T extends PublicTicketDto, C extends PublicCounterDto>(counters: C[], ticket: T): C[] {
  const atCounter = AT_COUNTER_STATUSES.has(ticket.status) ? ticket.counterId : null;
  return counters.map((counter) => {
    if (counter.id === atCounter) {
      return { ...counter, ticket };
    }
    if (counter.ticket && sameTicket(counter.ticket, ticket)) {
      return { ...counter, ticket: null };
    }
    return counter;
  });
}

function foldTicketIntoRecentCalls(recent: PublicTicketDto[], ticket: PublicTicketDto, type: LiveEventType): PublicTicketDto[] {
  if (type === 'ticket.called' || type === 'ticket.recalled') {
    return [ticket, ...recent.filter((item) => !sameTicket(item, ticket))].slice(0, RECENT_CALLS_KEPT);
  }
  return recent.map((item) => (sameTicket(item, ticket) ? ticket : item));
}

function foldTicketIntoActive<T extends PublicTicketDto>(tickets: T[], ticket: T): T[] {
  const others = tickets.filter((item) => !sameTicket(item, ticket));
  return ACTIVE_STATUSES.has(ticket.status) ? [...others, ticket] : others;
}

/** Applies one event that directly follows the state (the caller checks seq order). */
export function applyQueueEvent<T extends PublicTicketDto, C extends PublicCounterDto>(
  state: LiveQueueState<T, C>,
  event: QueueEvent<T, C>,
): LiveQueueState<T, C> {
  // Lobby events carry the queue's figures per service; a hotline event's `queue` is the name of a call queue.
  const stats = 'queue' in event.data ? event.data.queue : undefined;
  const services = Array.isArray(stats) ? mergeQueueStats(state.services, stats) : state.services;
  const base = { ...state, seq: event.seq, at: event.at, services };
  if (isTicketChange(event.data)) {
    const { ticket } = event.data;
    return {
      ...base,
      counters: foldTicketIntoCounters(state.counters, ticket),
      recentCalls: foldTicketIntoRecentCalls(state.recentCalls, ticket, event.type),
      tickets: foldTicketIntoActive(state.tickets, ticket),
    };
  }
  if (!('counter' in event.data)) {
    // An event of another capability (hotline, repairs...) that this picture does not show: it only moves seq.
    return base;
  }
  const { counter } = event.data;
  const known = state.counters.some((item) => item.id === counter.id);
  return {
    ...base,
    counters: known ? state.counters.map((item) => (item.id === counter.id ? counter : item)) : [...state.counters, counter],
  };
}
