import { DateTime } from 'luxon';
import { alignByWallClock, wallClock } from './series-align';

/** A day's 15-minute buckets as the series API gives them: local start with its offset; value = local hhmm. */
function day(date: string, zone: string) {
  const start = DateTime.fromISO(date, { zone }).startOf('day');
  const end = start.plus({ days: 1 });
  const points = [];
  for (let t = start; t < end; t = t.plus({ minutes: 15 })) points.push({ t: t.toISO()!, value: t.hour * 100 + t.minute });
  return points;
}

describe('last week beside today, by local time', () => {
  it('a plain day matches bucket for bucket', () => {
    const today = day('2026-11-25', 'Asia/Shanghai');
    const lastWeek = day('2026-11-18', 'Asia/Shanghai');
    const aligned = alignByWallClock(today, lastWeek);
    expect(aligned).toHaveLength(96);
    expect(aligned[36]).toBe(900);
    expect(today.map((p) => p.value)).toEqual(aligned);
  });

  it('the day clocks go forward (23 hours): 09:00 today is beside 09:00 last week, not 10:00', () => {
    const today = day('2026-03-08', 'America/New_York');
    const lastWeek = day('2026-03-01', 'America/New_York');
    expect(today).toHaveLength(92);
    const aligned = alignByWallClock(today, lastWeek);
    const at = (hhmm: string) => aligned[today.findIndex((p) => wallClock(p.t) === hhmm)];
    expect(at('01:45')).toBe(145);
    expect(at('03:00')).toBe(300);
    expect(at('09:00')).toBe(900);
    expect(at('23:45')).toBe(2345);
    // By position (the old way) 09:00 today had last week's 08:00.
    expect(lastWeek[today.findIndex((p) => wallClock(p.t) === '09:00')]?.value).toBe(800);
  });

  it('the day clocks go back (25 hours): both 01:00s sit beside last week 01:00, and the rest of the day stays matched', () => {
    const today = day('2026-11-01', 'America/New_York');
    const lastWeek = day('2026-10-25', 'America/New_York');
    expect(today).toHaveLength(100);
    const aligned = alignByWallClock(today, lastWeek);
    const ones = today.flatMap((p, i) => (wallClock(p.t) === '01:00' ? [aligned[i]] : []));
    expect(ones).toEqual([100, 100]);
    expect(aligned[today.findIndex((p) => wallClock(p.t) === '18:30')]).toBe(1830);
    expect(aligned.at(-1)).toBe(2345);
  });

  it('last week had the 25-hour day: today takes its first 01:00 and nothing is shifted after it', () => {
    const today = day('2026-11-08', 'America/New_York');
    const lastWeek = day('2026-11-01', 'America/New_York');
    const aligned = alignByWallClock(today, lastWeek);
    expect(aligned).toHaveLength(96);
    expect(aligned).toEqual(today.map((p) => p.value));
  });

  it('a time last week lacks, or a week with no data yet, has no value', () => {
    const today = day('2026-03-15', 'America/New_York');
    const lastWeek = day('2026-03-08', 'America/New_York');
    const aligned = alignByWallClock(today, lastWeek);
    expect(aligned[today.findIndex((p) => wallClock(p.t) === '02:15')]).toBeNull();
    expect(alignByWallClock(today, [])).toEqual(today.map(() => null));
    expect(alignByWallClock(today, lastWeek.map((p) => ({ ...p, value: null })))[40]).toBeNull();
  });
});
