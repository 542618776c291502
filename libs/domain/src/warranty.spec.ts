import { damageFound, decideWarranty } from './warranty';

// 2026-11-25 10:00 in Shanghai.
const receivedAt = new Date('2026-11-25T02:00:00Z');
const decide = (purchaseDate: string | null, fault = 'screen flickers', condition?: string) =>
  decideWarranty({ purchaseDate, receivedAt, timeZone: 'Asia/Shanghai', fault, condition });

describe('warranty at intake', () => {
  it('is a return within 7 local days of purchase, the 7th day included', () => {
    expect(decide('2026-11-18')).toMatchObject({ status: 'return_window', daysSincePurchase: 7 });
  });

  it('is an exchange from day 8 to day 30', () => {
    expect(decide('2026-11-17').status).toBe('exchange_window');
    expect(decide('2026-10-26')).toMatchObject({ status: 'exchange_window', daysSincePurchase: 30 });
  });

  it('is a free repair after 30 days up to one year', () => {
    expect(decide('2026-10-25').status).toBe('in_warranty');
    expect(decide('2025-11-25').status).toBe('in_warranty');
  });

  it('is out of warranty after a year, with the reason', () => {
    const d = decide('2025-11-24');
    expect(d.status).toBe('out_of_warranty');
    expect(d.reason).toContain('past the 12-month warranty');
  });

  it('counts days in the branch time zone, not UTC', () => {
    // 2026-11-25T17:00Z is already 26 November in Shanghai: a purchase on the 19th is 7 days back there.
    const late = decideWarranty({ purchaseDate: '2026-11-19', receivedAt: new Date('2026-11-25T17:00:00Z'), timeZone: 'Asia/Shanghai', fault: 'x' });
    expect(late.daysSincePurchase).toBe(7);
  });

  it('is out of warranty without a purchase date', () => {
    expect(decide(null).status).toBe('out_of_warranty');
  });

  it('is void for water damage described in Chinese, whatever the purchase date', () => {
    const d = decide('2026-11-20', '手机进水后无法开机');
    expect(d.status).toBe('void');
    expect(d.reasonZh).toContain('进水');
  });

  it('is void for drop damage seen at intake (condition), in English', () => {
    expect(decide('2026-11-20', 'no display', 'screen cracked, phone was dropped').reason).toBe('drop damage voids the warranty');
  });

  it('is void for 摔坏 in the fault', () => {
    expect(decide('2026-06-01', '摔坏屏幕').status).toBe('void');
  });

  it('does not take dropped calls for drop damage', () => {
    expect(damageFound('calls drop after a minute')).toBeNull();
    expect(decide('2026-06-01', 'signal drops in the lift').status).toBe('in_warranty');
  });
});
