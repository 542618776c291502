import { DynamicModule, Global, Module } from '@nestjs/common';
import { RedisCloser, redisProvider, REDIS } from '../common/redis.provider';
import { APP_CONFIG, type AppConfig } from './config';

/** Validated configuration and the shared Redis client, available to every module. */
@Global()
@Module({})
export class CoreModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: CoreModule,
      providers: [{ provide: APP_CONFIG, useValue: config }, redisProvider, RedisCloser],
      exports: [APP_CONFIG, REDIS],
    };
  }
}
