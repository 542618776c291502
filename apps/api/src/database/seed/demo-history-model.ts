import { randomUUID } from 'node:crypto';
import type { CounterDto, CounterStatus, LiveEventType, QueueSettings, ServiceQueueStat, TicketDto, TicketStatus } from '@frontdesk/contracts';
import {
  estimateErrorSeconds,
  estimateWaitSeconds,
  formatTicketNumber,
  openCountersFor,
  pickNext,
  positionInService,
  recentServiceSeconds,
  serviceQueueStats,
  ticketStages,
} from '@frontdesk/domain';

/**
 * Past days of a demo branch, made up by simulating its lobby and hotline (no database here; demo-history.ts writes
 * what this returns). The lobby runs on the product's own rules: counters call with `pickNext` (service order and
 * the aging limit), the estimate a ticket is given is the DOMAIN.md estimate from the recent service times, and each
 * event carries the ticket and the queue picture as the API builds them, so the day replay can fold them.
 */

/** A small seeded generator (mulberry32): the same day of the same branch always comes out the same. */
export function seededRandom(seed: string): () => number {
  let h = 1779033703 ^ seed.length;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 3432918353);
  let a = (h << 13) | (h >>> 19);
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A draw from the choices by their weights (which need not add up to 1). */
export function weighted<T>(rand: () => number, choices: readonly (readonly [T, number])[]): T {
  let r = rand() * choices.reduce((a, [, w]) => a + w, 0);
  for (const [value, w] of choices) if ((r -= w) < 0) return value;
  return choices[choices.length - 1][0];
}

export function lognormal(rand: () => number, median: number, sigma: number): number {
  const u = Math.max(rand(), 1e-9);
  const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
  return median * Math.exp(sigma * z);
}

/** Poisson arrivals between two instants, with a rate per hour of the day (local hour → weight) scaled to `mean`. */
function arrivals(rand: () => number, from: number, to: number, mean: number, weightAt: (ms: number) => number): number[] {
  // Thinning: candidates at the peak rate, each kept with weight/peak.
  const steps = 96;
  let area = 0;
  let peak = 0;
  for (let i = 0; i < steps; i++) {
    const w = weightAt(from + ((i + 0.5) * (to - from)) / steps);
    area += (w * (to - from)) / steps;
    peak = Math.max(peak, w);
  }
  if (area <= 0) return [];
  const peakRatePerMs = (mean / area) * peak;
  const out: number[] = [];
  for (let t = from; ;) {
    t += -Math.log(Math.max(rand(), 1e-9)) / peakRatePerMs;
    if (t >= to) return out;
    if (rand() < weightAt(t) / peak) out.push(Math.round(t));
  }
}

export interface HistoryService {
  id: string;
  code: string;
  defaultServiceSeconds: number;
}
export interface HistoryCounter {
  id: string;
  name: string;
  serviceIds: string[];
}

/** A counter's day: open from `open` to `close` (local minutes after midnight), paused for lunch in between. */
export interface CounterShift {
  open: number;
  close: number;
  lunch: [number, number] | null;
}

export interface LobbyDayInput {
  branchId: string;
  /** Local date, YYYY-MM-DD. */
  day: string;
  /** The local midnight of `day` as an instant, and the local time of an instant (minutes after that midnight). */
  midnight: Date;
  services: HistoryService[];
  counters: HistoryCounter[];
  settings: Pick<QueueSettings, 'agingLimitSeconds' | 'serviceTimeSampleSize' | 'maxRecalls'>;
  /** Tickets expected over the day (the day's arrivals are drawn around it). */
  meanTickets: number;
  /** Share of each service code among the customers (codes missing from the branch are skipped). */
  mix: Record<string, number>;
  shifts: CounterShift[];
  /** The latest service times per service before this day (the estimate's "recent service time"); updated. */
  recentDurations: Map<string, number[]>;
  rand: () => number;
}

export interface HistoryTicketRow {
  id: string;
  serviceId: string;
  daySeq: number;
  number: string;
  status: TicketStatus;
  language: 'zh' | 'en';
  counterId: string | null;
  recallCount: number;
  createdAt: Date;
  firstCalledAt: Date | null;
  calledAt: Date | null;
  servingAt: Date | null;
  finishedAt: Date | null;
  closedAt: Date | null;
  estimatedWaitSeconds: number | null;
  waitErrorSeconds: number | null;
  callReason: string | null;
}

