/**
 * `<input type="datetime-local">` speaks wall-clock time without a zone; a repair's promised time is
 * an instant, shown and typed in the branch's zone whatever the desk computer's zone is.
 */
function offsetMs(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour') % 24, get('minute'), get('second'));
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** 2026-11-25T18:00 (branch wall clock) → ISO UTC; null when the text is not a date-time. */
export function zonedInputToIso(value: string, timeZone: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!match) {
    return null;
  }
  const [, y, mo, d, h, mi] = match.map(Number) as [number, number, number, number, number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  // Twice, so an instant next to a DST change settles on the right offset.
  let instant = wall - offsetMs(wall, timeZone);
  instant = wall - offsetMs(instant, timeZone);
  return new Date(instant).toISOString();
}

/** ISO instant → the branch's wall clock for a datetime-local input. */
export function isoToZonedInput(iso: string, timeZone: string): string {
  const instant = Date.parse(iso);
  if (Number.isNaN(instant)) {
    return '';
  }
  return new Date(instant + offsetMs(instant, timeZone)).toISOString().slice(0, 16);
}

/** 25 Nov 18:00 in the branch's zone, for slips and the status page. */
export function formatDateTime(iso: string | null | undefined, locale: string, timeZone: string): string {
  if (!iso) {
    return '';
  }
  return new Intl.DateTimeFormat(locale, {
    timeZone,
    month: 'short',
    day: 'numeric',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));
}
