import { INestApplicationContext, Logger } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import type { MessageMappingProperties } from '@nestjs/websockets';
import type { Observable } from 'rxjs';
import type { Server, ServerOptions, Socket } from 'socket.io';

/**
 * Socket.IO across API instances: events (one message an emit: LiveConnections) and revocations go through Redis
 * pub/sub, so a screen connected to any instance sees events committed by any other.
 */
export class RedisIoAdapter extends IoAdapter {
  private readonly logger = new Logger(RedisIoAdapter.name);
  private pub: Redis | null = null;
  private sub: Redis | null = null;

  constructor(
    app: INestApplicationContext,
    private readonly redisUrl: string,
    private readonly keyPrefix: string,
    private readonly corsOrigins: string[],
  ) {
    super(app);
  }

  async connect(): Promise<void> {
    const opts = { lazyConnect: true, maxRetriesPerRequest: null, retryStrategy: (n: number) => Math.min(n * 200, 2000) };
    // The events of each emit are one PUBLISH (LiveConnections), revocations a broadcast each. Without auto-pipelining:
    // with one publish an emit, a tick rarely has two, and the pipeline it builds for each tick's commands cost more
    // than the writes it could join (paired run at saturation, tools/bench.mjs --ab: 2 % less API CPU per request
    // without it, median of 8 rounds, 7 of them lower).
    this.pub = new Redis(this.redisUrl, opts);
    this.sub = this.pub.duplicate();
    for (const c of [this.pub, this.sub]) c.on('error', (e: Error) => this.logger.warn(`redis: ${e.message}`));
    await Promise.all([this.pub.connect(), this.sub.connect()]);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server = super.createIOServer(port, {
      ...options,
      path: '/socket.io',
      cors: this.corsOrigins.length ? { origin: this.corsOrigins, credentials: true } : { origin: false },
      // Screens come back after a network drop; keep their buffers small and detect dead peers quickly.
      pingInterval: 10_000,
      pingTimeout: 8_000,
      maxHttpBufferSize: 64 * 1024,
    }) as Server;
    if (this.pub && this.sub) {
      server.adapter(createAdapter(this.pub, this.sub, { key: `${this.keyPrefix}:socket.io` }));
    }
    return server;
  }

  /**
   * Nest calls this for every new socket of every gateway; with no @SubscribeMessage handlers (the live gateway
   * registers plain listeners) the base class would still keep an rxjs disconnect stream per socket.
   */
  override bindMessageHandlers(socket: Socket, handlers: MessageMappingProperties[], transform: (data: unknown) => Observable<unknown>): void {
    if (handlers.length > 0) super.bindMessageHandlers(socket, handlers, transform);
  }

  override async close(server: Server): Promise<void> {
    await super.close(server);
    await Promise.allSettled([this.pub?.quit(), this.sub?.quit()]);
  }
}
