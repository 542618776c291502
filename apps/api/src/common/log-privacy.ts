import type { Options } from 'pino-http';
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

/** The request as pino's standard serializer gives it (the part read here). */
interface SerializedRequest {
  id?: unknown;
  method?: string;
  url?: string;
  remoteAddress?: string;
  headers?: Record<string, string | string[] | undefined>;
}

/**
 * The fields of a request's log line: who asked what, with the URL's phones masked. Headers are left out (the bearer
 * token, cookies, and nothing an operator reads), except the user agent and the Idempotency-Key of a retried write.
 */
export function requestLogFields(req: SerializedRequest): Record<string, unknown> {
  const h = req.headers ?? {};
  return {
    id: req.id,
    method: req.method,
    url: maskPhonesInUrl(req.url),
    remoteAddress: req.remoteAddress,
    ...(h['user-agent'] ? { userAgent: h['user-agent'] } : {}),
    ...(h['idempotency-key'] ? { idempotencyKey: h['idempotency-key'] } : {}),
  };
}

/**
 * The request log's pino-http options (LoggerModule). What a request line carries: no header dump (tokens, cookies),
 * and a phone looked up by query string (customers/by-phone, repairs?q=) masked in the URL. pino-http serialises the
 * request for every request, logged or not (its child logger's bindings): the whole request with its headers was
 * 15 % of the bytes the API's heap promoted past its young generation at 600 requests a second (sampled with the
 * inspector's heap profiler; docs/benchmarks.md).
 */
export function requestLogOptions(level: string): Options {
  return {
    level,
    // The request line carries no headers, query or body any more; these stay redacted should a log line ever carry them.
    redact: ['req.headers.authorization', 'req.headers.cookie', 'req.body.password', 'req.body.phone', 'req.query.phone', 'req.query.q'],
    serializers: { req: requestLogFields },
    autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/api/health') },
  };
}
