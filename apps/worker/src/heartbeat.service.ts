import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import { heartbeatKey, WORKER_CONFIG, type WorkerConfig } from './config';
import { WORKER_REDIS } from './worker.tokens';

/** Tells the API's health check that a worker is alive: a key that expires if the beats stop. */
@Injectable()
export class HeartbeatService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(HeartbeatService.name);
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(WORKER_REDIS) private readonly redis: Redis,
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.beat();
    this.timer = setInterval(() => void this.beat(), this.config.HEARTBEAT_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.redis.del(heartbeatKey(this.config.REDIS_PREFIX)).catch(() => undefined);
  }

  private async beat(): Promise<void> {
    const ttlSeconds = Math.max(3, Math.ceil((this.config.HEARTBEAT_MS * 3) / 1000));
    try {
      await this.redis.set(heartbeatKey(this.config.REDIS_PREFIX), JSON.stringify({ at: new Date().toISOString(), pid: process.pid, host: hostname() }), 'EX', ttlSeconds);
    } catch (err) {
      this.logger.warn(`heartbeat failed: ${String(err)}`);
    }
  }
}
