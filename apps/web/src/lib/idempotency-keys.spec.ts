import { forgetPendingKeys, keepForRetry, keyForAttempt, newIdempotencyKey, settle } from './idempotency-keys';

afterEach(() => forgetPendingKeys());

describe('idempotency keys', () => {
  it('mints UUID v4 keys', () => {
    expect(newIdempotencyKey()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('a retry after an unknown outcome reuses the key', () => {
    const first = keyForAttempt('POST /x');
    keepForRetry('POST /x');
    expect(keyForAttempt('POST /x')).toBe(first);
  });

  it('an answered request frees the action for a new key', () => {
    const first = keyForAttempt('POST /x');
    settle('POST /x', false);
    expect(keyForAttempt('POST /x')).not.toBe(first);
  });

  it('any later success drops keys kept for retry (the user moved on)', () => {
    const kept = keyForAttempt('POST /call-next');
    keepForRetry('POST /call-next');
    keyForAttempt('POST /finish');
    settle('POST /finish', true);
    expect(keyForAttempt('POST /call-next')).not.toBe(kept);
  });

  it('kept keys expire', () => {
    const first = keyForAttempt('POST /x', 0);
    expect(keyForAttempt('POST /x', 10 * 60 * 1000)).not.toBe(first);
  });
});
