import { findNulByte } from './http-input';

describe('NUL characters in input', () => {
  it('names the field that holds one (fuzz case: POST /api/counters/:id/pause {"reason":"\\u0000"} was a 500)', () => {
    expect(findNulByte({ reason: '\u0000' })).toBe('reason');
    expect(findNulByte({ customer: { name: 'a\u0000b' } })).toBe('customer.name');
    expect(findNulByte({ accessories: ['ok', 'x\u0000'] })).toBe('accessories.1');
    expect(findNulByte('\u0000')).toBe('(body)');
  });

  it('lets ordinary text through, Chinese and emoji included', () => {
    expect(findNulByte({ reason: '休息 ☕', n: 1, list: [null, true] })).toBeNull();
  });
});
