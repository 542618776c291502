import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { ZodValidationPipe } from 'nestjs-zod';
import { AlertsModule } from './alerts/alerts.module';
import { AuditModule } from './audit/audit.module';
import { AuthGuard } from './auth/auth.guard';
import { AuthModule } from './auth/auth.module';
import { DevicesModule } from './auth/devices.module';
import { BranchesModule } from './branches/branches.module';
import { HttpExceptionFilter } from './common/http-exception.filter';
import { requestLoggerOptions } from './common/log-privacy';
import { IdempotencyInterceptor } from './common/idempotency.interceptor';
import type { AppConfig } from './config/config';
import { CoreModule } from './config/config.module';
import { dataSourceOptions } from '@frontdesk/db';
import { HealthModule } from './health/health.module';
import { LiveModule } from './live/live.module';
import { QueueModule } from './queue/queue.module';
import { RepairsModule } from './repairs/repairs.module';
import { CustomersModule } from './customers/customers.module';
import { HotlineModule } from './hotline/hotline.module';
import { CallbacksModule } from './callbacks/callbacks.module';
import { ManagerModule } from './manager/manager.module';
import { NotificationsModule } from './notifications/notifications.module';

@Module({})
export class AppModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.register(config),
        // The application's log. Requests are logged by a Fastify hook (registerRequestLog), not by nestjs-pino's
        // pino-http middleware: no route gets it.
        LoggerModule.forRoot({ forRoutes: [], pinoHttp: requestLoggerOptions(config.LOG_LEVEL) }),
        TypeOrmModule.forRoot({ ...dataSourceOptions(config.DATABASE_URL), retryAttempts: 10, retryDelay: 1000 }),
        ThrottlerModule.forRoot([{ ttl: 60_000, limit: 600 }]),
        AuthModule,
        DevicesModule,
        BranchesModule,
        QueueModule,
        LiveModule,
        AlertsModule,
        RepairsModule,
        CustomersModule,
        HotlineModule,
        CallbacksModule,
        ManagerModule,
        NotificationsModule,
        AuditModule,
        HealthModule,
      ],
      providers: [
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_PIPE, useClass: ZodValidationPipe },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
      ],
    };
  }
}
