// The check itself lives in libs/contracts (the intake schema validates with it); the rules use it from here.
export { isValidImei } from '@frontdesk/contracts';

/**
 * The key a device is recognised by across repairs (repeat detection): its IMEI when known, else its serial,
 * upper-cased without spaces or dashes. null when neither is given.
 */
export function deviceKey(imei: string | null | undefined, serial: string | null | undefined): string | null {
  const clean = (s: string | null | undefined) => (s ?? '').replace(/[\s-]/g, '').toUpperCase();
  const i = clean(imei);
  if (i) return `imei:${i}`;
  const s = clean(serial);
  return s ? `serial:${s}` : null;
}

/** A valid IMEI from any 14 digits: the 15th is their Luhn check digit (test data, the demo's made-up repairs). */
export function imeiFrom(first14: string): string {
  if (!/^[0-9]{14}$/.test(first14)) throw new Error(`an IMEI is built from 14 digits, got ${first14}`);
  let sum = 0;
  for (let i = 0; i < 14; i++) {
    let d = Number(first14[i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return first14 + String((10 - (sum % 10)) % 10);
}
