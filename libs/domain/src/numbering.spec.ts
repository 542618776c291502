import { formatTicketNumber, isValidTimeZone, localDay, startOfLocalDay } from './numbering';

describe('ticket numbering', () => {
  it('pads the day sequence to three digits behind the service letter', () => {
    expect(formatTicketNumber('A', 12)).toBe('A012');
    expect(formatTicketNumber('B', 1)).toBe('B001');
    expect(formatTicketNumber('C', 1234)).toBe('C1234');
  });

  it('rejects a sequence that is not a positive integer', () => {
    expect(() => formatTicketNumber('A', 0)).toThrow('positive integer');
  });

  it('rolls the day over at local midnight in Shanghai, not at UTC midnight', () => {
    // 15:59:59 UTC is 23:59:59 in Shanghai; one second later is the next local day.
    expect(localDay(new Date('2026-11-25T15:59:59Z'), 'Asia/Shanghai')).toBe('2026-11-25');
    expect(localDay(new Date('2026-11-25T16:00:00Z'), 'Asia/Shanghai')).toBe('2026-11-26');
    // 00:30 UTC is still the previous day in New York.
    expect(localDay(new Date('2026-11-26T00:30:00Z'), 'America/New_York')).toBe('2026-11-25');
  });

  it('gives the UTC instant where the local day starts', () => {
    expect(startOfLocalDay(new Date('2026-11-25T10:00:00Z'), 'Asia/Shanghai').toISOString()).toBe('2026-11-24T16:00:00.000Z');
  });

  it('knows a real time zone from a made-up one', () => {
    expect(isValidTimeZone('Asia/Shanghai')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(() => localDay(new Date(), 'Mars/Olympus')).toThrow('invalid time zone');
  });
});
