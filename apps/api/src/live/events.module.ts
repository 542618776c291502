import { Module } from '@nestjs/common';
import { BranchTransactions } from './branch-tx.service';
import { EventPublisher } from './event-publisher.service';
import { EventStoreRepository } from './event-store.repository';
import { LiveConnections } from './live-connections.service';

/** The event pipeline: branch transactions append to the log, the publisher emits to sockets. */
@Module({
  providers: [LiveConnections, EventStoreRepository, EventPublisher, BranchTransactions],
  exports: [LiveConnections, EventStoreRepository, EventPublisher, BranchTransactions],
})
export class EventsModule {}