export interface HistoryEvent {
  type: LiveEventType;
  at: Date;
  data: unknown;
  /** Who made the change: the kiosk (a ticket taken), or whoever works the counter. */
  by: 'kiosk' | { counterId: string };
}

export interface LobbyDay {
  tickets: HistoryTicketRow[];
  events: HistoryEvent[];
  /** Last number issued per service (ticket_day_sequences). */
  daySeqs: Map<string, number>;
}

const STEP_MS = 5_000;
const minutes = (m: number) => m * 60_000;

/** Relative arrivals by local hour: a morning peak, a lull at lunch, an afternoon peak. */
const LOBBY_HOURS: Record<number, number> = { 9: 0.8, 10: 1.3, 11: 1.4, 12: 0.9, 13: 0.9, 14: 1.3, 15: 1.4, 16: 1.1, 17: 0.7 };

interface SimTicket extends HistoryTicketRow {
  priority: 'normal';
  /** When the customer at the counter moves on: walked up (serving), finished, or the recall / no-show timer. */
  nextAt: number | null;
  noShow: boolean;
}
interface SimCounter extends HistoryCounter {
  status: CounterStatus;
  pauseReason: string | null;
  ticket: SimTicket | null;
  shift: CounterShift;
}

/** One day of a lobby: tickets as they end the day, and the events the API would have written, in order. */
export function simulateLobbyDay(input: LobbyDayInput): LobbyDay {
  const { rand, services, settings } = input;
  const at0 = input.midnight.getTime();
  const local = (ms: number) => (ms - at0) / 60_000;
  const weight = (ms: number) => LOBBY_HOURS[Math.floor(local(ms) / 60)] ?? 0;
  const serviceOf = new Map(services.map((s) => [s.id, s]));
  const mix = services.filter((s) => (input.mix[s.code] ?? 0) > 0).map((s) => [s, input.mix[s.code]] as const);
  const pickService = () => weighted(rand, mix);
  const counters: SimCounter[] = input.counters.map((c, i) => ({
    ...c,
    status: 'closed',
    pauseReason: null,
    ticket: null,
    shift: input.shifts[i % input.shifts.length],
  }));
  const tickets: SimTicket[] = [];
  const events: HistoryEvent[] = [];
  const daySeqs = new Map<string, number>();
  const waiting: SimTicket[] = [];
  let lastAt = 0;

  const ticketDto = (t: SimTicket): TicketDto => {
    const counter = t.counterId ? counters.find((c) => c.id === t.counterId) : undefined;
    return {
      id: t.id,
      branchId: input.branchId,
      number: t.number,
      serviceId: t.serviceId,
      serviceCode: serviceOf.get(t.serviceId)!.code,
      status: t.status,
      priority: t.priority,
      counterId: t.counterId,
      counterName: counter?.name ?? null,
      calledAt: t.calledAt?.toISOString() ?? null,
      recallCount: t.recallCount,
      phoneMasked: null,
      createdAt: t.createdAt.toISOString(),
      servingAt: t.servingAt?.toISOString() ?? null,
      finishedAt: t.finishedAt?.toISOString() ?? null,
      estimatedWaitSecondsAtIssue: t.estimatedWaitSeconds,
      callReason: t.callReason,
      repairId: null,
      repairOrderNo: null,
      stages: ticketStages(t),
    };
  };
  const counterDto = (c: SimCounter): CounterDto => ({
    id: c.id,
    name: c.name,
    services: c.serviceIds,
    status: c.status,
    pauseReason: c.pauseReason,
    userId: null,
    ticket: c.ticket ? ticketDto(c.ticket) : null,
  });
  const stats = (now: number): ServiceQueueStat[] =>
    serviceQueueStats({ services, counters, waiting, recentDurations: input.recentDurations, now: new Date(now) });
  /** Events of one step get distinct, increasing instants (a millisecond apart), as the log orders them. */
  const stamp = (now: number) => (lastAt = Math.max(now, lastAt + 1));
  const ticketEvent = (type: LiveEventType, t: SimTicket, now: number) =>
    events.push({
      type,
      at: new Date(stamp(now)),
      data: { ticket: ticketDto(t), queue: stats(now) },
      by: t.counterId ? { counterId: t.counterId } : 'kiosk',
    });
  const counterEvent = (c: SimCounter, now: number) =>
    events.push({ type: 'counter.status_changed', at: new Date(stamp(now)), data: { counter: counterDto(c), queue: stats(now) }, by: { counterId: c.id } });

  const issue = (now: number) => {
    const s = pickService();
    const seq = (daySeqs.get(s.id) ?? 0) + 1;
    daySeqs.set(s.id, seq);
    const t: SimTicket = {
      id: randomUUID(),
      serviceId: s.id,
      daySeq: seq,
      number: formatTicketNumber(s.code, seq),
      status: 'waiting',
      priority: 'normal',
      language: rand() < 0.85 ? 'zh' : 'en',
      counterId: null,
      recallCount: 0,
      createdAt: new Date(now),
      firstCalledAt: null,
      calledAt: null,
      servingAt: null,
      finishedAt: null,
      closedAt: null,
      estimatedWaitSeconds: null,
      waitErrorSeconds: null,
      callReason: null,
      nextAt: null,
      noShow: false,
    };
    waiting.push(t);
    tickets.push(t);
    const position = positionInService(waiting, t.id, new Date(now), settings) ?? 1;
    t.estimatedWaitSeconds = estimateWaitSeconds({
      peopleAhead: position - 1,
      openCounters: openCountersFor(s.id, counters),
      recentServiceSeconds: recentServiceSeconds(input.recentDurations.get(s.id) ?? [], s.defaultServiceSeconds),
    });
    ticketEvent('ticket.created', t, now);
  };

  const call = (c: SimCounter, t: SimTicket, now: number) => {
    waiting.splice(waiting.indexOf(t), 1);
    t.status = 'called';
    t.counterId = c.id;
    t.calledAt = new Date(now);
    t.firstCalledAt = t.calledAt;
    t.waitErrorSeconds = estimateErrorSeconds(t.estimatedWaitSeconds, (now - t.createdAt.getTime()) / 1000);
    // Some who waited long have left: the longer the wait, the likelier.
    const waitedMin = (now - t.createdAt.getTime()) / 60_000;
    t.noShow = rand() < 0.02 + Math.min(0.2, waitedMin / 150);
    t.nextAt = now + (t.noShow ? 45_000 : 10_000 + rand() * 50_000);
    c.ticket = t;
    ticketEvent('ticket.called', t, now);
  };

  const advance = (c: SimCounter, t: SimTicket, now: number) => {
    if (t.status === 'called' && t.noShow) {
      if (t.recallCount < Math.min(1, settings.maxRecalls)) {
        t.recallCount += 1;
        t.calledAt = new Date(now);
        t.callReason = null;
        t.nextAt = now + 75_000;
        ticketEvent('ticket.recalled', t, now);
        return;
      }
      t.status = 'no_show';
      t.closedAt = new Date(now);
      c.ticket = null;
      t.nextAt = null;
      ticketEvent('ticket.no_show', t, now);
      return;
    }
    if (t.status === 'called') {
      t.status = 'serving';
      t.servingAt = new Date(now);
      const s = serviceOf.get(t.serviceId)!;
      const seconds = Math.min(s.defaultServiceSeconds * 4, Math.max(30, lognormal(rand, s.defaultServiceSeconds * 0.85, 0.45)));
      t.nextAt = now + seconds * 1000;
      ticketEvent('ticket.serving', t, now);
      return;
    }
    t.status = 'done';
    t.finishedAt = new Date(now);
    t.closedAt = t.finishedAt;
    t.nextAt = null;
    c.ticket = null;
    const recent = input.recentDurations.get(t.serviceId) ?? [];
    recent.unshift((now - t.servingAt!.getTime()) / 1000);
    input.recentDurations.set(t.serviceId, recent.slice(0, settings.serviceTimeSampleSize));
    ticketEvent('ticket.finished', t, now);
  };

  const setStatus = (c: SimCounter, status: CounterStatus, reason: string | null, now: number) => {
    c.status = status;
    c.pauseReason = reason;
    counterEvent(c, now);
  };

  const times = arrivals(rand, at0 + minutes(9 * 60), at0 + minutes(17 * 60 + 30), input.meanTickets, weight);
  const lastCall = at0 + minutes(19 * 60);
  let next = 0;
  for (let now = at0 + minutes(8 * 60 + 55); now <= lastCall; now += STEP_MS) {
    const m = local(now);
    for (const c of counters) {
      const { open, close, lunch } = c.shift;
      const inLunch = lunch !== null && m >= lunch[0] && m < lunch[1];
      // A counter pauses or closes between customers, and stays open past its hour while customers it serves wait.
      if (c.ticket) continue;
      const due = waiting.some((t) => c.serviceIds.includes(t.serviceId));
      if (c.status === 'closed' && m >= open && m < close && !inLunch) setStatus(c, 'open', null, now);
      else if (c.status === 'open' && inLunch) setStatus(c, 'paused', 'lunch', now);
      else if (c.status === 'paused' && !inLunch) setStatus(c, m < close ? 'open' : 'closed', null, now);
      else if (c.status === 'open' && m >= close && (!due || now >= lastCall - STEP_MS)) setStatus(c, 'closed', null, now);
    }
    while (next < times.length && times[next] <= now) issue(times[next++]);
    for (const c of counters) {
      const t = c.ticket;
      if (t && t.nextAt !== null && t.nextAt <= now) advance(c, t, now);
    }
    for (const c of counters) {
      if (c.status !== 'open' || c.ticket) continue;
      const t = pickNext(waiting, c.serviceIds, new Date(now), settings);
      if (t) call(c, t, now);
    }
  }
  // Whoever still waits at the end of the day left without being seen: the receptionist cancels them.
  for (const t of [...waiting]) {
    waiting.splice(waiting.indexOf(t), 1);
    t.status = 'cancelled';
    t.closedAt = new Date(lastCall);
    ticketEvent('ticket.cancelled', t, lastCall);
  }
  for (const c of counters) {
    if (c.ticket) advance(c, c.ticket, lastCall);
    if (c.ticket) advance(c, c.ticket, lastCall);
    if (c.status !== 'closed') setStatus(c, 'closed', null, lastCall);
  }
  return { tickets: tickets.map(({ priority: _p, nextAt: _n, noShow: _s, ...row }) => row), events, daySeqs };
}

