import { loadWorkerConfig, workerPoolSize } from './config';

const base = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/fdl', REDIS_URL: 'redis://127.0.0.1:6379' };

describe('worker configuration: SMS concurrency and the Postgres pool', () => {
  it('sizes the pool from the concurrencies when DB_POOL_SIZE is not set', () => {
    expect(workerPoolSize(loadWorkerConfig(base))).toBe(48 + 4 + 4);
    expect(workerPoolSize(loadWorkerConfig({ ...base, SMS_CONCURRENCY: '10', WORKER_CONCURRENCY: '2' }))).toBe(16);
  });

  it('keeps an explicit DB_POOL_SIZE that is large enough', () => {
    expect(workerPoolSize(loadWorkerConfig({ ...base, SMS_CONCURRENCY: '10', DB_POOL_SIZE: '40' }))).toBe(40);
  });

  it('refuses to start with a pool smaller than the sends in flight could need, naming the numbers to change', () => {
    expect(() => loadWorkerConfig({ ...base, SMS_CONCURRENCY: '50', DB_POOL_SIZE: '20' })).toThrow(
      'DB_POOL_SIZE: 20 connections cannot serve SMS_CONCURRENCY=50 + WORKER_CONCURRENCY=4 + 4: set DB_POOL_SIZE to at least 58, leave it unset, or lower SMS_CONCURRENCY',
    );
  });
});
