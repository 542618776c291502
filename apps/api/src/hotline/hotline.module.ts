import { Module } from '@nestjs/common';
import { CallbackRepository, HotlineRepository } from '@frontdesk/db';
import { AuditModule } from '../audit/audit.module';
import { EventsModule } from '../live/events.module';
import { HotlineController } from './hotline.controller';
import { HotlineIngestService } from './hotline-ingest.service';
import { HotlineMonitor } from './hotline-monitor.service';
import { HotlineQueryService } from './hotline-query.service';
import { HotlineWatch } from './hotline-watch.service';

@Module({
  imports: [EventsModule, AuditModule],
  controllers: [HotlineController],
  providers: [HotlineRepository, CallbackRepository, HotlineMonitor, HotlineIngestService, HotlineQueryService, HotlineWatch],
})
export class HotlineModule {}
