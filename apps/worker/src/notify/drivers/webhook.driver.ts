import { createHmac } from 'node:crypto';
import { fetchWithTimeout, isRetryableStatus, SmsProviderError, type SmsDriver, type SmsMessage, type SmsReceipt } from './sms-driver';

export interface WebhookDriverOptions {
  url: string;
  secret: string;
  timeoutMs: number;
}

/** `sha256=<hex>` of `<timestamp>.<raw body>` with the shared secret: what the gateway checks before sending. */
export function webhookSignature(secret: string, timestamp: string, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`;
}

/**
 * Generic SMS gateway behind a signed webhook: POST JSON {id, to, body, template, branchId} with Idempotency-Key,
 * X-Frontdesk-Timestamp and X-Frontdesk-Signature. 2xx is sent (its JSON `id`, if any, is the message id).
 */
export class WebhookSmsDriver implements SmsDriver {
  readonly name = 'webhook';

  constructor(private readonly opts: WebhookDriverOptions) {}

  async send(m: SmsMessage): Promise<SmsReceipt> {
    const raw = JSON.stringify({ id: m.idempotencyKey, to: m.to, body: m.body, template: m.template, branchId: m.branchId });
    const ts = String(Math.floor(Date.now() / 1000));
    const res = await fetchWithTimeout(
      this.opts.url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': m.idempotencyKey,
          'x-frontdesk-timestamp': ts,
          'x-frontdesk-signature': webhookSignature(this.opts.secret, ts, raw),
        },
        body: raw,
      },
      this.opts.timeoutMs,
    );
    const text = await res.text().catch(() => '');
    if (!res.ok) throw new SmsProviderError(`webhook answered ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}`, !isRetryableStatus(res.status));
    let id: string | null = null;
    try {
      const body = JSON.parse(text) as { id?: unknown };
      if (typeof body.id === 'string' || typeof body.id === 'number') id = String(body.id);
    } catch {
      // A 2xx without JSON is still a delivery.
    }
    return { messageId: id };
  }
}
