import { DateTime } from 'luxon';
import type { AgentState, HotlineAgentCounts, HotlineSettings } from '@frontdesk/contracts';
import { localDay } from '../numbering';
import { callStatus, queuedInstant, type CallRecord } from './calls';

/** The latest state of an agent, per queue (`queue` null: the state holds for all the agent's queues). */
export interface AgentStateRecord {
  agentId: string;
  queue: string | null;
  state: AgentState;
  at: Date;
}

export interface CallSummary {
  waiting: number;
  oldestWaitSeconds: number;
  answered: number;
  answeredWithinThreshold: number;
  abandoned: number;
  shortAbandoned: number;
  /** answered within threshold / (answered + abandoned); null when both are 0. */
  serviceLevel: number | null;
  /** Mean of (answered − queued) in seconds over answered calls. */
  asa: number | null;
  /** abandoned / (answered + abandoned). */
  abandonRate: number | null;
}

/** DOMAIN.md hotline KPIs over a set of calls, waits measured at `now`. */
export function summarizeCalls(calls: readonly CallRecord[], now: Date, settings: Pick<HotlineSettings, 'serviceLevelSeconds' | 'shortAbandonSeconds'>): CallSummary {
  let waiting = 0;
  let oldest = 0;
  let answered = 0;
  let within = 0;
  let abandoned = 0;
  let shortAbandoned = 0;
  let waitSum = 0;
  for (const c of calls) {
    const { status, waitSeconds } = callStatus(c, settings);
    if (status === 'waiting') {
      waiting += 1;
      oldest = Math.max(oldest, (now.getTime() - queuedInstant(c).getTime()) / 1000);
    } else if (status === 'answered') {
      answered += 1;
      waitSum += waitSeconds ?? 0;
      if ((waitSeconds ?? 0) <= settings.serviceLevelSeconds) within += 1;
    } else if (status === 'abandoned') {
      abandoned += 1;
    } else {
      shortAbandoned += 1;
    }
  }
  const counted = answered + abandoned;
  return {
    waiting,
    oldestWaitSeconds: Math.max(0, Math.round(oldest)),
    answered,
    answeredWithinThreshold: within,
    abandoned,
    shortAbandoned,
    serviceLevel: counted ? within / counted : null,
    asa: answered ? waitSum / answered : null,
    abandonRate: counted ? abandoned / counted : null,
  };
}

/** Calls of the branch-local day that contains `now` (a call belongs to the day its caller started waiting). */
export function callsOfDay<C extends CallRecord>(calls: readonly C[], now: Date, timeZone: string): C[] {
  // The day's bounds once, then plain comparisons: this runs over every call of the day after each ingest.
  const start = DateTime.fromJSDate(now, { zone: timeZone }).startOf('day');
  const from = start.toMillis();
  const to = start.plus({ days: 1 }).toMillis();
  return calls.filter((c) => {
    const t = queuedInstant(c).getTime();
    return t >= from && t < to;
  });
}

/**
 * Agents by their latest state. For one queue: states given for that queue or for all queues; for the
 * branch: each agent's latest state whatever the queue. Offline agents count nowhere.
 */
export function countAgents(agents: readonly AgentStateRecord[], queue: string | null): HotlineAgentCounts {
  const latest = new Map<string, AgentStateRecord>();
  for (const a of agents) {
    if (queue !== null && a.queue !== null && a.queue !== queue) continue;
    const prev = latest.get(a.agentId);
    if (!prev || a.at.getTime() > prev.at.getTime()) latest.set(a.agentId, a);
  }
  const counts: HotlineAgentCounts = { available: 0, onCall: 0, wrapUp: 0, paused: 0 };
  for (const a of latest.values()) {
    if (a.state === 'available') counts.available += 1;
    else if (a.state === 'on_call') counts.onCall += 1;
    else if (a.state === 'wrap_up') counts.wrapUp += 1;
    else if (a.state === 'paused') counts.paused += 1;
  }
  return counts;
}

export interface HotlineNumbers extends CallSummary {
  localDay: string;
  queue: string | null;
  agents: HotlineAgentCounts;
}

/** The numbers of `GET /api/branches/:id/hotline[?queue=]` for the current local day. */
export function hotlineMetrics(input: {
  calls: readonly CallRecord[];
  agents: readonly AgentStateRecord[];
  now: Date;
  timeZone: string;
  settings: Pick<HotlineSettings, 'serviceLevelSeconds' | 'shortAbandonSeconds'>;
  queue?: string | null;
}): HotlineNumbers {
  const queue = input.queue ?? null;
  const mine = callsOfDay(input.calls, input.now, input.timeZone).filter((c) => queue === null || c.queue === queue);
  return { localDay: localDay(input.now, input.timeZone), queue, ...summarizeCalls(mine, input.now, input.settings), agents: countAgents(input.agents, queue) };
}
