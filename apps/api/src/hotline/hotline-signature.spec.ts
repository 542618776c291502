import { signHotlineBody, verifyHotlineSignature } from './hotline-signature';

const now = new Date('2026-11-25T02:00:00Z');
const ts = String(now.getTime() / 1000);
const body = Buffer.from('{"branchId":"x","events":[]}');

describe('hotline signature', () => {
  it('accepts the HMAC of "<timestamp>.<raw body>"', () => {
    expect(verifyHotlineSignature({ secret: 's', timestamp: ts, signature: signHotlineBody('s', ts, body), rawBody: body, now })).toEqual({ ok: true });
  });

  it('refuses another secret, another body, a malformed header', () => {
    expect(verifyHotlineSignature({ secret: 's', timestamp: ts, signature: signHotlineBody('t', ts, body), rawBody: body, now }).ok).toBe(false);
    expect(verifyHotlineSignature({ secret: 's', timestamp: ts, signature: signHotlineBody('s', ts, body), rawBody: Buffer.from(`${body.toString()} `), now }).ok).toBe(false);
    expect(verifyHotlineSignature({ secret: 's', timestamp: ts, signature: 'md5=abc', rawBody: body, now })).toMatchObject({ ok: false, path: 'headers.x-signature' });
  });

  it('refuses a timestamp older than 5 minutes even when the signature matches', () => {
    const old = String(now.getTime() / 1000 - 301);
    expect(verifyHotlineSignature({ secret: 's', timestamp: old, signature: signHotlineBody('s', old, body), rawBody: body, now })).toMatchObject({
      ok: false,
      path: 'headers.x-timestamp',
    });
  });
});
