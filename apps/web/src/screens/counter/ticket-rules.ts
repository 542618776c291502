import type { CounterStatus, QueueSettings, TicketDto } from '@frontdesk/contracts';
import { allowedTicketActions, canNoShow, canRecall, counterTransition, holdsCounter, isEffectivelyPriority, orderWaiting as orderByServiceRules } from '@frontdesk/domain';

/**
 * The console asks the same pure rules the API enforces (libs/domain), so a
 * button is enabled exactly when the server would accept it. The API stays the
 * judge: a 409 still shows its message.
 */
export type DeskAction = 'recall' | 'serve' | 'finish' | 'no-show' | 'transfer' | 'cancel';

const DOMAIN_ACTION = { recall: 'recall', serve: 'serve', finish: 'finish', 'no-show': 'no_show', transfer: 'transfer', cancel: 'cancel' } as const;

export function canDo(ticket: TicketDto | null, action: DeskAction): boolean {
  return ticket !== null && allowedTicketActions(ticket.status).includes(DOMAIN_ACTION[action]);
}

/** Whether the counter may call the next: not while its current customer is called or being served. */
export function canCallNext(current: TicketDto | null): boolean {
  return current === null || !holdsCounter(current.status);
}

/** Why recall or no-show is not possible yet, in a form the UI can word and count down. */
export type CallRuleState = { kind: 'ok' } | { kind: 'wait'; seconds: number } | { kind: 'blocked' };

function calledState(ticket: TicketDto) {
  return { recallCount: ticket.recallCount, lastCalledAt: new Date(ticket.calledAt ?? ticket.createdAt) };
}

function toState(result: ReturnType<typeof canRecall>): CallRuleState {
  if (result.ok) {
    return { kind: 'ok' };
  }
  return result.retryAfterSeconds ? { kind: 'wait', seconds: result.retryAfterSeconds } : { kind: 'blocked' };
}

export function recallState(ticket: TicketDto, settings: QueueSettings, now: Date): CallRuleState {
  return toState(canRecall(calledState(ticket), now, settings));
}

export function noShowState(ticket: TicketDto, settings: QueueSettings, now: Date): CallRuleState {
  return toState(canNoShow(calledState(ticket), now, settings));
}

export type CounterAction = 'pause' | 'open' | 'close';

/** The counter changes that would actually change something, in display order. */
export function counterActions(status: CounterStatus): CounterAction[] {
  return (['pause', 'open', 'close'] as const).filter((action) => {
    const result = counterTransition(status, action);
    return result.ok && result.changed;
  });
}

/** The waiting list in the order the API will call it (priority and aged tickets first, then by arrival). */
export function orderWaiting(tickets: TicketDto[], settings: Pick<QueueSettings, 'agingLimitSeconds'>, now: Date): TicketDto[] {
  const keyed = tickets.map((ticket) => ({
    id: ticket.id,
    serviceId: ticket.serviceId,
    priority: ticket.priority,
    createdAt: new Date(ticket.createdAt),
    ticket,
  }));
  return orderByServiceRules(keyed, now, settings).map((entry) => entry.ticket);
}

/** A normal ticket that waited past the aging limit: served like a priority one. */
export function isAged(ticket: TicketDto, settings: Pick<QueueSettings, 'agingLimitSeconds'>, now: Date): boolean {
  return ticket.priority !== 'priority' && isEffectivelyPriority({ ...ticket, createdAt: new Date(ticket.createdAt) }, now, settings);
}

/** Pause reasons are sent as stable codes so reports can group them; "other" sends the typed text. */
export const PAUSE_REASONS = ['lunch', 'paperwork', 'break'] as const;
export type PauseReasonCode = (typeof PAUSE_REASONS)[number];

export function isPauseReasonCode(value: string | null | undefined): value is PauseReasonCode {
  return (PAUSE_REASONS as readonly string[]).includes(value ?? '');
}

export const CALL_REASONS = ['appointment', 'returning', 'accessibility', 'manager'] as const;
