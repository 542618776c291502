import type { CallbackDto } from '@frontdesk/contracts';

export type Column = 'due' | 'overdue' | 'scheduled' | 'done';
export const COLUMNS: Column[] = ['due', 'overdue', 'scheduled', 'done'];

/** Where a callback stands by the clock: the status from the server ages while the screen stays open. */
export function columnOf(c: Pick<CallbackDto, 'status' | 'dueAt' | 'onTimeBy'>, now: Date): Column {
  if (c.status === 'done') return 'done';
  if (Date.parse(c.onTimeBy) < now.getTime()) return 'overdue';
  return Date.parse(c.dueAt) <= now.getTime() ? 'due' : 'scheduled';
}
