import { Logger as NestLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import fastifyStatic from '@fastify/static';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import type { Duplex } from 'node:stream';
import { join, resolve } from 'node:path';
import { Logger } from 'nestjs-pino';
import { pino } from 'pino';
import { cleanupOpenApiDoc } from 'nestjs-zod';
import { AppModule } from './app.module';
import { parseByteSize, type AppConfig } from './config/config';
import { httpDuration } from './health/metrics';
import { mountQueueBoard } from './health/queue-board';
import { RedisIoAdapter } from './live/redis-io.adapter';
import { setRateLimits } from './common/device-throttler.guard';
import { registerRequestLog, requestLoggerOptions } from './common/log-privacy';
import { installAsyncResourceBind } from './common/async-resource-bind';
import { parseTrustProxy, registerInputParsing } from './common/http-input';

/** Where the built web app is: WEB_DIST, or apps/web/dist next to this app in the monorepo. */
function webDist(config: AppConfig): string | null {
  const candidates = [config.WEB_DIST, resolve(__dirname, '../../web/dist'), resolve(process.cwd(), 'apps/web/dist')].filter(Boolean) as string[];
  return candidates.find((d) => existsSync(join(d, 'index.html'))) ?? null;
}

/**
 * Node's HTTP parser refuses some requests before Fastify sees them (a URL or headers past 16 KB, a malformed request
 * line); give those clients the contract's error shape too (Fastify's `clientErrorHandler`).
 */
function answerClientErrorsAsContract(err: Error & { code?: string }, socket: Duplex): void {
  if (!socket.writable || err.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
  const status = tooLarge ? 431 : 400;
  const message = tooLarge ? 'the request line or headers are too large' : 'the request is not valid HTTP';
  const body = JSON.stringify({ statusCode: status, error: tooLarge ? 'Request Header Fields Too Large' : 'Bad Request', message, details: [{ path: '(request)', message }] });
  socket.end(
    `HTTP/1.1 ${status} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/**
 * helmet's security headers for our policy, worked out once. The policy is the same for every response (no nonces),
 * and running helmet's eleven middlewares per request was 1.5 % of the API's CPU and 7 % of the bytes its heap
 * promoted at saturation (docs/benchmarks.md); the headers are the ones helmet sets, taken from a dry run.
 */
export function helmetHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader: (name: string, value: string | number | readonly string[]) => void (headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value)),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
    getHeader: (name: string) => headers[name.toLowerCase()],
  };
  // helmet's middlewares are synchronous; a policy it cannot take throws here, at start-up.
  helmet(options)({} as IncomingMessage, res as unknown as ServerResponse, () => undefined);
  return headers;
}

export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  installAsyncResourceBind();
  const bodyLimit = parseByteSize(config.BODY_LIMIT);
  if (!bodyLimit) throw new Error(`BODY_LIMIT ${config.BODY_LIMIT} is not a size (e.g. 100kb, 1mb)`);
  // Fastify rather than Express: the same API served a request with about 0.2 ms less of the API's CPU on this
  // 2-core machine, a quarter of what a call-next cost (docs/benchmarks.md).
  const http = new FastifyAdapter({
    trustProxy: parseTrustProxy(config.TRUST_PROXY),
    bodyLimit,
    clientErrorHandler: answerClientErrorsAsContract,
    // A path segment that is not valid UTF-8 ('%ED%A0%80') is refused by Fastify's router before any handler.
    frameworkErrors: (err: FastifyError, _req: FastifyRequest, reply: FastifyReply) => {
      const status = err.statusCode ?? 400;
      const message = status === 400 ? 'the URL holds a character that is not valid UTF-8' : err.message;
      void reply.code(status).send({ statusCode: status, error: status === 400 ? 'Bad Request' : 'Error', message, details: [{ path: '(path)', message }] });
    },
    // Fastify's own logger stays off: requests are logged by registerRequestLog, with Fastify's request ids.
    logger: false,
    routerOptions: { ignoreTrailingSlash: true },
    // Node's own limit for a whole request, as under Express (Fastify would set none): a client trickling a request
    // cannot hold a connection for ever. Socket.IO's long polls last under a minute.
    requestTimeout: 300_000,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(config), http, { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  setRateLimits({
    KIOSK_TICKETS_PER_MINUTE: config.KIOSK_TICKETS_PER_MINUTE,
    TRACK_REQUESTS_PER_MINUTE: config.TRACK_REQUESTS_PER_MINUTE,
    HOTLINE_REQUESTS_PER_MINUTE: config.HOTLINE_REQUESTS_PER_MINUTE,
  });
  const fastify = app.getHttpAdapter().getInstance();
  const securityHeaders = helmetHeaders({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        // The wall display speaks through the browser; the web app loads nothing from other origins.
        'connect-src': ["'self'", 'ws:', 'wss:'],
        'img-src': ["'self'", 'data:'],
        'media-src': ["'self'", 'data:', 'blob:'],
        'upgrade-insecure-requests': null,
      },
    },
    crossOriginEmbedderPolicy: false,
  });
  fastify.addHook('onRequest', (_req: FastifyRequest, reply: FastifyReply, done: () => void) => {
    reply.headers(securityHeaders);
    done();
  });
  registerInputParsing(fastify, bodyLimit);
  app.enableCors(config.CORS_ORIGINS.length ? { origin: config.CORS_ORIGINS, credentials: true } : { origin: false });
  registerRequestLog(fastify, pino(requestLoggerOptions(config.LOG_LEVEL)));
  fastify.addHook('onResponse', (req: FastifyRequest, reply: FastifyReply, done: () => void) => {
    httpDuration.observe({ method: req.method, route: req.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    done();
  });
  app.setGlobalPrefix('api');
  await mountQueueBoard(app);

  const doc = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Frontdesk Live API')
      .setDescription(
        'Lobby queue, live events and operations of a repair service center. Errors: {statusCode, error, message, details?}. ' +
          'Every mutation accepts an Idempotency-Key header. Live events: Socket.IO namespace /live (see docs/live-events.md).',
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, cleanupOpenApiDoc(doc), { jsonDocumentUrl: 'api/docs/openapi.json' });

  const dist = webDist(config);
  if (dist) {
    // The files of the build as they are at start (a build is not changed under a running server).
    await app.register(fastifyStatic, {
      root: dist,
      index: false,
      wildcard: false,
      decorateReply: false,
      maxAge: '1h',
      setHeaders: (reply, path) => {
        if (path.endsWith('.html')) reply.header('Cache-Control', 'no-cache');
      },
    });
    // Single-page app: every other GET outside /api and /socket.io gets index.html.
    const index = join(dist, 'index.html');
    fastify.get('/*', async (req, reply) => {
      if (req.url.startsWith('/api') || req.url.startsWith('/socket.io')) return reply.callNotFound();
      return reply.type('text/html; charset=utf-8').header('Cache-Control', 'no-cache').send(await readFile(index));
    });
  } else {
    new NestLogger('Web').warn('web app not built (apps/web/dist missing): only the API is served');
  }

  const adapter = new RedisIoAdapter(app, config.REDIS_URL, config.REDIS_PREFIX, config.CORS_ORIGINS);
  await adapter.connect();
  app.useWebSocketAdapter(adapter);
  return app;
}
