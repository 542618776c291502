import { DataSource } from 'typeorm';
import { createDataSource } from '@frontdesk/db';
import { PurgeIdempotencyKeysJob } from './purge-idempotency-keys.job';

describe('maintenance.purge-idempotency-keys (real Postgres)', () => {
  let ds: DataSource;
  beforeAll(async () => {
    ds = createDataSource(process.env.DATABASE_URL!);
    await ds.initialize();
  });
  afterAll(() => ds.destroy());

  it('deletes stored results older than the retention and keeps the recent ones', async () => {
    await ds.query(`INSERT INTO idempotency_keys (key, request_hash, response, created_at) VALUES ('old-1', 'h', '{"body":{"pickupCode":"123456"}}', now() - interval '25 hours'), ('new-1', 'h', '{"body":null}', now() - interval '1 hour')`);
    const outcome = await new PurgeIdempotencyKeysJob(ds).handle({});
    expect(outcome).toEqual({ status: 'success', detail: 'deleted 1 stored result(s) older than 24 h' });
    const keys = (await ds.query(`SELECT key FROM idempotency_keys WHERE key IN ('old-1', 'new-1')`)).map((r: { key: string }) => r.key);
    expect(keys).toEqual(['new-1']);
    expect(await new PurgeIdempotencyKeysJob(ds).handle({})).toEqual({ status: 'skipped', detail: 'nothing to purge' });
  });
});
