import { followUpDueAt, nextWorkingDayAt } from './callbacks';

const utc = (s: string) => new Date(s);

describe('follow-up due time (回访, N days after pickup at the callback hour, branch time)', () => {
  it('3 days after a Wednesday pickup in Shanghai is Saturday, so it moves to Monday 10:00 local', () => {
    // Wed 2026-11-25 15:00 Shanghai
    expect(followUpDueAt(utc('2026-11-25T07:00:00Z'), 'Asia/Shanghai', 3).toISOString()).toBe('2026-11-30T02:00:00.000Z');
  });

  it('a pickup at 23:59 Shanghai counts from that local day, not from the UTC day', () => {
    // Mon 2026-11-23 23:59 Shanghai = 15:59 UTC Monday; +3 days = Thu 26th 10:00 local
    expect(followUpDueAt(utc('2026-11-23T15:59:00Z'), 'Asia/Shanghai', 3).toISOString()).toBe('2026-11-26T02:00:00.000Z');
    // Tue 2026-11-24 00:01 Shanghai = 16:01 UTC Monday; +3 days = Fri 27th 10:00 local
    expect(followUpDueAt(utc('2026-11-23T16:01:00Z'), 'Asia/Shanghai', 3).toISOString()).toBe('2026-11-27T02:00:00.000Z');
  });

  it('keeps 10:00 local across the spring-forward change in New York (offset -5 → -4)', () => {
    // Fri 2026-03-06 12:00 EST; +3 days = Mon 2026-03-09 10:00 EDT (DST began Sun 03-08)
    expect(followUpDueAt(utc('2026-03-06T17:00:00Z'), 'America/New_York', 3).toISOString()).toBe('2026-03-09T14:00:00.000Z');
  });

  it('keeps 10:00 local across the autumn change in Berlin (offset +2 → +1)', () => {
    // Thu 2026-10-22 16:00 CEST; +3 days = Sun 10-25 (DST ends that day) → Mon 10-26 10:00 CET
    expect(followUpDueAt(utc('2026-10-22T14:00:00Z'), 'Europe/Berlin', 3).toISOString()).toBe('2026-10-26T09:00:00.000Z');
  });

  it('a pickup on the DST day itself still gives the local hour', () => {
    // Sun 2026-03-29 03:30 CEST (the 02:00-03:00 hour did not exist); +1 day = Mon 10:00 CEST
    expect(followUpDueAt(utc('2026-03-29T01:30:00Z'), 'Europe/Berlin', 1).toISOString()).toBe('2026-03-30T08:00:00.000Z');
  });

  it('honours the branch hour', () => {
    expect(followUpDueAt(utc('2026-11-23T02:00:00Z'), 'Asia/Shanghai', 1, 14).toISOString()).toBe('2026-11-24T06:00:00.000Z');
  });
});

describe('next working day for an unreachable caller', () => {
  it('late Friday evening in Shanghai (still Friday there, Friday in UTC) goes to Monday 10:00 local', () => {
    expect(nextWorkingDayAt(utc('2026-11-27T15:30:00Z'), 'Asia/Shanghai').toISOString()).toBe('2026-11-30T02:00:00.000Z');
  });

  it('just after midnight Saturday in Shanghai (Friday in UTC) also goes to Monday', () => {
    expect(nextWorkingDayAt(utc('2026-11-27T16:30:00Z'), 'Asia/Shanghai').toISOString()).toBe('2026-11-30T02:00:00.000Z');
  });

  it('Thursday 23:59 Shanghai goes to Friday, 00:01 Friday goes to Monday', () => {
    expect(nextWorkingDayAt(utc('2026-11-26T15:59:00Z'), 'Asia/Shanghai').toISOString()).toBe('2026-11-27T02:00:00.000Z');
    expect(nextWorkingDayAt(utc('2026-11-26T16:01:00Z'), 'Asia/Shanghai').toISOString()).toBe('2026-11-30T02:00:00.000Z');
  });

  it('Friday before the New York spring-forward weekend goes to Monday 10:00 EDT', () => {
    expect(nextWorkingDayAt(utc('2026-03-06T20:00:00Z'), 'America/New_York').toISOString()).toBe('2026-03-09T14:00:00.000Z');
  });

  it('Saturday of the Berlin autumn change goes to Monday 10:00 CET', () => {
    expect(nextWorkingDayAt(utc('2026-10-24T10:00:00Z'), 'Europe/Berlin').toISOString()).toBe('2026-10-26T09:00:00.000Z');
  });
});
