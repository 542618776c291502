import type { TicketStatus } from '@frontdesk/contracts';

/** What staff can do to a ticket; each is one HTTP action and one live event. */
export type TicketAction = 'call' | 'recall' | 'serve' | 'finish' | 'no_show' | 'cancel' | 'transfer';

/**
 * The ticket state machine of CONTRACT.md:
 * waiting → called → serving → done, called → no_show, waiting|called → cancelled,
 * waiting|called → waiting (transfer). A recall keeps a called ticket called.
 */
const TRANSITIONS: Record<TicketAction, { from: readonly TicketStatus[]; to: TicketStatus }> = {
  call: { from: ['waiting'], to: 'called' },
  recall: { from: ['called'], to: 'called' },
  serve: { from: ['called'], to: 'serving' },
  finish: { from: ['serving'], to: 'done' },
  no_show: { from: ['called'], to: 'no_show' },
  cancel: { from: ['waiting', 'called'], to: 'cancelled' },
  transfer: { from: ['waiting', 'called'], to: 'waiting' },
};

export const ACTIVE_TICKET_STATUSES: readonly TicketStatus[] = ['waiting', 'called', 'serving'];

/**
 * A called or served ticket holds its counter: the counter may not call the next (or close) until it is finished,
 * marked a no-show or transferred.
 */
export function holdsCounter(status: TicketStatus): boolean {
  return status === 'called' || status === 'serving';
}

export type TransitionResult =
  | { ok: true; to: TicketStatus }
  | { ok: false; currentState: TicketStatus; allowed: TicketAction[]; message: string };

/** Actions allowed from a state, in a stable order (used in 409 bodies and to enable buttons). */
export function allowedTicketActions(status: TicketStatus): TicketAction[] {
  return (Object.keys(TRANSITIONS) as TicketAction[]).filter((a) => TRANSITIONS[a].from.includes(status));
}

export function ticketTransition(status: TicketStatus, action: TicketAction): TransitionResult {
  const rule = TRANSITIONS[action];
  if (rule.from.includes(status)) {
    return { ok: true, to: rule.to };
  }
  const allowed = allowedTicketActions(status);
  return {
    ok: false,
    currentState: status,
    allowed,
    message: `cannot ${action.replace('_', '-')} a ticket that is ${status}; allowed: ${allowed.length ? allowed.join(', ') : 'none (final state)'}`,
  };
}
