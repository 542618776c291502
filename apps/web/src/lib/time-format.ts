import { makeDateTimeFormat } from '@frontdesk/ui';

/** Whole minutes a customer should expect, rounded up; null when the API has no estimate yet. */
export function waitMinutes(seconds: number | null | undefined): number | null {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) {
    return null;
  }
  return Math.max(0, Math.ceil(seconds / 60));
}

/** Elapsed time for staff timers: m:ss under an hour, h:mm:ss after. */
export function formatElapsed(seconds: number): string {
  const total = Math.max(0, Math.floor(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

export function secondsSince(iso: string | null | undefined, now: Date): number | null {
  if (!iso) {
    return null;
  }
  const start = Date.parse(iso);
  return Number.isNaN(start) ? null : Math.max(0, (now.getTime() - start) / 1000);
}

const timeFormats = new Map<string, Intl.DateTimeFormat>();

/** hh:mm in the branch's zone (or the device's when unknown). */
export function formatTime(iso: string | Date | null | undefined, timeZone?: string, withSeconds = false): string {
  if (!iso) {
    return '';
  }
  const date = typeof iso === 'string' ? new Date(iso) : iso;
  if (Number.isNaN(date.getTime())) {
    return '';
  }
  const key = `${timeZone ?? ''}|${withSeconds}`;
  let format = timeFormats.get(key);
  if (!format) {
    format = makeDateTimeFormat('en-GB', {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      second: withSeconds ? '2-digit' : undefined,
      hourCycle: 'h23',
    });
    timeFormats.set(key, format);
  }
  return format.format(date);
}

export function formatDate(iso: string | Date, locale: string, timeZone?: string): string {
  const date = typeof iso === 'string' ? new Date(iso) : iso;
  return makeDateTimeFormat(locale, { timeZone, year: 'numeric', month: 'short', day: 'numeric' }).format(date);
}
