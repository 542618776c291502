import { Module } from '@nestjs/common';
import { EventsModule } from '../live/events.module';
import { CounterController } from './counter.controller';
import { CounterService } from './counter.service';
import { QueueRepository } from '@frontdesk/db';
import { QueueSnapshotService } from './queue-snapshot.service';
import { TicketController } from './ticket.controller';
import { TicketService } from './ticket.service';
import { LobbyNotices } from '../notifications/lobby-notices.service';

@Module({
  imports: [EventsModule],
  controllers: [TicketController, CounterController],
  providers: [QueueRepository, TicketService, CounterService, QueueSnapshotService, LobbyNotices],
  exports: [QueueRepository, QueueSnapshotService, TicketService],
})
export class QueueModule {}
