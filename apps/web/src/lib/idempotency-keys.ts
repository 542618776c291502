/**
 * Idempotency keys for mutating requests (CONTRACT.md: a retried request with
 * the same key returns the first result and changes nothing).
 *
 * A key is minted per action ("scope": method + path + body). When the request
 * fails without a trustworthy answer (network down, timeout, gateway error) the
 * key is kept, so pressing "Retry" sends the same key and can never issue a
 * second ticket or call a second customer. The kept key is dropped as soon as
 * any later mutation succeeds (the user has moved on) or after a few minutes.
 */
const PENDING_TTL_MS = 5 * 60 * 1000;

interface PendingKey {
  key: string;
  createdAt: number;
}

const pending = new Map<string, PendingKey>();

/** crypto.randomUUID exists only in secure contexts; kiosks on a LAN IP over http are not. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function' && globalThis.isSecureContext !== false) {
    return crypto.randomUUID();
  }
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function keyForAttempt(scope: string, now = Date.now()): string {
  const kept = pending.get(scope);
  if (kept && now - kept.createdAt < PENDING_TTL_MS) {
    return kept.key;
  }
  const fresh = { key: newIdempotencyKey(), createdAt: now };
  pending.set(scope, fresh);
  return fresh.key;
}

/** The outcome of the attempt is unknown: keep the key for a retry. */
export function keepForRetry(scope: string): void {
  // keyForAttempt already stored it; nothing to do but make the intent explicit.
  if (!pending.has(scope)) {
    pending.set(scope, { key: newIdempotencyKey(), createdAt: Date.now() });
  }
}

/** The server answered: this action is settled, and so is any earlier unknown one. */
export function settle(scope: string, succeeded: boolean): void {
  pending.delete(scope);
  if (succeeded) {
    pending.clear();
  }
}

/** For screens that hand over to the next person (the kiosk): nothing carries over. */
export function forgetPendingKeys(): void {
  pending.clear();
}
