import { deviceKey, imeiFrom, isValidImei } from './imei';

describe('IMEI', () => {
  it('accepts 15 digits whose last digit is the Luhn check digit', () => {
    expect(isValidImei('490154203237518')).toBe(true);
    expect(isValidImei('356938035643809')).toBe(true);
  });

  it('rejects a wrong check digit', () => {
    expect(isValidImei('490154203237519')).toBe(false);
  });

  it('rejects anything but exactly 15 digits', () => {
    expect(isValidImei('49015420323751')).toBe(false);
    expect(isValidImei('4901542032375180')).toBe(false);
    expect(isValidImei('49015420323751A')).toBe(false);
  });

  it('recognises a device by IMEI first, else by its serial, ignoring case and spaces', () => {
    expect(deviceKey('490154203237518', 'SN1')).toBe('imei:490154203237518');
    expect(deviceKey(null, ' ab-12 cd ')).toBe('serial:AB12CD');
    expect(deviceKey(undefined, '')).toBeNull();
  });
});

describe('imeiFrom', () => {
  it('completes 14 digits with their Luhn check digit, which isValidImei accepts', () => {
    expect(imeiFrom('49015420323751')).toBe('490154203237518');
    for (const first14 of ['86000000000000', '35209900176148', '86123456789012']) {
      const imei = imeiFrom(first14);
      expect(isValidImei(imei)).toBe(true);
      // Any other last digit fails the check.
      expect(isValidImei(first14 + String((Number(imei[14]) + 1) % 10))).toBe(false);
    }
  });

  it('refuses anything but 14 digits', () => {
    expect(() => imeiFrom('8612345678901')).toThrow(/14 digits/);
    expect(() => imeiFrom('8612345678901a')).toThrow(/14 digits/);
  });
});
