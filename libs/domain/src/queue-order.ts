import type { QueueSettings, TicketPriority } from '@frontdesk/contracts';

export interface WaitingTicket {
  id: string;
  serviceId: string;
  priority: TicketPriority;
  createdAt: Date;
}

/**
 * A ticket is served as priority when it is a priority ticket or when a normal ticket
 * has waited past the aging limit (so priority tickets cannot starve the others).
 */
export function isEffectivelyPriority(t: WaitingTicket, now: Date, rules: Pick<QueueSettings, 'agingLimitSeconds'>): boolean {
  return t.priority === 'priority' || now.getTime() - t.createdAt.getTime() >= rules.agingLimitSeconds * 1000;
}

/** Service order: effective priority first, then by creation time, then id for a total order. */
export function orderWaiting<T extends WaitingTicket>(
  tickets: readonly T[],
  now: Date,
  rules: Pick<QueueSettings, 'agingLimitSeconds'>,
): T[] {
  return [...tickets].sort((a, b) => {
    const pa = isEffectivelyPriority(a, now, rules) ? 0 : 1;
    const pb = isEffectivelyPriority(b, now, rules) ? 0 : 1;
    if (pa !== pb) return pa - pb;
    const dt = a.createdAt.getTime() - b.createdAt.getTime();
    if (dt !== 0) return dt;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
}

/** The ticket a counter serving `serviceIds` calls next, or null when none waits for it. */
export function pickNext<T extends WaitingTicket>(
  waiting: readonly T[],
  serviceIds: readonly string[],
  now: Date,
  rules: Pick<QueueSettings, 'agingLimitSeconds'>,
): T | null {
  const eligible = waiting.filter((t) => serviceIds.includes(t.serviceId));
  return orderWaiting(eligible, now, rules)[0] ?? null;
}

/** 1-based place of a ticket among the waiting tickets of its own service, or null if not waiting. */
export function positionInService<T extends WaitingTicket>(
  waiting: readonly T[],
  ticketId: string,
  now: Date,
  rules: Pick<QueueSettings, 'agingLimitSeconds'>,
): number | null {
  const me = waiting.find((t) => t.id === ticketId);
  if (!me) return null;
  const ordered = orderWaiting(
    waiting.filter((t) => t.serviceId === me.serviceId),
    now,
    rules,
  );
  return ordered.findIndex((t) => t.id === ticketId) + 1;
}
