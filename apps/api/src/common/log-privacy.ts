import { maskPhone } from '@frontdesk/domain';

function decode(v: string): string {
  try {
    return decodeURIComponent(v.replace(/\+/g, ' '));
  } catch {
    return v;
  }
}

/**
 * A request URL as it may appear in a log line: query values that are phone numbers (customers/by-phone?phone=,
 * repairs?q=) masked like on every screen (138****8000). The path holds ids only and is kept as is, and so are
 * values that merely contain digits (ids, dates).
 */
export function maskPhonesInUrl(url: string | undefined): string | undefined {
  if (!url) return url;
  const at = url.indexOf('?');
  if (at < 0) return url;
  const query = url
    .slice(at + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      const value = decode(pair.slice(eq + 1)).trim();
      const digits = value.replace(/\D/g, '').length;
      // E.164 numbers have at most 15 digits; an all-digit id has more.
      const phoneLike = /^\+?[\d\s().-]+$/.test(value) && digits >= 7 && digits <= 15;
      return phoneLike ? `${pair.slice(0, eq + 1)}${maskPhone(value) ?? ''}` : pair;
    })
    .join('&');
  return `${url.slice(0, at)}?${query}`;
}
