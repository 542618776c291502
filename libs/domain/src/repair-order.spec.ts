import { formatRepairOrderNo, isRepairOverdue, normalizeOrderNo, repairKpis, type RepairKpiInput } from './repair-order';

const at = (s: string) => new Date(s);

describe('repair order numbers', () => {
  it('is R, the local day and a four-digit sequence', () => {
    expect(formatRepairOrderNo('2026-11-25', 7)).toBe('R20261125-0007');
  });

  it('refuses a sequence below one', () => {
    expect(() => formatRepairOrderNo('2026-11-25', 0)).toThrow('positive integer');
  });

  it('reads what a customer types back into the canonical form', () => {
    expect(normalizeOrderNo(' r20261125 0007')).toBe('R20261125-0007');
    expect(normalizeOrderNo('R202611250007')).toBe('R20261125-0007');
  });
});

describe('overdue repairs', () => {
  it('is overdue past the promised time while not ready', () => {
    expect(isRepairOverdue('repairing', at('2026-11-25T10:00:00Z'), at('2026-11-25T10:00:01Z'))).toBe(true);
  });

  it('is not overdue once ready, even past the promised time', () => {
    expect(isRepairOverdue('ready_for_pickup', at('2026-11-25T10:00:00Z'), at('2026-11-26T10:00:00Z'))).toBe(false);
  });

  it('is not overdue before the promised time', () => {
    expect(isRepairOverdue('diagnosing', at('2026-11-25T10:00:00Z'), at('2026-11-25T09:00:00Z'))).toBe(false);
  });
});

describe('repair KPIs', () => {
  const now = at('2026-11-25T12:00:00Z');
  const base: RepairKpiInput = { status: 'repairing', receivedAt: at('2026-11-25T08:00:00Z'), readyAt: null, promisedAt: at('2026-11-26T08:00:00Z'), isRepeat: false, surveyScore: null };

  it('averages turnaround over repairs that became ready since the day started', () => {
    const k = repairKpis(
      [
        { ...base, status: 'ready_for_pickup', readyAt: at('2026-11-25T10:00:00Z') },
        { ...base, status: 'picked_up', readyAt: at('2026-11-25T12:00:00Z') },
        { ...base, status: 'picked_up', receivedAt: at('2026-11-20T08:00:00Z'), readyAt: at('2026-11-21T08:00:00Z') },
      ],
      now,
      at('2026-11-24T16:00:00Z'),
    );
    expect(k.turnaroundSeconds).toBe(3 * 3600);
    expect(k.readyCount).toBe(2);
  });

  it('counts overdue, repeat rate, uncollected after 3 days and satisfaction', () => {
    const k = repairKpis(
      [
        { ...base, promisedAt: at('2026-11-25T11:00:00Z') },
        { ...base, isRepeat: true, surveyScore: 5 },
        { ...base, status: 'ready_for_pickup', readyAt: at('2026-11-21T11:00:00Z'), surveyScore: 3 },
        { ...base, status: 'picked_up', surveyScore: 4 },
      ],
      now,
      at('2026-11-24T16:00:00Z'),
    );
    expect(k).toMatchObject({ overdue: 1, repeatRate: 0.25, repeatRepairs: 1, uncollected: 1, satisfactionAvg: 4, surveys: 3 });
    expect(k.satisfactionShareGood).toBeCloseTo(2 / 3);
  });
});
