import { loadWorkerConfig } from './config';

const base = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/fdl', REDIS_URL: 'redis://127.0.0.1:6379' };

describe('worker configuration: SMS concurrency and the Postgres pool', () => {
  it('runs 100 sends and 16 callback jobs at once by default, on a pool of 24 that SMS_CONCURRENCY does not grow', () => {
    expect(loadWorkerConfig(base)).toMatchObject({ SMS_CONCURRENCY: 100, WORKER_CONCURRENCY: 16, DB_POOL_SIZE: 24 });
    expect(loadWorkerConfig({ ...base, SMS_CONCURRENCY: '400' })).toMatchObject({ SMS_CONCURRENCY: 400, DB_POOL_SIZE: 24 });
  });

  it('refuses to start with a pool smaller than what its jobs can hold at once, naming the minimum', () => {
    expect(() => loadWorkerConfig({ ...base, DB_POOL_SIZE: '6' })).toThrow(
      "DB_POOL_SIZE: 6 connections are fewer than the 22 the worker's jobs can hold at once (SMS pipeline 4, relay 1, callbacks 16 (WORKER_CONCURRENCY), housekeeping 1): set at least 22",
    );
    expect(loadWorkerConfig({ ...base, DB_POOL_SIZE: '22' }).DB_POOL_SIZE).toBe(22);
    // Fewer callback jobs at once need fewer connections.
    expect(() => loadWorkerConfig({ ...base, WORKER_CONCURRENCY: '4', DB_POOL_SIZE: '9' })).toThrow('set at least 10');
    expect(loadWorkerConfig({ ...base, WORKER_CONCURRENCY: '4', DB_POOL_SIZE: '10' }).WORKER_CONCURRENCY).toBe(4);
  });

  it('refuses an SMS concurrency out of range with a clear line', () => {
    expect(() => loadWorkerConfig({ ...base, SMS_CONCURRENCY: '0' })).toThrow('SMS_CONCURRENCY');
    expect(() => loadWorkerConfig({ ...base, SMS_CONCURRENCY: '1000' })).toThrow('SMS_CONCURRENCY');
  });
});
