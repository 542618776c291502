import type { CounterStatus } from '@frontdesk/contracts';

export type CounterAction = 'open' | 'pause' | 'close';

const TARGET: Record<CounterAction, CounterStatus> = { open: 'open', pause: 'paused', close: 'closed' };
const FROM: Record<CounterAction, readonly CounterStatus[]> = {
  open: ['paused', 'closed'],
  pause: ['open'],
  close: ['open', 'paused'],
};

export type CounterTransition =
  | { ok: true; to: CounterStatus; changed: boolean }
  | { ok: false; currentState: CounterStatus; allowed: CounterAction[]; message: string };

/** Counter states: open ⇄ paused, either → closed, closed → open. Repeating the current state is a no-op. */
export function counterTransition(status: CounterStatus, action: CounterAction): CounterTransition {
  if (TARGET[action] === status) return { ok: true, to: status, changed: false };
  if (FROM[action].includes(status)) return { ok: true, to: TARGET[action], changed: true };
  const allowed = (Object.keys(FROM) as CounterAction[]).filter((a) => FROM[a].includes(status));
  return { ok: false, currentState: status, allowed, message: `cannot ${action} a counter that is ${status}; allowed: ${allowed.join(', ')}` };
}
