import type { RepairStatus } from '@frontdesk/contracts';

/** R20261125-0007: R, the branch-local intake day, and the day's sequence of the branch. */
export function formatRepairOrderNo(localDay: string, sequence: number): string {
  if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(localDay)) throw new Error(`local day must be YYYY-MM-DD, got ${localDay}`);
  if (!Number.isInteger(sequence) || sequence < 1) throw new Error(`repair sequence must be a positive integer, got ${sequence}`);
  return `R${localDay.replace(/-/g, '')}-${String(sequence).padStart(4, '0')}`;
}

/** Accepts what a customer may type: lower case, spaces, without the dash. */
export function normalizeOrderNo(input: string): string {
  const s = input.trim().toUpperCase().replace(/\s/g, '');
  const m = /^R?([0-9]{8})-?([0-9]{4,})$/.exec(s);
  return m ? `R${m[1]}-${m[2]}` : s;
}

/** A repair counts as done for "overdue" once it is ready (or ended). */
const DONE: readonly RepairStatus[] = ['ready_for_pickup', 'picked_up', 'returned_unrepaired', 'cancelled'];

/** DOMAIN.md: overdue = past promised time and not ready. */
export function isRepairOverdue(status: RepairStatus, promisedAt: Date, now: Date): boolean {
  return !DONE.includes(status) && now.getTime() > promisedAt.getTime();
}

/** Default promised completion when intake gives none. */
export const DEFAULT_TURNAROUND_HOURS = 48;
export function defaultPromisedAt(receivedAt: Date, hours = DEFAULT_TURNAROUND_HOURS): Date {
  return new Date(receivedAt.getTime() + hours * 3600_000);
}

/** Wrong pickup codes before the order locks until a manager unlocks it. */
export const MAX_PICKUP_ATTEMPTS = 5;

/** The window in which the same device coming back is a repeat repair. */
export const REPEAT_REPAIR_DAYS = 90;

/** Ready for pickup longer than this is "uncollected". */
export const UNCOLLECTED_DAYS = 3;

export interface RepairKpiInput {
  status: RepairStatus;
  receivedAt: Date;
  readyAt: Date | null;
  promisedAt: Date;
  isRepeat: boolean;
  surveyScore: number | null;
}

export interface RepairKpis {
  turnaroundSeconds: number | null;
  readyCount: number;
  overdue: number;
  repeatRate: number | null;
  repeatRepairs: number;
  repairsConsidered: number;
  uncollected: number;
  satisfactionAvg: number | null;
  satisfactionShareGood: number | null;
  surveys: number;
}

/**
 * DOMAIN.md repair KPIs over a set of repairs: turnaround (ready − received) of those that became ready since
 * `readySince`; overdue and uncollected of the active ones now; repeat rate and satisfaction over all given.
 */
export function repairKpis(repairs: readonly RepairKpiInput[], now: Date, readySince: Date): RepairKpis {
  const ready = repairs.filter((r) => r.readyAt && r.readyAt >= readySince);
  const turnaround = ready.map((r) => (r.readyAt!.getTime() - r.receivedAt.getTime()) / 1000);
  const scores = repairs.map((r) => r.surveyScore).filter((s): s is number => s !== null);
  const repeats = repairs.filter((r) => r.isRepeat).length;
  const uncollectedBefore = now.getTime() - UNCOLLECTED_DAYS * 86400_000;
  return {
    turnaroundSeconds: turnaround.length ? Math.round(turnaround.reduce((a, b) => a + b, 0) / turnaround.length) : null,
    readyCount: ready.length,
    overdue: repairs.filter((r) => isRepairOverdue(r.status, r.promisedAt, now)).length,
    repeatRate: repairs.length ? repeats / repairs.length : null,
    repeatRepairs: repeats,
    repairsConsidered: repairs.length,
    uncollected: repairs.filter((r) => r.status === 'ready_for_pickup' && r.readyAt && r.readyAt.getTime() < uncollectedBefore).length,
    satisfactionAvg: scores.length ? Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 100) / 100 : null,
    satisfactionShareGood: scores.length ? scores.filter((s) => s >= 4).length / scores.length : null,
    surveys: scores.length,
  };
}
