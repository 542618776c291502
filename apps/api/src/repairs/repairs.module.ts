import { Module } from '@nestjs/common';
import { CallbackRepository, HotlineRepository, RepairRepository } from '@frontdesk/db';
import { CallbacksModule } from '../callbacks/callbacks.module';
import { EventsModule } from '../live/events.module';
import { RepairController } from './repair.controller';
import { RepairIntakeService } from './repair-intake.service';
import { RepairQueryService } from './repair-query.service';
import { RepairService } from './repair.service';

@Module({
  imports: [EventsModule, CallbacksModule],
  controllers: [RepairController],
  providers: [RepairRepository, CallbackRepository, HotlineRepository, RepairIntakeService, RepairService, RepairQueryService],
  exports: [RepairRepository],
})
export class RepairsModule {}
