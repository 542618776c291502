import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** BODY_LIMIT ('100kb', '1mb', '2048') in bytes, or null when it is not such a size. */
export function parseByteSize(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$/i.exec(text);
  if (!m) return null;
  const n = Math.floor(Number(m[1]) * UNITS[(m[2] ?? 'b').toLowerCase()]);
  return n > 0 ? n : null;
}

const DEMO_JWT_SECRET = 'frontdesk-live-demo-only-jwt-secret-do-not-use-in-production';

/** Environment of the API and worker, validated at start-up with one clear line per problem. */
export const EnvSchema = z
  .object({
    NODE_ENV: z.string().default('production'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    DATABASE_URL: z.string({ error: 'DATABASE_URL is required (postgres://user@host:5432/db)' }).regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must start with postgres://'),
    REDIS_URL: z.string({ error: 'REDIS_URL is required (redis://host:6379)' }).regex(/^rediss?:\/\//, 'REDIS_URL must start with redis://'),
    REDIS_PREFIX: z.string().regex(/^[a-zA-Z0-9:_-]+$/).default('fdl'),
    DEMO_MODE: bool,
    DEMO_PASSWORD: z.string().min(8).default('frontdesk-demo'),
    JWT_SECRET: z.string().min(32, 'JWT_SECRET must be at least 32 characters').optional(),
    JWT_TTL_SECONDS: z.coerce.number().int().min(60).default(12 * 3600),
    PUBLIC_URL: z.string().url().optional(),
    CORS_ORIGINS: z.string().default(''),
    WEB_DIST: z.string().optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** The largest request body, e.g. 100kb or 1mb: past it a request is a 413 before any handler. */
    BODY_LIMIT: z.string().default('100kb').refine((v) => parseByteSize(v) !== null, 'must be a size such as 100kb or 1mb'),
    /** Which proxies' X-Forwarded-For to believe (client IPs for rate limits and logs): Fastify's `trustProxy`, i.e. true, a hop count, or addresses and names such as loopback. */
    TRUST_PROXY: z.string().default('loopback'),
    /** Rate limits of the public lobby routes, per device or client address. */
    KIOSK_TICKETS_PER_MINUTE: z.coerce.number().int().min(1).default(60),
    TRACK_REQUESTS_PER_MINUTE: z.coerce.number().int().min(1).default(120),
    HOTLINE_REQUESTS_PER_MINUTE: z.coerce.number().int().min(1).default(1200),
    SYNC_INTERVAL_MS: z.coerce.number().int().min(100).default(5000),
    OUTBOX_SWEEP_MS: z.coerce.number().int().min(50).default(1000),
    LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
    LOGIN_LOCK_SECONDS: z.coerce.number().int().min(1).default(900),
  })
  .transform((env) => ({
    ...env,
    JWT_SECRET: env.JWT_SECRET ?? DEMO_JWT_SECRET,
    PUBLIC_URL: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, ''),
    CORS_ORIGINS: env.CORS_ORIGINS.split(',').map((s) => s.trim()).filter(Boolean),
  }));

export type AppConfig = z.output<typeof EnvSchema>;

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = EnvSchema.safeParse(env);
  const lines = parsed.success ? [] : parsed.error.issues.map((i) => `  - ${i.path.join('.') || 'env'}: ${i.message}`);
  // Checked apart from the schema so that it is reported together with every other problem.
  const demo = ['true', '1', 'yes'].includes(env.DEMO_MODE ?? '');
  if (!demo && !env.JWT_SECRET) lines.push('  - JWT_SECRET: JWT_SECRET is required outside demo mode (set DEMO_MODE=true for a demo)');
  if (lines.length || !parsed.success) {
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

export const APP_CONFIG = Symbol('APP_CONFIG');
