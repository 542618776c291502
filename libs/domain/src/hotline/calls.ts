import type { HotlineSettings } from '@frontdesk/contracts';

/** A call event after validation: what the metric engine folds. */
export interface CallEvent {
  id: string;
  type: 'call_queued' | 'call_answered' | 'call_abandoned' | 'call_ended';
  callId: string;
  queue: string;
  at: Date;
  agentId?: string | null;
  callerNumber?: string | null;
}

/**
 * What is known of one call. Each instant is the earliest seen for its kind, so folding the same events
 * in any order, any number of times, gives the same record (late, duplicate and out-of-order events).
 */
export interface CallRecord {
  callId: string;
  queue: string;
  queuedAt: Date | null;
  answeredAt: Date | null;
  abandonedAt: Date | null;
  endedAt: Date | null;
  agentId: string | null;
  callerNumber: string | null;
  /** Earliest instant of any event of the call: stands for the queue time until the queued event arrives. */
  firstAt: Date;
}

export type CallStatus = 'waiting' | 'answered' | 'abandoned' | 'short_abandoned';

const earliest = (a: Date | null, b: Date): Date => (a === null || b.getTime() < a.getTime() ? b : a);

export function applyCallEvent(call: CallRecord | undefined, e: CallEvent): CallRecord {
  const c: CallRecord = call
    ? { ...call }
    : { callId: e.callId, queue: e.queue, queuedAt: null, answeredAt: null, abandonedAt: null, endedAt: null, agentId: null, callerNumber: null, firstAt: e.at };
  c.firstAt = earliest(c.firstAt, e.at);
  c.callerNumber ??= e.callerNumber ?? null;
  switch (e.type) {
    case 'call_queued':
      // The queue named by the queued event wins over one guessed from an earlier-arriving event.
      if (c.queuedAt === null || e.at.getTime() < c.queuedAt.getTime()) c.queue = e.queue;
      c.queuedAt = earliest(c.queuedAt, e.at);
      break;
    case 'call_answered':
      if (c.answeredAt === null || e.at.getTime() < c.answeredAt.getTime()) c.agentId = e.agentId ?? c.agentId;
      c.answeredAt = earliest(c.answeredAt, e.at);
      break;
    case 'call_abandoned':
      c.abandonedAt = earliest(c.abandonedAt, e.at);
      break;
    case 'call_ended':
      c.endedAt = earliest(c.endedAt, e.at);
      break;
  }
  return c;
}

/** Folds events into calls by callId (the pure counterpart of what ingest stores in hotline_calls). */
export function foldCalls(events: readonly CallEvent[]): Map<string, CallRecord> {
  const seen = new Set<string>();
  const calls = new Map<string, CallRecord>();
  for (const e of events) {
    if (seen.has(e.id)) continue;
    seen.add(e.id);
    calls.set(e.callId, applyCallEvent(calls.get(e.callId), e));
  }
  return calls;
}

/** The instant the caller started waiting: the queued event, or the earliest thing we know of the call. */
export function queuedInstant(c: CallRecord): Date {
  return c.queuedAt ?? c.firstAt;
}

/**
 * DOMAIN.md: answered wins over anything else (an `abandoned` after an `answered` is the telephone system's
 * noise); otherwise an abandon, or an `ended` with no answer, is an abandon after its wait; an abandon
 * within the short-abandon threshold counts in neither service level nor abandon rate.
 */
export function callStatus(c: CallRecord, settings: Pick<HotlineSettings, 'shortAbandonSeconds'>): { status: CallStatus; waitSeconds: number | null } {
  const q = queuedInstant(c).getTime();
  if (c.answeredAt) return { status: 'answered', waitSeconds: Math.max(0, (c.answeredAt.getTime() - q) / 1000) };
  const end = c.abandonedAt && c.endedAt ? earliest(c.abandonedAt, c.endedAt) : (c.abandonedAt ?? c.endedAt);
  if (end) {
    const wait = Math.max(0, (end.getTime() - q) / 1000);
    return { status: wait > settings.shortAbandonSeconds ? 'abandoned' : 'short_abandoned', waitSeconds: wait };
  }
  return { status: 'waiting', waitSeconds: null };
}
