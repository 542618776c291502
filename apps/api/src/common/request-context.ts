import { AsyncLocalStorage } from 'node:async_hooks';

/** The idempotency key of the request being handled, so a transaction can record its result atomically. */
export interface IdempotencyContext {
  key: string;
  requestHash: string;
  /** Set once the result was stored in the same transaction as the change. */
  stored: boolean;
  /**
   * The stored result is looked up by the branch transaction, in its first round trip, instead of before the
   * handler (routes marked with IdempotencyLookupInTransaction); set to false once looked up.
   */
  lookupInTransaction?: boolean;
}

export const idempotencyStorage = new AsyncLocalStorage<IdempotencyContext>();
