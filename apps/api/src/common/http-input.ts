import { HttpException, HttpStatus } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { badRequest } from './http-errors';

/** The path of the first string holding a NUL character, or null. */
export function findNulByte(value: unknown, path: string[] = [], depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path.join('.') || '(body)' : null;
  if (value === null || typeof value !== 'object' || depth > 32) return null;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (k.includes('\u0000')) return [...path, k.replace(/\u0000/g, '\\0')].join('.');
    const found = findNulByte(v, [...path, k], depth + 1);
    if (found) return found;
  }
  return null;
}

/** TRUST_PROXY as Fastify's `trustProxy` takes it: true/false, a hop count, or addresses and names ('loopback'). */
export function parseTrustProxy(text: string): boolean | number | string {
  const t = text.trim();
  if (t === 'true') return true;
  if (t === 'false' || t === '') return false;
  if (/^\d+$/.test(t)) return Number(t);
  return t;
}

export type RawBodyRequest = FastifyRequest & { rawBody?: Buffer };

function unsupportedMediaType(type: string | undefined): HttpException {
  const message = `the body must be JSON (Content-Type: application/json), not ${type ? type.split(';')[0] : 'an unnamed type'}`;
  return new HttpException(
    { statusCode: 415, error: 'Unsupported Media Type', message, details: [{ path: 'headers.content-type', message }] },
    HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  );
}

/**
 * How a request's body and query become input (the API's only parser, set on its Fastify instance):
 * - JSON only. The exact bytes stay on the request (`rawBody`): the hotline webhook's HMAC is over them.
 * - An empty JSON body is {}: actions such as recall take an optional body, and a client that always sends
 *   `Content-Type: application/json` must not get a 400 for sending nothing.
 * - `__proto__` and `constructor.prototype` keys are refused (Fastify's own JSON parser does the parsing).
 * - Postgres cannot store a NUL character in text or jsonb, and no field of ours has a use for one: a body or query
 *   holding one is a 400 naming the field (the fuzz tests found it failing deep in a query as a 500).
 * - Any other body type is a 415 naming Content-Type. A request without a body gets {} as its body.
 */
export function registerInputParsing(fastify: FastifyInstance, bodyLimit: number): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit }, (req: RawBodyRequest, raw: Buffer | string, done) => {
    const bytes = typeof raw === 'string' ? Buffer.from(raw) : raw;
    req.rawBody = bytes;
    if (bytes.length === 0) return done(null, {});
    void parseJson(req, bytes.toString('utf8'), (err: Error | null, value?: unknown) => {
      if (err) {
        const poisoned = /prototype|__proto__/i.test(err.message);
        const message = poisoned ? 'request body must not set __proto__ or constructor.prototype' : 'request body is not valid JSON';
        return done(new HttpException({ statusCode: 400, error: 'Bad Request', message, details: [{ path: '(body)', message }] }, HttpStatus.BAD_REQUEST), undefined);
      }
      const nul = findNulByte(value);
      if (nul) return done(badRequest(nul, 'must not contain a NUL character'), undefined);
      done(null, value);
    });
  });
  fastify.addContentTypeParser('*', { bodyLimit }, (req, _payload, done) => done(unsupportedMediaType(req.headers['content-type']), undefined));
  fastify.addHook('preValidation', (req: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction) => {
    if (req.body === undefined) req.body = {};
    const inQuery = findNulByte(req.query);
    if (inQuery) return done(badRequest(inQuery === '(body)' ? 'query' : `query.${inQuery}`, 'must not contain a NUL character'));
    done();
  });
}
