import { Logger as NestLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { join, resolve } from 'node:path';
import { Logger } from 'nestjs-pino';
import { cleanupOpenApiDoc } from 'nestjs-zod';
import { AppModule } from './app.module';
import type { AppConfig } from './config/config';
import { httpDuration } from './health/metrics';
import { mountQueueBoard } from './health/queue-board';
import { RedisIoAdapter } from './live/redis-io.adapter';
import { setRateLimits } from './common/device-throttler.guard';

/** Where the built web app is: WEB_DIST, or apps/web/dist next to this app in the monorepo. */
function webDist(config: AppConfig): string | null {
  const candidates = [config.WEB_DIST, resolve(__dirname, '../../web/dist'), resolve(process.cwd(), 'apps/web/dist')].filter(Boolean) as string[];
  return candidates.find((d) => existsSync(join(d, 'index.html'))) ?? null;
}

/**
 * Node's HTTP parser refuses some requests before Express sees them (a URL or headers past 16 KB, a malformed request
 * line) and answers with an empty body; give those clients the contract's error shape too.
 */
function answerClientErrorsAsContract(server: Server): void {
  server.on('clientError', (err: Error & { code?: string }, socket: Duplex) => {
    if (!socket.writable || (err.code === 'ECONNRESET')) {
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
  });
}

export async function createApp(config: AppConfig): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config), { bufferLogs: true, bodyParser: false, rawBody: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  setRateLimits({
    KIOSK_TICKETS_PER_MINUTE: config.KIOSK_TICKETS_PER_MINUTE,
    TRACK_REQUESTS_PER_MINUTE: config.TRACK_REQUESTS_PER_MINUTE,
    HOTLINE_REQUESTS_PER_MINUTE: config.HOTLINE_REQUESTS_PER_MINUTE,
  });
  app.set('trust proxy', /^\d+$/.test(config.TRUST_PROXY) ? Number(config.TRUST_PROXY) : config.TRUST_PROXY);
  app.use(
    helmet({
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
    }),
  );
  // rawBody: the hotline webhook's HMAC is over the exact bytes received (req.rawBody).
  app.useBodyParser('json', { limit: config.BODY_LIMIT });
  app.enableCors(config.CORS_ORIGINS.length ? { origin: config.CORS_ORIGINS, credentials: true } : { origin: false });
  app.use((req: Request, res: Response, next: NextFunction) => {
    const end = httpDuration.startTimer();
    res.on('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
      end({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  });
  app.setGlobalPrefix('api');
  mountQueueBoard(app);

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
    app.useStaticAssets(dist, { index: false, maxAge: '1h', setHeaders: (res: Response, path: string) => {
        if (path.endsWith('.html')) res.setHeader('Cache-Control', 'no-cache');
      },
    });
    // Single-page app: every other GET outside /api and /socket.io gets index.html.
    app.use((req: Request, res: Response, next: NextFunction) => {
      if (req.method !== 'GET' || req.path.startsWith('/api') || req.path.startsWith('/socket.io')) return next();
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(join(dist, 'index.html'));
    });
  } else {
    new NestLogger('Web').warn('web app not built (apps/web/dist missing): only the API is served');
  }

  answerClientErrorsAsContract(app.getHttpServer());

  const adapter = new RedisIoAdapter(app, config.REDIS_URL, config.REDIS_PREFIX, config.CORS_ORIGINS);
  await adapter.connect();
  app.useWebSocketAdapter(adapter);
  return app;
}
