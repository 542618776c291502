import { maskPhonesInUrl } from './log-privacy';

describe('phone numbers in logged URLs', () => {
  it('masks a phone in the query string, in any form', () => {
    expect(maskPhonesInUrl('/api/customers/by-phone?phone=13800138000')).toBe('/api/customers/by-phone?phone=138****8000');
    expect(maskPhonesInUrl('/api/customers/by-phone?phone=%2B8613800138000&branchId=x')).toBe('/api/customers/by-phone?phone=138****8000&branchId=x');
    expect(maskPhonesInUrl('/api/repairs?branchId=b&q=138%200013%208000')).not.toContain('0013');
  });

  it('leaves ids, short numbers and URLs without a query alone', () => {
    const id = '/api/repairs/3f1c2a9e-0d4b-4f7a-9a51-2c7d8e9f0a1b';
    expect(maskPhonesInUrl(id)).toBe(id);
    expect(maskPhonesInUrl('/api/repairs?branchId=b&page=2&pageSize=50')).toBe('/api/repairs?branchId=b&page=2&pageSize=50');
    expect(maskPhonesInUrl(undefined)).toBeUndefined();
    const uuidQuery = '/api/audit?branchId=12345678-1234-4234-8234-123456789012&from=2026-01-01T00:00:00Z';
    expect(maskPhonesInUrl(uuidQuery)).toBe(uuidQuery);
  });
});
