// E.164 normalisation (default region CN) lives in libs/contracts, where the request schemas use it.
export { toE164Phone } from '@frontdesk/contracts';

/** The last four digits, which the customer types on the public status page. */
export function phoneLast4(phone: string): string {
  return phone.replace(/[^0-9]/g, '').slice(-4);
}

/**
 * Forms a number may have been stored in by older screens (the lobby keeps what the kiosk typed):
 * +8613800138000 is also looked up as 13800138000 and 8613800138000.
 */
export function phoneVariants(e164: string): string[] {
  const out = [e164, e164.slice(1)];
  if (e164.startsWith('+86')) out.push(e164.slice(3), `0${e164.slice(3)}`);
  return [...new Set(out)];
}
