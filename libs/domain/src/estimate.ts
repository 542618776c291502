/**
 * DOMAIN.md: estimated wait = people ahead ÷ open counters serving that service × recent service time.
 * Returns null when no counter serves the service (no honest estimate exists).
 */
export function estimateWaitSeconds(input: {
  peopleAhead: number;
  openCounters: number;
  recentServiceSeconds: number;
}): number | null {
  const { peopleAhead, openCounters, recentServiceSeconds } = input;
  if (openCounters <= 0) return null;
  if (peopleAhead <= 0) return 0;
  return Math.round((peopleAhead / openCounters) * recentServiceSeconds);
}

/**
 * Recent service time of a service: the mean of the latest finished service durations,
 * falling back to the service's configured default while there is no history.
 * Outliers past 4× the default (a counter left open over lunch) are capped so one
 * forgotten ticket does not wreck every estimate.
 */
export function recentServiceSeconds(latestDurations: readonly number[], defaultSeconds: number): number {
  const usable = latestDurations.filter((d) => Number.isFinite(d) && d >= 0);
  if (usable.length === 0) return defaultSeconds;
  const cap = defaultSeconds * 4;
  const sum = usable.reduce((s, d) => s + Math.min(d, cap), 0);
  return Math.round(sum / usable.length);
}

/** Error of the estimate against the real wait, in seconds: positive when the customer waited longer than told. */
export function estimateErrorSeconds(estimatedSeconds: number | null, actualSeconds: number): number | null {
  return estimatedSeconds === null ? null : Math.round(actualSeconds - estimatedSeconds);
}
