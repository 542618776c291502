import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { Redis } from 'ioredis';
import { Allow, Public } from '../auth/auth.decorators';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { REDIS } from '../common/redis.provider';
import { JobQueues } from './job-queues.service';
import { registry, setQueueGauges } from './metrics';

export const WORKER_HEARTBEAT_KEY = (prefix: string) => `${prefix}:worker:heartbeat`;

@ApiTags('operations')
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jobs: JobQueues,
  ) {}

  @Get('health')
  @Public()
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness with Postgres, Redis and the worker heartbeat (503 when one is down)' })
  check() {
    return this.health.check([
      () => this.db.pingCheck('postgres', { timeout: 1500 }),
      async () => {
        const i = this.indicators.check('redis');
        try {
          const pong = await Promise.race([this.redis.ping(), new Promise<string>((_, rej) => setTimeout(() => rej(new Error('timeout')), 1500))]);
          return pong === 'PONG' ? i.up() : i.down({ message: `unexpected reply ${pong}` });
        } catch (err) {
          return i.down({ message: String((err as Error).message) });
        }
      },
      async () => {
        const i = this.indicators.check('worker');
        try {
          const beat = await this.redis.get(WORKER_HEARTBEAT_KEY(this.config.REDIS_PREFIX));
          if (!beat) return i.down({ message: 'no worker heartbeat in the last 30 s' });
          const info = JSON.parse(beat) as { at: string; pid: number; host: string };
          return i.up({ lastBeat: info.at, pid: info.pid });
        } catch (err) {
          return i.down({ message: String((err as Error).message) });
        }
      },
      async () => {
        // Queue depth and failures: reported, not judged (a long queue is a warning for a person, not an outage).
        const i = this.indicators.check('queues');
        try {
          return i.up({ ...(await this.jobs.depths()), notices: await this.jobs.notices() });
        } catch (err) {
          return i.down({ message: String((err as Error).message) });
        }
      },
    ]);
  }

  @Get('health/live')
  @Public()
  @ApiOperation({ summary: 'Liveness of this API process only (for load balancers)' })
  live() {
    return { status: 'ok' };
  }

  @Get('metrics')
  @Allow('admin')
  @Header('Content-Type', registry.contentType)
  @ApiOperation({ summary: 'Prometheus metrics (admin)' })
  async metrics() {
    await setQueueGauges(this.jobs).catch(() => undefined);
    // Only a process started with --expose-gc (the benchmark) has gc(): it collects first, so heap figures are live data.
    (globalThis as { gc?: () => void }).gc?.();
    return registry.metrics();
  }
}
