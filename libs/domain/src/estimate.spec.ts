import { estimateErrorSeconds, estimateWaitSeconds, recentServiceSeconds } from './estimate';

describe('wait estimate', () => {
  it('divides the people ahead among the open counters and multiplies by the recent service time', () => {
    expect(estimateWaitSeconds({ peopleAhead: 6, openCounters: 2, recentServiceSeconds: 300 })).toBe(900);
  });

  it('halves when a second counter opens', () => {
    const one = estimateWaitSeconds({ peopleAhead: 4, openCounters: 1, recentServiceSeconds: 240 });
    const two = estimateWaitSeconds({ peopleAhead: 4, openCounters: 2, recentServiceSeconds: 240 });
    expect(one).toBe(960);
    expect(two).toBe(480);
  });

  it('is zero for the first in line and unknown when no counter serves the service', () => {
    expect(estimateWaitSeconds({ peopleAhead: 0, openCounters: 1, recentServiceSeconds: 300 })).toBe(0);
    expect(estimateWaitSeconds({ peopleAhead: 3, openCounters: 0, recentServiceSeconds: 300 })).toBeNull();
  });

  it('uses the default service time until there is history', () => {
    expect(recentServiceSeconds([], 420)).toBe(420);
    expect(recentServiceSeconds([100, 200, 300], 420)).toBe(200);
  });

  it('caps a forgotten ticket so one outlier does not wreck the estimate', () => {
    // default 300 s → cap 1200 s; a 5-hour "service" counts as 1200.
    expect(recentServiceSeconds([300, 18_000], 300)).toBe(750);
  });

  it('measures the error as real wait minus estimate', () => {
    expect(estimateErrorSeconds(600, 750)).toBe(150);
    expect(estimateErrorSeconds(600, 400)).toBe(-200);
    expect(estimateErrorSeconds(null, 400)).toBeNull();
  });
});
