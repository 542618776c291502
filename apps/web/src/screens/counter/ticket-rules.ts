import type { CounterStatus, TicketDto, TicketStatus } from '@frontdesk/contracts';

/**
 * What the console offers for a ticket in each state (CONTRACT.md: waiting →
 * called → serving → done, called → no_show, waiting|called → cancelled,
 * waiting|called → waiting by transfer). The API stays the judge: a 409 is
 * shown as it comes, these only keep impossible buttons out of the way.
 */
export type TicketAction = 'recall' | 'serve' | 'finish' | 'no-show' | 'transfer' | 'cancel';

const ALLOWED: Record<TicketStatus, readonly TicketAction[]> = {
  waiting: ['transfer', 'cancel'],
  called: ['recall', 'serve', 'no-show', 'transfer', 'cancel'],
  serving: ['finish'],
  done: [],
  no_show: [],
  cancelled: [],
};

export function canDo(ticket: TicketDto | null, action: TicketAction): boolean {
  return ticket !== null && ALLOWED[ticket.status].includes(action);
}

export type CounterAction = 'pause' | 'open' | 'close';

export function counterActions(status: CounterStatus): CounterAction[] {
  switch (status) {
    case 'open':
      return ['pause', 'close'];
    case 'paused':
      return ['open', 'close'];
    case 'closed':
      return ['open'];
  }
}

/**
 * The order the waiting list is shown in: priority tickets, and normal tickets
 * that waited past the branch's aging limit, first; then by arrival.
 */
export function orderWaiting(tickets: TicketDto[], agingLimitSeconds: number, now: number): TicketDto[] {
  const isUrgent = (ticket: TicketDto) => ticket.priority === 'priority' || now - Date.parse(ticket.createdAt) >= agingLimitSeconds * 1000;
  return [...tickets].sort((a, b) => {
    const urgency = Number(isUrgent(b)) - Number(isUrgent(a));
    return urgency !== 0 ? urgency : Date.parse(a.createdAt) - Date.parse(b.createdAt);
  });
}

export function isAged(ticket: TicketDto, agingLimitSeconds: number, now: number): boolean {
  return ticket.priority !== 'priority' && now - Date.parse(ticket.createdAt) >= agingLimitSeconds * 1000;
}

/** Seconds until the ticket may be recalled again (0 = now). */
export function recallCooldownLeft(ticket: TicketDto, cooldownSeconds: number, now: number): number {
  if (!ticket.calledAt) {
    return 0;
  }
  const readyAt = Date.parse(ticket.calledAt) + cooldownSeconds * 1000;
  return Math.max(0, Math.ceil((readyAt - now) / 1000));
}

/** Pause reasons are sent as stable codes so reports can group them; "other" sends the typed text. */
export const PAUSE_REASONS = ['lunch', 'paperwork', 'break'] as const;
export type PauseReasonCode = (typeof PAUSE_REASONS)[number];

export function isPauseReasonCode(value: string | null | undefined): value is PauseReasonCode {
  return (PAUSE_REASONS as readonly string[]).includes(value ?? '');
}

export const CALL_REASONS = ['appointment', 'returning', 'accessibility', 'manager'] as const;
