import { DateTime } from 'luxon';

export interface QuietHours {
  /** HH:mm branch-local; the window may cross midnight (21:00-09:00) or not (12:00-14:00). */
  start: string;
  end: string;
}

const minutesOf = (hhmm: string): number => {
  const [h = 0, m = 0] = hhmm.split(':').map(Number);
  return h * 60 + m;
};

/**
 * When a notice due at `due` may go out: `due` itself, or the end of the quiet window it falls in, on the right
 * local day. Wall-clock arithmetic in the branch's zone, so a DST change moves the UTC instant, not the local hour;
 * an end time that falls in a spring-forward gap is taken as the first instant after the gap.
 */
export function sendableAt(due: Date, timeZone: string, quiet: QuietHours): Date {
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  if (start === end) return due;
  const local = DateTime.fromJSDate(due, { zone: timeZone });
  if (!local.isValid) throw new Error(`invalid time zone ${timeZone}`);
  const now = local.hour * 60 + local.minute + local.second / 60 + local.millisecond / 60000;
  const crossesMidnight = start > end;
  let endDay: DateTime | null = null;
  if (crossesMidnight) {
    if (now >= start) endDay = local.plus({ days: 1 });
    else if (now < end) endDay = local;
  } else if (now >= start && now < end) {
    endDay = local;
  }
  if (!endDay) return due;
  const wake = DateTime.fromObject(
    { year: endDay.year, month: endDay.month, day: endDay.day, hour: Math.floor(end / 60), minute: end % 60 },
    { zone: timeZone },
  );
  return wake.toJSDate();
}

/** `days` calendar days after `from` at the same local wall-clock time (a DST change in between keeps the hour). */
export function afterLocalDays(from: Date, timeZone: string, days: number): Date {
  return DateTime.fromJSDate(from, { zone: timeZone }).plus({ days }).toJSDate();
}

/** Due times of the "not collected yet" reminders: `reminderDays` after ready, moved out of quiet hours. */
export function reminderDueTimes(readyAt: Date, timeZone: string, reminderDays: readonly number[], quiet: QuietHours): { day: number; dueAt: Date }[] {
  return [...new Set(reminderDays)]
    .sort((a, b) => a - b)
    .map((day) => ({ day, dueAt: sendableAt(afterLocalDays(readyAt, timeZone, day), timeZone, quiet) }));
}
