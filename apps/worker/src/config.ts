import { z } from 'zod';

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
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(4),
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
