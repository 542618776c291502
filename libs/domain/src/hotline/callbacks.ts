import { DateTime } from 'luxon';
import type { HotlineSettings } from '@frontdesk/contracts';
import { localDay } from '../numbering';
import { callStatus, queuedInstant, type CallRecord } from './calls';

/**
 * An abandoned call becomes a callback when it was abandoned after the short-abandon threshold, has a
 * caller number, and the same number did not get through later that local day.
 */
export function needsAbandonCallback(
  call: CallRecord,
  sameNumber: readonly CallRecord[],
  timeZone: string,
  settings: Pick<HotlineSettings, 'shortAbandonSeconds'>,
): boolean {
  if (!call.callerNumber || callStatus(call, settings).status !== 'abandoned') return false;
  return !sameNumber.some((other) => other.callId !== call.callId && gotThroughLater(other, call, timeZone));
}

/** `other` was answered, started waiting at or after `call`, on the same local day. */
export function gotThroughLater(other: CallRecord, call: CallRecord, timeZone: string): boolean {
  return (
    other.answeredAt !== null &&
    queuedInstant(other).getTime() >= queuedInstant(call).getTime() &&
    localDay(queuedInstant(other), timeZone) === localDay(queuedInstant(call), timeZone)
  );
}

/** Next Monday-to-Friday day after `now` in the branch zone, at `hour`:00 local (retries of unreachable callbacks). */
export function nextWorkingDayAt(now: Date, timeZone: string, hour = 10): Date {
  let d = DateTime.fromJSDate(now, { zone: timeZone }).plus({ days: 1 }).set({ hour, minute: 0, second: 0, millisecond: 0 });
  while (d.weekday > 5) d = d.plus({ days: 1 });
  return d.toJSDate();
}

/**
 * When the follow-up callback (回访) of a repair picked up at `pickedUpAt` is due: `days` local calendar days later
 * at `hour`:00 branch time, moved to the next Monday-to-Friday when that is a weekend. Calendar days, not 24-hour
 * periods, so a DST change in between keeps the local hour; a pickup just before local midnight counts from its own
 * local day.
 */
export function followUpDueAt(pickedUpAt: Date, timeZone: string, days: number, hour = 10): Date {
  let d = DateTime.fromJSDate(pickedUpAt, { zone: timeZone }).startOf('day').plus({ days }).set({ hour, minute: 0, second: 0, millisecond: 0 });
  while (d.weekday > 5) d = d.plus({ days: 1 });
  return d.toJSDate();
}
