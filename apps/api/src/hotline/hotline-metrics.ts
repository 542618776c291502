import type { HotlineCallDto, HotlineMetrics } from '@frontdesk/contracts';
import { callsOfDay, callStatus, hotlineMetrics, queuedInstant, type AgentStateRecord } from '@frontdesk/domain';
import type { BranchHotline, StoredCall } from '@frontdesk/db';

/** The contract's metrics for the branch (queue null) or one queue, from the engine in libs/domain. */
export function metricsDto(input: { seq: number; now: Date; branch: BranchHotline; calls: readonly StoredCall[]; agents: readonly AgentStateRecord[]; queue: string | null }): HotlineMetrics {
  const m = hotlineMetrics({ calls: input.calls, agents: input.agents, now: input.now, timeZone: input.branch.timeZone, settings: input.branch.settings, queue: input.queue });
  return {
    seq: input.seq,
    at: input.now.toISOString(),
    localDay: m.localDay,
    queue: m.queue,
    waiting: m.waiting,
    oldestWaitSeconds: m.oldestWaitSeconds,
    serviceLevel: m.serviceLevel,
    asa: m.asa,
    abandonRate: m.abandonRate,
    answered: m.answered,
    abandoned: m.abandoned,
    shortAbandoned: m.shortAbandoned,
    agents: m.agents,
    settings: input.branch.settings,
  };
}

/** Queues seen today (calls) or named by an agent's state, sorted. */
export function queuesOf(calls: readonly StoredCall[], agents: readonly AgentStateRecord[], now: Date, timeZone: string): string[] {
  const names = new Set<string>();
  for (const c of callsOfDay(calls, now, timeZone)) names.add(c.queue);
  for (const a of agents) if (a.queue) names.add(a.queue);
  return [...names].sort();
}

export function callDto(c: StoredCall, now: Date, shortAbandonSeconds: number): HotlineCallDto {
  const { status, waitSeconds } = callStatus(c, { shortAbandonSeconds });
  const queued = queuedInstant(c);
  const ended = c.endedAt ?? c.abandonedAt;
  return {
    callId: c.callId,
    queue: c.queue,
    status: status === 'waiting' ? 'waiting' : status === 'answered' ? (c.endedAt ? 'ended' : 'answered') : 'abandoned',
    queuedAt: queued.toISOString(),
    answeredAt: c.answeredAt?.toISOString() ?? null,
    endedAt: ended?.toISOString() ?? null,
    agentId: c.agentId,
    callerNumber: c.callerNumber,
    waitSeconds: status === 'waiting' ? Math.max(0, Math.round((now.getTime() - queued.getTime()) / 1000)) : waitSeconds,
  };
}