export interface HotlineCallRow {
  callId: string;
  queue: string;
  firstAt: Date;
  answeredAt: Date | null;
  abandonedAt: Date | null;
  endedAt: Date;
  agentId: string | null;
  callerNumber: string;
  status: 'answered' | 'abandoned' | 'short_abandoned';
}
export interface HotlineEventRow {
  id: string;
  type: 'call_queued' | 'call_answered' | 'call_abandoned' | 'call_ended' | 'agent_state';
  callId: string | null;
  queue: string | null;
  at: Date;
  agentId: string | null;
  state: 'available' | 'on_call' | 'wrap_up' | 'paused' | 'offline' | null;
  callerNumber: string | null;
}

export interface HotlineDayInput {
  day: string;
  midnight: Date;
  agents: { id: string; shift: CounterShift }[];
  meanCalls: number;
  queues: Record<string, number>;
  shortAbandonSeconds: number;
  rand: () => number;
}

const HOTLINE_HOURS: Record<number, number> = { 8: 0.6, 9: 1.2, 10: 1.4, 11: 1.2, 12: 0.8, 13: 1.0, 14: 1.3, 15: 1.2, 16: 1.0, 17: 0.6 };

/**
 * One day of the hotline: calls answered in order by the agent free the soonest (first come, first served), callers
 * hanging up when their patience runs out, agents logging in, lunch, wrap-up after each call and logging out.
 */
