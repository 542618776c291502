import { BullModule, getQueueToken } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, DynamicModule, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import { Redis } from 'ioredis';
import { LoggerModule } from 'nestjs-pino';
import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { JOB_QUEUE_OF, JOB_QUEUES, type JobName } from '@frontdesk/contracts';
import { dataSourceOptions, EventStoreRepository } from '@frontdesk/db';
import { CallbackDueJob } from './callbacks/callback-due.job';
import { CallbackSweepScheduler } from './callbacks/callback-sweep-scheduler.service';
import { CallbackSweepJob } from './callbacks/callback-sweep.job';
import { CallbacksProcessor } from './callbacks/callbacks.processor';
import { WORKER_CONFIG, type WorkerConfig } from './config';
import { HeartbeatService } from './heartbeat.service';
import { JobRegistry } from './jobs/job-registry';
import { CloseDayJob } from './lobby/close-day.job';
import { HousekeepingProcessor } from './housekeeping.processor';
import { HousekeepingScheduler } from './housekeeping-scheduler.service';
import { PurgeIdempotencyKeysJob } from './maintenance/purge-idempotency-keys.job';
import { createSmsDriver } from './notify/drivers/driver-factory';
import { NotifyRelay } from './notify/notify-relay.service';
import { NotifyWorker } from './notify/notify-worker.service';
import { SendNotificationJob } from './notify/send-notification.job';
import { SmsRateGate } from './notify/sms-rate-gate';
import { BULL_CONNECTION, JOB_REGISTRY, WORKER_REDIS } from './worker.tokens';

@Module({})
export class WorkerModule implements BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    @Inject(WORKER_REDIS) private readonly redis: Redis,
    @Inject(BULL_CONNECTION) private readonly bull: Redis,
    private readonly callbacks: CallbacksProcessor,
    private readonly housekeeping: HousekeepingProcessor,
  ) {}

  static register(config: WorkerConfig): DynamicModule {
    // BullMQ needs blocking connections that never give up on a command while Redis restarts.
    const bullConnection = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null, enableReadyCheck: false });
    const db = dataSourceOptions(config.DATABASE_URL);
    return {
      module: WorkerModule,
      imports: [
        LoggerModule.forRoot({ pinoHttp: { level: config.LOG_LEVEL } }),
        // DB_POOL_SIZE, checked against what the jobs can hold at once (config.ts); SMS_CONCURRENCY does not grow it.
        TypeOrmModule.forRoot({ ...db, extra: { ...(db.extra as object), max: config.DB_POOL_SIZE }, retryAttempts: 10, retryDelay: 1000 }),
        BullModule.forRoot({ connection: bullConnection, prefix: `${config.REDIS_PREFIX}:bull` }),
        BullModule.registerQueue({ name: JOB_QUEUES.housekeeping }, { name: JOB_QUEUES.notify }, { name: JOB_QUEUES.callbacks }),
      ],
      providers: [
        { provide: WORKER_CONFIG, useValue: config },
        // BullMQ leaves a connection it was handed open: the module closes it, so the process (or a test) can exit.
        { provide: BULL_CONNECTION, useValue: bullConnection },
        { provide: WORKER_REDIS, useFactory: () => new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1 }) },
        {
          provide: JOB_REGISTRY,
          inject: [getDataSourceToken(), getQueueToken(JOB_QUEUES.callbacks), WORKER_REDIS],
          useFactory: (ds: DataSource, callbacks: Queue, redis: Redis) => {
            const store = new EventStoreRepository(ds);
            const due = new CallbackDueJob(ds, store);
            return new JobRegistry(
              [
                new CloseDayJob(ds, store),
                new PurgeIdempotencyKeysJob(ds),
                new SendNotificationJob(
                  ds,
                  store,
                  createSmsDriver(config, ds),
                  new SmsRateGate(redis, `${config.REDIS_PREFIX}:sms-rate`, config.SMS_RATE_MAX, config.SMS_RATE_WINDOW_MS),
                ),
                due,
                new CallbackSweepJob(ds, callbacks, due),
              ],
              Object.keys(JOB_QUEUE_OF) as JobName[],
            );
          },
        },
        HeartbeatService,
        HousekeepingProcessor,
        HousekeepingScheduler,
        NotifyRelay,
        NotifyWorker,
        CallbacksProcessor,
        CallbackSweepScheduler,
      ],
    };
  }

  /**
   * The @Processor workers' jobs in flight finish before any connection closes. Nest calls this module's (the root's)
   * onApplicationShutdown before BullModule's, which is where @nestjs/bullmq closes those workers: quitting the shared
   * connection first made a job in flight fail ("Connection is closed."), and BullMQ, closing, retried recording that
   * failure on the closed connection without pause, for good (the process spun instead of exiting).
   */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([this.callbacks, this.housekeeping].map((host) => host.worker.close()));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
    await this.bull.quit().catch(() => this.bull.disconnect());
  }
}
