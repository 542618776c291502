import type { Redis } from 'ioredis';

/**
 * One counter for every worker: the first send of a window starts it (expiring after the window), the sends past
 * `max` in it wait for it to expire. The same window BullMQ's queue limiter keeps, but taken only right before the
 * provider call, so notices that end cancelled or skipped (a ticket already called, a phone already collected) do
 * not use up the provider's budget ahead of those still to be sent.
 */
const TAKE = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if n <= tonumber(ARGV[1]) then return 0 end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  ttl = tonumber(ARGV[2])
end
return ttl`;

export class SmsRateGate {
  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  /**
   * Resolves when this send may go out, with whether it had to wait (the caller then checks its notice again);
   * throws when Redis cannot be reached (the try is retried with backoff).
   */
  async acquire(): Promise<boolean> {
    for (let waited = false; ; waited = true) {
      const waitMs = Number(await this.redis.eval(TAKE, 1, this.key, this.max, this.windowMs));
      if (!(waitMs > 0)) return waited;
      // A little spread, so the sends that waited do not all ask again in the same millisecond.
      await new Promise((resolve) => setTimeout(resolve, waitMs + Math.floor(Math.random() * 20)));
    }
  }
}
