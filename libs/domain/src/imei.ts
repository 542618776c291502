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
