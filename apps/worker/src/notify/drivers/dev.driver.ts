import type { DataSource } from 'typeorm';
import type { SmsDriver, SmsMessage, SmsReceipt } from './sms-driver';

/** Development provider: records the message in dev_sms_messages (shown in the UI) instead of sending it. */
export class DevSmsDriver implements SmsDriver {
  readonly name = 'dev';

  constructor(private readonly ds: DataSource) {}

  async send(m: SmsMessage): Promise<SmsReceipt> {
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
