import type { NotificationTemplate } from '@frontdesk/contracts';

export interface SmsMessage {
  /** The notification id: the same on every retry, so a provider that dedups by it never delivers twice. */
  idempotencyKey: string;
  branchId: string;
  to: string;
  body: string;
  template: NotificationTemplate;
  /** The template's values, for gateways that only send pre-approved templates (Aliyun). */
  params: Record<string, string>;
}

export interface SmsReceipt {
  messageId: string | null;
}

/** A provider refusal; `permanent` ones (a bad number, a bad template) are not retried. */
export class SmsProviderError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'SmsProviderError';
  }
}

/** One interface for every SMS provider, chosen by SMS_PROVIDER. */
export interface SmsDriver {
  readonly name: string;
  send(message: SmsMessage): Promise<SmsReceipt>;
}

/** HTTP statuses worth another try: timeouts, throttling and server errors; other 4xx mean the request is wrong. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** fetch with a deadline; a timeout or a broken connection is a retryable provider error. */
export async function fetchWithTimeout(url: string, init: RequestInit, timeoutMs: number): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const e = err as Error;
    const what = e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : `${e.message}${e.cause ? ` (${String((e.cause as Error).message ?? e.cause)})` : ''}`;
    throw new SmsProviderError(what, false);
  }
}
