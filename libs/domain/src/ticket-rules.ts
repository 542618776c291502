import type { QueueSettings, TicketStages } from '@frontdesk/contracts';

export interface CalledTicketState {
  recallCount: number;
  lastCalledAt: Date;
}

export type RuleResult = { ok: true } | { ok: false; message: string; retryAfterSeconds?: number };

function cooldownLeft(t: CalledTicketState, now: Date, rules: Pick<QueueSettings, 'recallCooldownSeconds'>): number {
  const elapsed = (now.getTime() - t.lastCalledAt.getTime()) / 1000;
  return Math.max(0, Math.ceil(rules.recallCooldownSeconds - elapsed));
}

/** A called ticket may be recalled up to maxRecalls times, with a cooldown between calls. */
export function canRecall(t: CalledTicketState, now: Date, rules: Pick<QueueSettings, 'maxRecalls' | 'recallCooldownSeconds'>): RuleResult {
  if (t.recallCount >= rules.maxRecalls) {
    return { ok: false, message: `ticket was already recalled ${t.recallCount} times (limit ${rules.maxRecalls}); mark it no-show` };
  }
  const left = cooldownLeft(t, now, rules);
  if (left > 0) {
    return { ok: false, message: `wait ${left}s before calling this ticket again`, retryAfterSeconds: left };
  }
  return { ok: true };
}

/** No-show is allowed once the recalls are used up and the last call's cooldown has passed. */
export function canNoShow(t: CalledTicketState, now: Date, rules: Pick<QueueSettings, 'maxRecalls' | 'recallCooldownSeconds'>): RuleResult {
  if (t.recallCount < rules.maxRecalls) {
    const left = rules.maxRecalls - t.recallCount;
    return { ok: false, message: `recall the ticket ${left} more time${left === 1 ? '' : 's'} before marking it no-show` };
  }
  const left = cooldownLeft(t, now, rules);
  if (left > 0) {
    return { ok: false, message: `give the customer ${left}s more to reach the counter before marking no-show`, retryAfterSeconds: left };
  }
  return { ok: true };
}

function secondsBetween(a: Date | null, b: Date | null): number | null {
  return a && b ? Math.round((b.getTime() - a.getTime()) / 1000) : null;
}

/** Per-stage times: wait = first called − created, walk = serving − last called, service = finished − serving. */
export function ticketStages(t: {
  createdAt: Date;
  firstCalledAt: Date | null;
  calledAt: Date | null;
  servingAt: Date | null;
  finishedAt: Date | null;
}): TicketStages {
  return {
    waitSeconds: secondsBetween(t.createdAt, t.firstCalledAt),
    walkSeconds: secondsBetween(t.calledAt, t.servingAt),
    serviceSeconds: secondsBetween(t.servingAt, t.finishedAt),
    totalSeconds: secondsBetween(t.createdAt, t.finishedAt),
  };
}
