import { z } from 'zod';

/**
 * Connections the worker's jobs can hold at once, whatever SMS_CONCURRENCY is: the SMS pipeline batches its reads, its
 * `sent` commits and the dev provider's records and runs cancels and failed tries one at a time (4), the relay (1),
 * the callbacks processor (WORKER_CONCURRENCY, at most one connection a job) and housekeeping (1).
 */
export const POOL_NEEDED_BESIDE_CALLBACKS = 6;

/** Environment of the worker, validated at start-up with one clear line per problem. */
export const WorkerEnvSchema = z.object({
  DATABASE_URL: z.string({ error: 'DATABASE_URL is required (postgres://user@host:5432/db)' }).regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must start with postgres://'),
  REDIS_URL: z.string({ error: 'REDIS_URL is required (redis://host:6379)' }).regex(/^rediss?:\/\//, 'REDIS_URL must start with redis://'),
  REDIS_PREFIX: z.string().regex(/^[a-zA-Z0-9:_-]+$/).default('fdl'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HEARTBEAT_MS: z.coerce.number().int().min(100).default(10_000),
  CLOSE_DAY_EVERY_MS: z.coerce.number().int().min(1000).default(10 * 60_000),
  /** How often missed callbacks are made due and the coming hour's due jobs ensured. */
  CALLBACK_SWEEP_EVERY_MS: z.coerce.number().int().min(1000).default(30_000),
  /** Callback jobs (due callbacks, the sweep) run at once; due callbacks of one branch among them commit together. */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(16),
  /** Which SMS provider sends notices: dev records them in the database, aliyun and webhook send for real. */
  SMS_PROVIDER: z.enum(['dev', 'aliyun', 'webhook']).default('dev'),
  /** Rate limit of the provider: at most SMS_RATE_MAX sends per SMS_RATE_WINDOW_MS across all workers. */
  SMS_RATE_MAX: z.coerce.number().int().min(1).default(20),
  SMS_RATE_WINDOW_MS: z.coerce.number().int().min(10).default(1000),
  /** Tries per notice (the first included) and the first retry delay, doubled each time. */
  SMS_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(6),
  SMS_BACKOFF_MS: z.coerce.number().int().min(10).default(5000),
  SMS_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  /**
   * Sends in flight at once per worker. A send holds no connection across the provider call and its queries are
   * batched with the others', so it is sized to the provider's round trip: throughput is at most
   * SMS_CONCURRENCY / latency (100 at 50 ms: up to 2000 a second), and it does not grow the pool.
   */
  SMS_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(100),
  /** Simulated provider round trip of the dev provider (benchmarks, load tests); 0 records at once. */
  SMS_DEV_LATENCY_MS: z.coerce.number().int().min(0).max(60_000).default(0),
  /** How often due notices are relayed from Postgres to BullMQ, and how far ahead they are handed over. */
  NOTIFY_RELAY_MS: z.coerce.number().int().min(50).default(250),
  NOTIFY_LOOKAHEAD_MS: z.coerce.number().int().min(1000).default(5 * 60_000),
  /** How long a job may run before BullMQ takes it for stalled (its worker died) and runs it again. */
  NOTIFY_LOCK_MS: z.coerce.number().int().min(500).default(30_000),
  /**
   * A notice handed to the queue is not handed over again before this long (unless it became due meanwhile): the
   * longest a pending notice whose job Redis lost while it waited can be late.
   */
  NOTIFY_REQUEUE_MS: z.coerce.number().int().min(1000).default(30_000),
  /** Postgres connections of the worker (at least 6 + WORKER_CONCURRENCY). */
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(24),
  SMS_WEBHOOK_URL: z.url().optional(),
  SMS_WEBHOOK_SECRET: z.string().min(16).optional(),
  ALIYUN_ACCESS_KEY_ID: z.string().optional(),
  ALIYUN_ACCESS_KEY_SECRET: z.string().optional(),
  ALIYUN_SMS_SIGN_NAME: z.string().optional(),
  /** JSON: {"pickup_ready":"SMS_123",...} */
  ALIYUN_SMS_TEMPLATE_CODES: z.string().optional(),
  ALIYUN_SMS_ENDPOINT: z.url().default('https://dysmsapi.aliyuncs.com/'),
  ALIYUN_REGION_ID: z.string().default('cn-hangzhou'),
}).superRefine((c, ctx) => {
  const needed = POOL_NEEDED_BESIDE_CALLBACKS + c.WORKER_CONCURRENCY;
  if (c.DB_POOL_SIZE < needed) {
    // With fewer, a job waits for a connection, a wait over 3 s fails it, and the relay starves behind them.
    ctx.addIssue({
      code: 'custom',
      path: ['DB_POOL_SIZE'],
      message: `${c.DB_POOL_SIZE} connections are fewer than the ${needed} the worker's jobs can hold at once (SMS pipeline 4, relay 1, callbacks ${c.WORKER_CONCURRENCY} (WORKER_CONCURRENCY), housekeeping 1): set at least ${needed}`,
    });
  }
  if (c.SMS_PROVIDER === 'webhook') {
    if (!c.SMS_WEBHOOK_URL) ctx.addIssue({ code: 'custom', path: ['SMS_WEBHOOK_URL'], message: 'required with SMS_PROVIDER=webhook' });
    if (!c.SMS_WEBHOOK_SECRET) ctx.addIssue({ code: 'custom', path: ['SMS_WEBHOOK_SECRET'], message: 'required with SMS_PROVIDER=webhook (16+ characters)' });
  }
  if (c.SMS_PROVIDER === 'aliyun') {
    for (const k of ['ALIYUN_ACCESS_KEY_ID', 'ALIYUN_ACCESS_KEY_SECRET', 'ALIYUN_SMS_SIGN_NAME', 'ALIYUN_SMS_TEMPLATE_CODES'] as const) {
      if (!c[k]) ctx.addIssue({ code: 'custom', path: [k], message: 'required with SMS_PROVIDER=aliyun' });
    }
    if (c.ALIYUN_SMS_TEMPLATE_CODES) {
      try {
        JSON.parse(c.ALIYUN_SMS_TEMPLATE_CODES);
      } catch {
        ctx.addIssue({ code: 'custom', path: ['ALIYUN_SMS_TEMPLATE_CODES'], message: 'must be JSON such as {"pickup_ready":"SMS_123"}' });
      }
    }
  }
});
export type WorkerConfig = z.output<typeof WorkerEnvSchema>;
export const WORKER_CONFIG = Symbol('WORKER_CONFIG');

export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const parsed = WorkerEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`Invalid configuration:\n${parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  return parsed.data;
}

export const heartbeatKey = (prefix: string) => `${prefix}:worker:heartbeat`;
