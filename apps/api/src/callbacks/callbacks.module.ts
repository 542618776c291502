import { Module } from '@nestjs/common';
import { CallbackRepository, HotlineRepository } from '@frontdesk/db';
import { AuditModule } from '../audit/audit.module';
import { EventsModule } from '../live/events.module';
import { CallbackController } from './callback.controller';
import { CallbackDueQueue } from './callback-due.queue';
import { CallbackService } from './callback.service';

@Module({
  imports: [EventsModule, AuditModule],
  controllers: [CallbackController],
  providers: [CallbackRepository, HotlineRepository, CallbackService, CallbackDueQueue],
  exports: [CallbackDueQueue],
})
export class CallbacksModule {}
