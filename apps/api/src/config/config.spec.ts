import { ConfigError, loadConfig } from './config';

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
});
