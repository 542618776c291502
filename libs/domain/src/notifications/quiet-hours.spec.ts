import { afterLocalDays, reminderDueTimes, sendableAt } from './quiet-hours';

const NIGHT = { start: '21:00', end: '09:00' };
const at = (iso: string) => new Date(iso);

describe('sendableAt: quiet hours in the branch time zone', () => {
  it('lets a notice due in the day go at once', () => {
    expect(sendableAt(at('2026-11-30T06:00:00Z'), 'Asia/Shanghai', NIGHT).toISOString()).toBe('2026-11-30T06:00:00.000Z'); // 14:00 local
    expect(sendableAt(at('2026-11-30T01:00:00Z'), 'Asia/Shanghai', NIGHT).toISOString()).toBe('2026-11-30T01:00:00.000Z'); // 09:00 sharp
    expect(sendableAt(at('2026-11-30T12:59:59Z'), 'Asia/Shanghai', NIGHT).toISOString()).toBe('2026-11-30T12:59:59.000Z'); // 20:59:59
  });

  it('holds a notice due in the evening until 09:00 the next local day', () => {
    // 21:00 and 22:30 Shanghai on 30 Nov → 09:00 on 1 Dec (01:00Z)
    expect(sendableAt(at('2026-11-30T13:00:00Z'), 'Asia/Shanghai', NIGHT).toISOString()).toBe('2026-12-01T01:00:00.000Z');
    expect(sendableAt(at('2026-11-30T14:30:00Z'), 'Asia/Shanghai', NIGHT).toISOString()).toBe('2026-12-01T01:00:00.000Z');
  });

  it('holds a notice due after local midnight until 09:00 the same local day, although it is still the previous UTC day', () => {
    // 00:00 and 08:59 on 1 Dec Shanghai are 16:00Z and 00:59Z on 30 Nov / 1 Dec.
    expect(sendableAt(at('2026-11-30T16:00:00Z'), 'Asia/Shanghai', NIGHT).toISOString()).toBe('2026-12-01T01:00:00.000Z');
    expect(sendableAt(at('2026-12-01T00:59:00Z'), 'Asia/Shanghai', NIGHT).toISOString()).toBe('2026-12-01T01:00:00.000Z');
  });

  it('wakes at 09:00 local time on the night clocks go forward (Berlin, 29 March 2026: 09:00 CEST is 07:00Z, not 08:00Z)', () => {
    // 22:00 CET on the 28th is 21:00Z.
    expect(sendableAt(at('2026-03-28T21:00:00Z'), 'Europe/Berlin', NIGHT).toISOString()).toBe('2026-03-29T07:00:00.000Z');
  });

  it('wakes at 09:00 local time on the night clocks go back (New York, 1 November 2026: 09:00 EST is 14:00Z)', () => {
    // 23:00 EDT on 31 Oct is 03:00Z on 1 Nov; the night is 25 hours long.
    expect(sendableAt(at('2026-11-01T03:00:00Z'), 'America/New_York', NIGHT).toISOString()).toBe('2026-11-01T14:00:00.000Z');
    // 01:30 happens twice that night; both are quiet.
    expect(sendableAt(at('2026-11-01T05:30:00Z'), 'America/New_York', NIGHT).toISOString()).toBe('2026-11-01T14:00:00.000Z');
    expect(sendableAt(at('2026-11-01T06:30:00Z'), 'America/New_York', NIGHT).toISOString()).toBe('2026-11-01T14:00:00.000Z');
  });

  it('takes a quiet end inside the spring-forward gap as the first minute after it', () => {
    // 02:30 does not exist in Berlin on 29 March 2026; 03:30 CEST (01:30Z) is the same elapsed time after 02:00 CET.
    expect(sendableAt(at('2026-03-28T22:00:00Z'), 'Europe/Berlin', { start: '21:00', end: '02:30' }).toISOString()).toBe('2026-03-29T01:30:00.000Z');
  });

  it('handles a quiet window inside one day (lunch) and an empty one', () => {
    const lunch = { start: '12:00', end: '14:00' };
    expect(sendableAt(at('2026-11-30T04:30:00Z'), 'Asia/Shanghai', lunch).toISOString()).toBe('2026-11-30T06:00:00.000Z');
    expect(sendableAt(at('2026-11-30T06:00:00Z'), 'Asia/Shanghai', lunch).toISOString()).toBe('2026-11-30T06:00:00.000Z');
    expect(sendableAt(at('2026-11-30T14:30:00Z'), 'Asia/Shanghai', { start: '00:00', end: '00:00' }).toISOString()).toBe('2026-11-30T14:30:00.000Z');
  });
});

describe('reminder due times', () => {
  it('keeps the local hour across a DST change: ready 10:00 CET, the 3-day reminder is 10:00 CEST', () => {
    expect(afterLocalDays(at('2026-03-26T09:00:00Z'), 'Europe/Berlin', 3).toISOString()).toBe('2026-03-29T08:00:00.000Z');
    expect(reminderDueTimes(at('2026-03-26T09:00:00Z'), 'Europe/Berlin', [7, 3], NIGHT)).toEqual([
      { day: 3, dueAt: at('2026-03-29T08:00:00Z') },
      { day: 7, dueAt: at('2026-04-02T08:00:00Z') },
    ]);
  });

  it('moves a reminder that would fall in quiet hours to the next morning', () => {
    // Ready at 20:50 Shanghai (12:50Z): +3 days is 20:50, allowed; ready at 21:30 → 09:00 three days later plus one.
    expect(reminderDueTimes(at('2026-11-30T12:50:00Z'), 'Asia/Shanghai', [3], NIGHT)[0].dueAt.toISOString()).toBe('2026-12-03T12:50:00.000Z');
    expect(reminderDueTimes(at('2026-11-30T13:30:00Z'), 'Asia/Shanghai', [3], NIGHT)[0].dueAt.toISOString()).toBe('2026-12-04T01:00:00.000Z');
  });
});
