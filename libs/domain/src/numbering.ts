import { DateTime } from 'luxon';

/** The branch-local calendar day of an instant, as YYYY-MM-DD: ticket numbers restart at local midnight. */
export function localDay(at: Date, timeZone: string): string {
  const dt = DateTime.fromJSDate(at, { zone: timeZone });
  if (!dt.isValid) {
    throw new Error(`invalid time zone: ${timeZone}`);
  }
  return dt.toISODate();
}

/** UTC instant of the start of the branch-local day that contains `at`. */
export function startOfLocalDay(at: Date, timeZone: string): Date {
  return DateTime.fromJSDate(at, { zone: timeZone }).startOf('day').toJSDate();
}

export function isValidTimeZone(timeZone: string): boolean {
  return DateTime.local().setZone(timeZone).isValid;
}

/** A012: the service letter and the day's sequence, at least three digits. */
export function formatTicketNumber(serviceCode: string, sequence: number): string {
  if (!Number.isInteger(sequence) || sequence < 1) {
    throw new Error(`ticket sequence must be a positive integer, got ${sequence}`);
  }
  return `${serviceCode}${String(sequence).padStart(3, '0')}`;
}
