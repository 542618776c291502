import type { RepairSummaryDto } from '@frontdesk/contracts';
import { filterRepairs, formatMoney, isOverdue, mergeRepair, parseMoney, replaceList } from './repair-model';
import { isoToZonedInput, zonedInputToIso } from './zoned-time';

function repair(over: Partial<RepairSummaryDto> = {}): RepairSummaryDto {
  return {
    id: 'r1',
    branchId: 'b1',
    orderNo: 'R20261125-0001',
    status: 'received',
    customer: { id: 'c1', name: '陈小明', phoneMasked: '138****8000' },
    device: { brand: 'Apple', model: 'iPhone 13', imei: '490154203237518', serial: null },
    fault: 'screen',
    condition: null,
    accessories: [],
    purchaseDate: null,
    warranty: { status: 'in_warranty', reason: '', reasonZh: '', overridden: false, computedStatus: 'in_warranty', overrideNote: null },
    notify: 'sms',
    ticketId: null,
    ticketNumber: null,
    promisedAt: '2026-11-27T12:00:00.000Z',
    overdue: false,
    repeatOf: null,
    technician: null,
    diagnosisNote: null,
    partsNote: null,
    quote: null,
    payment: null,
    pickup: { locked: false, failedAttempts: 0 },
    survey: null,
    createdAt: '2026-11-25T10:00:00.000Z',
    updatedAt: '2026-11-25T10:00:00.000Z',
    readyAt: null,
    closedAt: null,
    allowedTransitions: ['diagnosing', 'cancelled'],
    ...over,
  };
}

describe('the repair board list', () => {
  it('puts a newer copy of a repair in place of the older one', () => {
    const next = mergeRepair([repair()], repair({ status: 'diagnosing', updatedAt: '2026-11-25T10:05:00.000Z' }));
    expect(next.map((r) => r.status)).toEqual(['diagnosing']);
  });

  it('never lets an older copy (a slow HTTP answer) replace a newer one', () => {
    const current = [repair({ status: 'qa', updatedAt: '2026-11-25T11:00:00.000Z' })];
    expect(mergeRepair(current, repair({ status: 'repairing', updatedAt: '2026-11-25T10:30:00.000Z' }))[0]?.status).toBe('qa');
  });

  it('drops a repair once it is picked up, returned or cancelled', () => {
    expect(mergeRepair([repair()], repair({ status: 'picked_up', updatedAt: '2026-11-25T12:00:00.000Z' }))).toEqual([]);
  });

  it('a fresh list keeps what the live stream changed after the list was asked for', () => {
    const requestedAt = Date.parse('2026-11-25T10:10:00.000Z');
    const live = repair({ id: 'r2', orderNo: 'R20261125-0002', updatedAt: '2026-11-25T10:11:00.000Z' });
    const stale = repair({ id: 'r3', updatedAt: '2026-11-25T09:00:00.000Z' });
    const next = replaceList([live, stale], [repair()], requestedAt);
    expect(next.map((r) => r.id).sort()).toEqual(['r1', 'r2']);
  });

  it('filters by order number, masked phone and IMEI, overdue and technician', () => {
    const now = new Date('2026-11-26T00:00:00.000Z');
    const late = repair({ id: 'late', promisedAt: '2026-11-25T12:00:00.000Z', technician: { id: 'u1', name: 'Zhao' } });
    const list = [repair(), late];
    expect(filterRepairs(list, { text: '0001', overdueOnly: false, technician: 'all' }, null, now)).toHaveLength(2);
    expect(filterRepairs(list, { text: '8000', overdueOnly: false, technician: 'all' }, null, now)).toHaveLength(2);
    expect(filterRepairs(list, { text: '4901 5420', overdueOnly: false, technician: 'all' }, null, now)).toHaveLength(2);
    expect(filterRepairs(list, { text: '', overdueOnly: true, technician: 'all' }, null, now).map((r) => r.id)).toEqual(['late']);
    expect(filterRepairs(list, { text: '', overdueOnly: false, technician: 'mine' }, 'u1', now).map((r) => r.id)).toEqual(['late']);
    expect(filterRepairs(list, { text: '', overdueOnly: false, technician: 'unassigned' }, 'u1', now).map((r) => r.id)).toEqual(['r1']);
  });

  it('a repair ready for pickup is never overdue, whatever its promise', () => {
    const now = new Date('2026-12-01T00:00:00.000Z');
    expect(isOverdue(repair(), now)).toBe(true);
    expect(isOverdue(repair({ status: 'ready_for_pickup' }), now)).toBe(false);
  });
});

describe('money and branch time at the desk', () => {
  it('reads yuan as typed into fen, and refuses what is not an amount', () => {
    expect(parseMoney('128')).toBe(12_800);
    expect(parseMoney('128.5')).toBe(12_850);
    expect(parseMoney('12.345')).toBeNull();
    expect(parseMoney('abc')).toBeNull();
    expect(formatMoney(12_850, 'CNY', 'en-GB')).toContain('128.50');
  });

  it('a promised time typed in Shanghai wall-clock time is the right instant, whatever the desk computer zone', () => {
    expect(zonedInputToIso('2026-11-27T18:00', 'Asia/Shanghai')).toBe('2026-11-27T10:00:00.000Z');
    expect(isoToZonedInput('2026-11-27T10:00:00.000Z', 'Asia/Shanghai')).toBe('2026-11-27T18:00');
    expect(zonedInputToIso('2026-03-29T03:30', 'Europe/Berlin')).toBe('2026-03-29T01:30:00.000Z');
    expect(zonedInputToIso('not a time', 'Asia/Shanghai')).toBeNull();
  });
});
