import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
import type { SmsDriver, SmsMessage, SmsReceipt } from './sms-driver';

/**
 * Development provider: records the message in dev_sms_messages (shown in the UI) instead of sending it.
 * `latencyMs` (SMS_DEV_LATENCY_MS) waits that long first, as a real gateway's round trip would, so throughput can be
 * measured with a realistic provider (tools/bench.mjs runs it with 50 ms).
 */
export class DevSmsDriver implements SmsDriver {
  readonly name = 'dev';

  constructor(
    private readonly ds: Pick<DataSource, 'query'>,
    private readonly latencyMs = 0,
  ) {}

  async send(m: SmsMessage): Promise<SmsReceipt> {
    if (this.latencyMs > 0) await sleep(this.latencyMs);
    // Keyed like a real gateway: the same idempotency key twice is one message.
    const rows: { id: string }[] = await this.ds.query(
      `WITH ins AS (
         INSERT INTO dev_sms_messages (idempotency_key, branch_id, to_phone, body) VALUES ($1, $2, $3, $4)
         ON CONFLICT (idempotency_key) DO NOTHING RETURNING id)
       SELECT id FROM ins UNION ALL SELECT id FROM dev_sms_messages WHERE idempotency_key = $1 LIMIT 1`,
      [m.idempotencyKey, m.branchId, m.to, m.body],
    );
    return { messageId: rows[0] ? `dev-${rows[0].id}` : null };
  }
}
