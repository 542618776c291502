import { ConfigError, loadConfig, parseByteSize } from './config';
import { parseTrustProxy } from '../common/http-input';

const base = { DATABASE_URL: 'postgres://u@h:5432/d', REDIS_URL: 'redis://h:6379' };

describe('configuration', () => {
  it('refuses to start without secrets outside demo mode, naming each missing one', () => {
    expect(() => loadConfig({})).toThrow(ConfigError);
    try {
      loadConfig({});
    } catch (err) {
      const msg = (err as Error).message;
      expect(msg).toContain('DATABASE_URL: DATABASE_URL is required');
      expect(msg).toContain('REDIS_URL: REDIS_URL is required');
      expect(msg).toContain('JWT_SECRET: JWT_SECRET is required outside demo mode');
    }
  });

  it('accepts a demo without a JWT secret and fills the defaults', () => {
    const c = loadConfig({ ...base, DEMO_MODE: 'true' });
    expect(c.PORT).toBe(3000);
    expect(c.PUBLIC_URL).toBe('http://localhost:3000');
    expect(c.JWT_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(c.CORS_ORIGINS).toEqual([]);
  });

  it('rejects a short JWT secret and a wrong database URL', () => {
    expect(() => loadConfig({ ...base, JWT_SECRET: 'short' })).toThrow('JWT_SECRET must be at least 32 characters');
    expect(() => loadConfig({ ...base, DATABASE_URL: 'mysql://x', DEMO_MODE: 'true' })).toThrow('DATABASE_URL must start with postgres://');
  });

  it('splits CORS origins and trims the public URL', () => {
    const c = loadConfig({ ...base, JWT_SECRET: 'x'.repeat(40), CORS_ORIGINS: 'https://a.example, https://b.example', PUBLIC_URL: 'https://fd.example/' });
    expect(c.CORS_ORIGINS).toEqual(['https://a.example', 'https://b.example']);
    expect(c.PUBLIC_URL).toBe('https://fd.example');
  });

  it('reads BODY_LIMIT as a size and refuses one that is not, naming it', () => {
    expect(parseByteSize('100kb')).toBe(102_400);
    expect(parseByteSize('1MB')).toBe(1_048_576);
    expect(parseByteSize('2048')).toBe(2048);
    expect(parseByteSize('lots')).toBeNull();
    expect(parseByteSize('0kb')).toBeNull();
    expect(() => loadConfig({ ...base, DEMO_MODE: 'true', BODY_LIMIT: '100 KiB' })).toThrow('BODY_LIMIT: must be a size such as 100kb or 1mb');
  });

  it('reads TRUST_PROXY as Fastify takes it: true/false, a hop count, or addresses and names', () => {
    expect(parseTrustProxy('true')).toBe(true);
    expect(parseTrustProxy('false')).toBe(false);
    expect(parseTrustProxy('1')).toBe(1);
    expect(parseTrustProxy('loopback, 10.0.0.0/8')).toBe('loopback, 10.0.0.0/8');
  });
});
