/** 138****5678: enough for a customer to recognise their own number, useless to anyone else. */
export function maskPhone(phone: string | null | undefined): string | null {
  if (!phone) return null;
  // Mainland numbers are stored in E.164 (+8613800138000) but read in their national form (138****8000).
  const digits = phone.replace(/[^0-9+]/g, '').replace(/^\+86(?=1\d{10}$)/, '');
  if (digits.length <= 4) return '*'.repeat(digits.length);
  const keepStart = digits.length >= 11 ? 3 : 0;
  return digits.slice(0, keepStart) + '*'.repeat(digits.length - keepStart - 4) + digits.slice(-4);
}

/** 陈** / J*** : the family name (first character) only, for lobby screens. */
export function maskName(name: string | null | undefined): string | null {
  if (!name) return null;
  const chars = Array.from(name.trim());
  if (chars.length === 0) return null;
  return chars[0] + '*'.repeat(Math.max(1, Math.min(chars.length - 1, 3)));
}

/** Phone as stored: digits with a leading + kept, spaces and dashes removed. */
export function normalizePhone(phone: string): string {
  return phone.replace(/[\s-]/g, '');
}
