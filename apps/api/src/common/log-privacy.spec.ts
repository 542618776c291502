import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { pino } from 'pino';
import { maskPhonesInUrl, registerRequestLog, requestLoggerOptions } from './log-privacy';

describe('phone numbers in logged URLs', () => {
  it('masks a phone in the query string, in any form', () => {
    expect(maskPhonesInUrl('/api/customers/by-phone?phone=13800138000')).toBe('/api/customers/by-phone?phone=138****8000');
    expect(maskPhonesInUrl('/api/customers/by-phone?phone=%2B8613800138000&branchId=x')).toBe('/api/customers/by-phone?phone=138****8000&branchId=x');
    expect(maskPhonesInUrl('/api/repairs?branchId=b&q=138%200013%208000')).not.toContain('0013');
  });

  it('leaves ids, short numbers and URLs without a query alone', () => {
    const id = '/api/repairs/3f1c2a9e-0d4b-4f7a-9a51-2c7d8e9f0a1b';
    expect(maskPhonesInUrl(id)).toBe(id);
    expect(maskPhonesInUrl('/api/repairs?branchId=b&page=2&pageSize=50')).toBe('/api/repairs?branchId=b&page=2&pageSize=50');
    expect(maskPhonesInUrl(undefined)).toBeUndefined();
    const uuidQuery = '/api/audit?branchId=12345678-1234-4234-8234-123456789012&from=2026-01-01T00:00:00Z';
    expect(maskPhonesInUrl(uuidQuery)).toBe(uuidQuery);
  });
});

describe('the request log line', () => {
  /** Requests through the API's request log (registerRequestLog) on a real Fastify server; the log lines it wrote. */
  async function logOf(path: string, headers: Record<string, string>, level = 'info', status = 200): Promise<Record<string, any>[]> {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => { lines.push(String(chunk)); done(); } });
    const app = Fastify();
    registerRequestLog(app, pino(requestLoggerOptions(level), sink));
    app.all('/*', async (_req, reply) => reply.code(status).send({}));
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const { port } = app.server.address() as AddressInfo;
      await fetch(`http://127.0.0.1:${port}${path}`, { headers });
      // The line is written when the response has finished on the server's side: wait for it (or a while, for none).
      for (let waited = 0; lines.length === 0 && waited < 300; waited += 10) await new Promise((r) => setTimeout(r, 10));
    } finally {
      await app.close();
    }
    return lines.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  }

  it('names the request without its headers, tokens or the phone it looked up', async () => {
    const [line] = await logOf('/api/customers/by-phone?phone=13800138000', {
      authorization: 'Bearer secret-token',
      cookie: 'sid=secret-cookie',
      'user-agent': 'frontdesk-kiosk/1.0',
      'idempotency-key': 'k-1',
    });
    expect(line.req).toEqual({
      id: expect.anything(),
      method: 'GET',
      url: '/api/customers/by-phone?phone=138****8000',
      remoteAddress: '127.0.0.1',
      userAgent: 'frontdesk-kiosk/1.0',
      idempotencyKey: 'k-1',
    });
    expect(line.res.statusCode).toBe(200);
    const text = JSON.stringify(line);
    for (const secret of ['secret-token', 'secret-cookie', '13800138000']) expect(text).not.toContain(secret);
  });

  it('writes nothing for a health probe, or below the configured level', async () => {
    expect(await logOf('/api/health', {})).toEqual([]);
    expect(await logOf('/api/queue', {}, 'warn')).toEqual([]);
  });

  it('logs a server error at error level, also when successful requests are not logged', async () => {
    const [line] = await logOf('/api/queue', {}, 'warn', 503);
    expect(line).toMatchObject({ level: 50, msg: 'request errored', res: { statusCode: 503 }, req: { method: 'GET', url: '/api/queue' } });
    expect(typeof line.responseTime).toBe('number');
  });
});
