import type { KpiDirection, KpiStatus } from '@frontdesk/contracts';

/** Amber from this share of the way to the target (a wait at 90 % of its target is a warning). */
export const WARN_SHARE = 0.9;

/**
 * A tile's colour: red once the target is breached, amber when it is close (within 10 % of the target),
 * green otherwise or when there is nothing to judge (no target, or no value yet today).
 */
export function kpiStatus(value: number | null, target: number | undefined, direction: KpiDirection): KpiStatus {
  if (value === null || target === undefined) return 'ok';
  if (direction === 'lower_better') {
    if (value > target) return 'breach';
    // A target of 0 (overdue repairs) has no amber zone: any is a breach.
    return target > 0 && value >= target * WARN_SHARE ? 'warn' : 'ok';
  }
  if (value < target) {
    return value >= target * WARN_SHARE ? 'warn' : 'breach';
  }
  return 'ok';
}
