import type { QuoteDecision, RepairStatus, WarrantyStatus } from '@frontdesk/contracts';

/**
 * The repair state machine of DOMAIN.md / CONTRACT.md:
 * received → diagnosing → (awaiting_approval) → (awaiting_parts) → repairing → qa → ready_for_pickup → picked_up,
 * qa failing goes back to repairing; returned_unrepaired and cancelled end it early.
 * Used by the API (409 bodies) and the repair board (which buttons to offer).
 */
const NEXT: Record<RepairStatus, readonly RepairStatus[]> = {
  received: ['diagnosing', 'cancelled'],
  diagnosing: ['awaiting_approval', 'awaiting_parts', 'repairing', 'returned_unrepaired', 'cancelled'],
  awaiting_approval: ['awaiting_parts', 'repairing', 'returned_unrepaired', 'cancelled'],
  awaiting_parts: ['repairing', 'returned_unrepaired', 'cancelled'],
  repairing: ['qa', 'awaiting_parts', 'returned_unrepaired'],
  qa: ['ready_for_pickup', 'repairing'],
  ready_for_pickup: ['picked_up'],
  picked_up: [],
  returned_unrepaired: [],
  cancelled: [],
};

/** What the state machine needs to know beyond the state: who pays, and whether the customer said yes. */
export interface RepairGate {
  warranty: WarrantyStatus;
  /** null: no quote was made. */
  quoteDecision: QuoteDecision | null;
}

/** Work the customer pays for: out of warranty, or warranty voided by water or drop damage. */
export function isChargeable(warranty: WarrantyStatus): boolean {
  return warranty === 'out_of_warranty' || warranty === 'void';
}

/** Chargeable work, or any work with a quote on the table, needs the customer's approval first. */
export function needsApproval(gate: RepairGate): boolean {
  if (gate.quoteDecision === 'approved') return false;
  return isChargeable(gate.warranty) || gate.quoteDecision !== null;
}

/** States that spend parts or labour: reachable only once approval is not needed. */
const WORK_STATES: readonly RepairStatus[] = ['awaiting_parts', 'repairing'];

export function isFinalRepairStatus(status: RepairStatus): boolean {
  return NEXT[status].length === 0;
}

/** Where the repair may go from here, in a stable order (409 bodies, board buttons). */
export function allowedRepairTransitions(status: RepairStatus, gate: RepairGate): RepairStatus[] {
  const blocked = needsApproval(gate);
  return NEXT[status].filter((to) => !(blocked && WORK_STATES.includes(to)));
}

export type RepairTransitionResult =
  | { ok: true; to: RepairStatus }
  | { ok: false; currentState: RepairStatus; allowed: RepairStatus[]; message: string };

export function repairTransition(status: RepairStatus, to: RepairStatus, gate: RepairGate): RepairTransitionResult {
  const allowed = allowedRepairTransitions(status, gate);
  if (allowed.includes(to)) return { ok: true, to };
  const list = allowed.length ? allowed.join(', ') : 'none (final state)';
  const why =
    NEXT[status].includes(to) && WORK_STATES.includes(to)
      ? gate.quoteDecision === 'refused'
        ? 'the customer refused the quote'
        : gate.quoteDecision === 'pending'
          ? 'the quote is not approved yet'
          : 'out-of-warranty work needs an approved quote first'
      : `${status} cannot go to ${to}`;
  return { ok: false, currentState: status, allowed, message: `cannot move a ${status} repair to ${to}: ${why}; allowed: ${list}` };
}
