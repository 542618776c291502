import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { loadWorkerConfig } from './config';
import { WorkerModule } from './worker.module';

/** The worker: BullMQ processors only, no HTTP. Run more of them to process more jobs. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadWorkerConfig();
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
  const app = await NestFactory.createApplicationContext(WorkerModule.register(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  console.log(`Frontdesk Live worker ${process.pid} processing jobs (prefix ${config.REDIS_PREFIX})`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
