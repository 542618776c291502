import { phoneLast4, phoneVariants, toE164Phone } from './phone';

describe('phone numbers', () => {
  it('takes a mainland mobile without a country code as China', () => {
    expect(toE164Phone('13800138000')).toBe('+8613800138000');
  });

  it('ignores spaces and dashes and accepts 0086 and +86 prefixes', () => {
    expect(toE164Phone('138-0013 8000')).toBe('+8613800138000');
    expect(toE164Phone('008613800138000')).toBe('+8613800138000');
    expect(toE164Phone('+86 138 0013 8000')).toBe('+8613800138000');
  });

  it('drops the trunk 0 of a landline', () => {
    expect(toE164Phone('010-12345678')).toBe('+861012345678');
  });

  it('keeps a foreign number given with +', () => {
    expect(toE164Phone('+44 20 7946 0958')).toBe('+442079460958');
  });

  it('refuses what cannot be a phone number', () => {
    expect(toE164Phone('12345')).toBeNull();
    expect(toE164Phone('1380013800')).toBeNull();
    expect(toE164Phone('+86 12345')).toBeNull();
    expect(toE164Phone('phone')).toBeNull();
  });

  it('gives the last four digits for the status page', () => {
    expect(phoneLast4('+8613800138000')).toBe('8000');
  });

  it('finds numbers stored the way the kiosk typed them', () => {
    expect(phoneVariants('+8613800138000')).toEqual(['+8613800138000', '8613800138000', '13800138000', '013800138000']);
  });
});
