import { Module } from '@nestjs/common';
import { CallbackRepository, HotlineRepository, RepairRepository } from '@frontdesk/db';
import { AuditModule } from '../audit/audit.module';
import { CallbacksModule } from '../callbacks/callbacks.module';
import { EventsModule } from '../live/events.module';
import { QueueModule } from '../queue/queue.module';
import { RepairNotices } from '../notifications/repair-notices.service';
import { PickupTicketController } from './pickup-ticket.controller';
import { PickupTicketService } from './pickup-ticket.service';
import { RepairController } from './repair.controller';
import { RepairIntakeService } from './repair-intake.service';
import { RepairQueryService } from './repair-query.service';
import { RepairService } from './repair.service';

@Module({
  imports: [EventsModule, AuditModule, CallbacksModule, QueueModule],
  controllers: [RepairController, PickupTicketController],
  providers: [RepairRepository, CallbackRepository, HotlineRepository, RepairIntakeService, RepairService, RepairQueryService, RepairNotices, PickupTicketService],
  exports: [RepairRepository],
})
export class RepairsModule {}
