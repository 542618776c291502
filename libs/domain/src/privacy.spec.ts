import { maskName, maskPhone, normalizePhone } from './privacy';

describe('privacy masking', () => {
  it('masks a mainland mobile number keeping the prefix and last four digits', () => {
    expect(maskPhone('13800138000')).toBe('138****8000');
    expect(maskPhone('+8613800138000')).toBe('138****8000');
    expect(maskPhone('+4915112345678')).toBe('+49*******5678');
  });
  it('masks short numbers fully but for the last four', () => {
    expect(maskPhone('5551234')).toBe('***1234');
    expect(maskPhone(null)).toBeNull();
  });
  it('keeps only the family name of a Chinese name and the initial of a Latin one', () => {
    expect(maskName('陈小明')).toBe('陈**');
    expect(maskName('John')).toBe('J***');
  });
  it('stores phones without spaces or dashes', () => {
    expect(normalizePhone('138-0013 8000')).toBe('13800138000');
  });
});
