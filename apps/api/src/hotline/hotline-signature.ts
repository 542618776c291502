import { createHmac, timingSafeEqual } from 'node:crypto';
import { HOTLINE_MAX_SKEW_SECONDS } from '@frontdesk/contracts';

export type SignatureCheck = { ok: true } | { ok: false; path: string; message: string };

/** `sha256=<hex>` of HMAC-SHA256("<X-Timestamp>.<raw body>") with the branch's secret (CONTRACT.md "Hotline"). */
export function signHotlineBody(secret: string, timestamp: string, rawBody: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex')}`;
}

/** Checks the timestamp window first (a replayed old request fails even with a good signature), then the HMAC in constant time. */
export function verifyHotlineSignature(input: {
  secret: string;
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: Buffer;
  now: Date;
}): SignatureCheck {
  const { timestamp, signature } = input;
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) return { ok: false, path: 'headers.x-timestamp', message: 'X-Timestamp must be unix seconds' };
  const skew = Math.abs(input.now.getTime() / 1000 - Number(timestamp));
  if (skew > HOTLINE_MAX_SKEW_SECONDS) {
    return { ok: false, path: 'headers.x-timestamp', message: `X-Timestamp is more than ${HOTLINE_MAX_SKEW_SECONDS / 60} minutes away from the server's clock` };
  }
  const match = /^sha256=([0-9a-fA-F]{64})$/.exec(signature ?? '');
  if (!match) return { ok: false, path: 'headers.x-signature', message: 'X-Signature must be sha256=<64 hex digits>' };
  const expected = createHmac('sha256', input.secret).update(`${timestamp}.`).update(input.rawBody).digest();
  const given = Buffer.from(match[1], 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, path: 'headers.x-signature', message: 'signature does not match the body and timestamp' };
  }
  return { ok: true };
}
