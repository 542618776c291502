import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
import { Batcher } from '../batcher';
import type { SmsDriver, SmsMessage, SmsReceipt } from './sms-driver';

/**
 * Development provider: records the message in dev_sms_messages (shown in the UI) instead of sending it.
 * `latencyMs` (SMS_DEV_LATENCY_MS) waits that long first, as a real gateway's round trip would, so throughput can be
 * measured with a realistic provider (tools/bench.mjs runs it with 50 ms).
 */
export class DevSmsDriver implements SmsDriver {
  readonly name = 'dev';
  /** Messages recorded together, one INSERT for all that arrive during the previous one (one connection at most). */
  private readonly recorder = new Batcher<SmsMessage, string | null>((ms) => this.recordMany(ms));

  constructor(
    private readonly ds: Pick<DataSource, 'query'>,
    private readonly latencyMs = 0,
  ) {}

  async send(m: SmsMessage): Promise<SmsReceipt> {
    if (this.latencyMs > 0) await sleep(this.latencyMs);
    const id = await this.recorder.add(m);
    return { messageId: id ? `dev-${id}` : null };
  }

  /** Keyed like a real gateway: the same idempotency key twice is one message. */
  private async recordMany(ms: SmsMessage[]): Promise<(string | null)[]> {
    const rows: { idempotency_key: string; id: string }[] = await this.ds.query(
      `WITH v AS (SELECT * FROM unnest($1::text[], $2::uuid[], $3::text[], $4::text[]) AS v(idempotency_key, branch_id, to_phone, body)),
       ins AS (
         INSERT INTO dev_sms_messages (idempotency_key, branch_id, to_phone, body) SELECT * FROM v
         ON CONFLICT (idempotency_key) DO NOTHING RETURNING idempotency_key, id)
       SELECT idempotency_key, id FROM ins
       UNION ALL SELECT d.idempotency_key, d.id FROM dev_sms_messages d WHERE d.idempotency_key = ANY($1::text[])`,
      [ms.map((m) => m.idempotencyKey), ms.map((m) => m.branchId), ms.map((m) => m.to), ms.map((m) => m.body)],
    );
    const ids = new Map(rows.map((r) => [r.idempotency_key, String(r.id)]));
    return ms.map((m) => ids.get(m.idempotencyKey) ?? null);
  }
}
