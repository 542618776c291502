import { Module } from '@nestjs/common';
import { RepairRepository } from '@frontdesk/db';
import { AuditModule } from '../audit/audit.module';
import { EventsModule } from '../live/events.module';
import { RepairController } from './repair.controller';
import { RepairIntakeService } from './repair-intake.service';
import { RepairQueryService } from './repair-query.service';
import { RepairService } from './repair.service';

@Module({
  imports: [EventsModule, AuditModule],
  controllers: [RepairController],
  providers: [RepairRepository, RepairIntakeService, RepairService, RepairQueryService],
  exports: [RepairRepository],
})
export class RepairsModule {}