export function simulateHotlineDay(input: HotlineDayInput): { calls: HotlineCallRow[]; events: HotlineEventRow[] } {
  const { rand } = input;
  const at0 = input.midnight.getTime();
  const weight = (ms: number) => HOTLINE_HOURS[Math.floor((ms - at0) / 3_600_000)] ?? 0;
  const times = arrivals(rand, at0 + minutes(8 * 60 + 30), at0 + minutes(17 * 60 + 45), input.meanCalls, weight);
  const queues = Object.entries(input.queues);
  const events: HotlineEventRow[] = [];
  const calls: HotlineCallRow[] = [];
  const agents = input.agents.map((a) => ({ ...a, freeAt: at0 + minutes(a.shift.open), busy: [] as { answered: number; ended: number; wrapped: number }[] }));
  /** The first moment from `t` on that the agent may take a call (after lunch if `t` falls in it), or null after the shift. */
  const availableFrom = (a: (typeof agents)[number], t: number): number | null => {
    // A second after the agent became available at the earliest (the telephone system reports that state first).
    let s = Math.max(t, a.freeAt + 1_000);
    const { lunch, close } = a.shift;
    if (lunch && s >= at0 + minutes(lunch[0]) && s < at0 + minutes(lunch[1])) s = at0 + minutes(lunch[1]);
    return s < at0 + minutes(close) ? s : null;
  };
  times.forEach((arrival, n) => {
    const callId = `hist-${input.day}-${String(n + 1).padStart(3, '0')}`;
    const queue = weighted(rand, queues);
    const callerNumber = `+86139${String(Math.floor(rand() * 1e8)).padStart(8, '0')}`;
    const patience = lognormal(rand, 60_000, 0.8);
    // The soonest an agent can pick up: after a few rings, and when one is free (not at lunch, not logged out).
    const ringing = arrival + 3_000 + Math.round(rand() * 4_000);
    let best: { a: (typeof agents)[number]; at: number } | null = null;
    for (const a of agents) {
      const at = availableFrom(a, ringing);
      if (at !== null && (!best || at < best.at)) best = { a, at };
    }
    events.push({ id: `${callId}-q`, type: 'call_queued', callId, queue, at: new Date(arrival), agentId: null, state: null, callerNumber });
    if (!best || best.at - arrival > patience) {
      const gone = arrival + Math.round(patience);
      const short = patience < input.shortAbandonSeconds * 1000;
      calls.push({
        callId,
        queue,
        firstAt: new Date(arrival),
        answeredAt: null,
        abandonedAt: new Date(gone),
        endedAt: new Date(gone),
        agentId: null,
        callerNumber,
        status: short ? 'short_abandoned' : 'abandoned',
      });
      events.push({ id: `${callId}-x`, type: 'call_abandoned', callId, queue, at: new Date(gone), agentId: null, state: null, callerNumber: null });
      events.push({ id: `${callId}-e`, type: 'call_ended', callId, queue, at: new Date(gone), agentId: null, state: null, callerNumber: null });
      return;
    }
    // Talked, then a short wrap-up.
    const answered = best.at;
    const ended = answered + Math.round(Math.min(20 * 60_000, Math.max(20_000, lognormal(rand, 180_000, 0.6))));
    const wrapped = ended + 15_000 + Math.round(rand() * 30_000);
    best.a.freeAt = wrapped;
    best.a.busy.push({ answered, ended, wrapped });
    calls.push({
      callId,
      queue,
      firstAt: new Date(arrival),
      answeredAt: new Date(answered),
      abandonedAt: null,
      endedAt: new Date(ended),
      agentId: best.a.id,
      callerNumber,
      status: 'answered',
    });
    events.push({ id: `${callId}-a`, type: 'call_answered', callId, queue, at: new Date(answered), agentId: best.a.id, state: null, callerNumber: null });
    events.push({ id: `${callId}-e`, type: 'call_ended', callId, queue, at: new Date(ended), agentId: best.a.id, state: null, callerNumber: null });
  });
  // Each agent's states: logged in, on a call, wrapping up, available again (or off to lunch, if the call ran into
  // it: no call starts in the lunch hour), back from lunch, logged out.
  const agentEvents: { agentId: string; at: number; state: NonNullable<HotlineEventRow['state']> }[] = [];
  for (const a of agents) {
    const lunch = a.shift.lunch ? [at0 + minutes(a.shift.lunch[0]), at0 + minutes(a.shift.lunch[1])] : null;
    const push = (at: number, state: NonNullable<HotlineEventRow['state']>) => agentEvents.push({ agentId: a.id, at, state });
    push(at0 + minutes(a.shift.open), 'available');
    let lunchTaken = false;
    for (const b of a.busy) {
      if (lunch && !lunchTaken && b.answered >= lunch[0]) {
        push(lunch[0], 'paused');
        push(lunch[1], 'available');
        lunchTaken = true;
      }
      push(b.answered, 'on_call');
      push(b.ended, 'wrap_up');
      if (lunch && !lunchTaken && b.wrapped >= lunch[0]) {
        push(b.wrapped, 'paused');
        push(Math.max(lunch[1], b.wrapped + 1), 'available');
        lunchTaken = true;
      } else push(b.wrapped, 'available');
    }
    if (lunch && !lunchTaken) {
      push(lunch[0], 'paused');
      push(lunch[1], 'available');
    }
    push(Math.max(a.freeAt, at0 + minutes(a.shift.close)), 'offline');
  }
  agentEvents.sort((x, y) => x.at - y.at);
  agentEvents.forEach((e, i) =>
    events.push({
      id: `hist-${input.day}-agent-${String(i + 1).padStart(4, '0')}`,
      type: 'agent_state',
      callId: null,
      queue: null,
      at: new Date(e.at),
      agentId: e.agentId,
      state: e.state,
      callerNumber: null,
    }),
  );
  return { calls, events: events.sort((x, y) => x.at.getTime() - y.at.getTime()) };
}
