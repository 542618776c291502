import { Module } from '@nestjs/common';
import { CallbackRepository, HotlineRepository, RepairRepository } from '@frontdesk/db';
import { AuditModule } from '../audit/audit.module';
import { CallbacksModule } from '../callbacks/callbacks.module';
import { EventsModule } from '../live/events.module';
import { RepairNotices } from '../notifications/repair-notices.service';
import { RepairController } from './repair.controller';
import { RepairIntakeService } from './repair-intake.service';
import { RepairQueryService } from './repair-query.service';
import { RepairService } from './repair.service';

@Module({
  imports: [EventsModule, AuditModule, CallbacksModule],
  controllers: [RepairController],
  providers: [RepairRepository, CallbackRepository, HotlineRepository, RepairIntakeService, RepairService, RepairQueryService, RepairNotices],
  exports: [RepairRepository],
})
export class RepairsModule {}
