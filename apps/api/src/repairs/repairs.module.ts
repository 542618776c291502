import { Module } from '@nestjs/common';
import { RepairRepository } from '@frontdesk/db';
import { AuditModule } from '../audit/audit.module';
import { EventsModule } from '../live/events.module';
import { RepairNotices } from '../notifications/repair-notices.service';
import { RepairController } from './repair.controller';
import { RepairIntakeService } from './repair-intake.service';
import { RepairQueryService } from './repair-query.service';
import { RepairService } from './repair.service';

@Module({
  imports: [EventsModule, AuditModule],
  controllers: [RepairController],
  providers: [RepairRepository, RepairIntakeService, RepairService, RepairQueryService, RepairNotices],
  exports: [RepairRepository],
})
export class RepairsModule {}
