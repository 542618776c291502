import { averageWaitWith, erlangC, serversForAverageWait, serversForServiceLevel, serviceLevelWith, trafficOf } from './staffing';

describe('Erlang C staffing', () => {
  it('matches the textbook example: 100 calls/30 min, AHT 180 s, 20 s threshold', () => {
    // 200 calls an hour × 180 s = 10 Erlangs; with 11 agents P(wait) ≈ 0.682, with 14 agents P(wait) ≈ 0.174.
    const a = trafficOf({ arrivalsPerHour: 200, handleSeconds: 180 });
    expect(a).toBeCloseTo(10, 10);
    expect(erlangC(11, a)).toBeCloseTo(0.6821, 3);
    expect(erlangC(14, a)).toBeCloseTo(0.1741, 3);
    expect(serviceLevelWith(14, a, 180, 20)).toBeCloseTo(1 - 0.1741 * Math.exp(-80 / 180), 3);
    expect(serversForServiceLevel({ arrivalsPerHour: 200, handleSeconds: 180, thresholdSeconds: 20, targetLevel: 0.8 })).toBe(14); // 13 agents give 79.6 %
  });

  it('needs no one when nobody arrives, and more than the load when people do', () => {
    expect(serversForServiceLevel({ arrivalsPerHour: 0, handleSeconds: 180, thresholdSeconds: 15, targetLevel: 0.8 })).toBe(0);
    expect(serversForAverageWait({ arrivalsPerHour: 0, handleSeconds: 300, targetWaitSeconds: 600 })).toBe(0);
    expect(serversForAverageWait({ arrivalsPerHour: 30, handleSeconds: 300, targetWaitSeconds: 600 })).toBe(3);
  });

  it('an overloaded queue waits for ever; one server more than the load is finite', () => {
    expect(averageWaitWith(2, 2.5, 300)).toBe(Number.POSITIVE_INFINITY);
    expect(erlangC(2, 2.5)).toBe(1);
    expect(Number.isFinite(averageWaitWith(3, 2.5, 300))).toBe(true);
  });

  it('single server reduces to M/M/1: P(wait) = ρ and mean wait = ρ/(1−ρ) × service', () => {
    expect(erlangC(1, 0.5)).toBeCloseTo(0.5, 10);
    expect(averageWaitWith(1, 0.5, 100)).toBeCloseTo(100, 6);
  });

  it('stays finite for large centres', () => {
    const c = serversForServiceLevel({ arrivalsPerHour: 3000, handleSeconds: 240, thresholdSeconds: 15, targetLevel: 0.8 });
    expect(c).toBeGreaterThan(200);
    expect(c).toBeLessThan(230);
  });
});
