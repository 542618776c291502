import type { SeriesPoint } from '@frontdesk/contracts';

/**
 * The wall-clock part of a point's time ("09:15"): `t` carries the branch's offset, so this is the local bucket start.
 */
export function wallClock(t: string): string {
  return t.slice(11, 16);
}

/**
 * Last week's values for today's buckets, matched by local wall-clock time rather than by position: on the day DST
 * starts (23 hours) or ends (25 hours) either day has four 15-minute buckets fewer or more, and matching by position
 * drew last week's line an hour off for the rest of the day. A time that occurs twice (01:00–01:45 on the night
 * clocks go back) is matched occurrence by occurrence, and a second occurrence the other day lacks takes its only one;
 * a time the other day lacks (02:00–02:45 on the night clocks go forward) has no value.
 */
export function alignByWallClock(today: SeriesPoint[], before: SeriesPoint[]): (number | null)[] {
  const byTime = new Map<string, (number | null)[]>();
  for (const p of before) {
    const key = wallClock(p.t);
    byTime.set(key, [...(byTime.get(key) ?? []), p.value]);
  }
  const used = new Map<string, number>();
  return today.map((p) => {
    const key = wallClock(p.t);
    const values = byTime.get(key);
    if (!values?.length) return null;
    const n = used.get(key) ?? 0;
    used.set(key, n + 1);
    return values[Math.min(n, values.length - 1)] ?? null;
  });
}
