import { Module } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { EventStoreRepository } from '@frontdesk/db';
import { BranchTransactions } from './branch-tx.service';
import { EventPublisher } from './event-publisher.service';
import { LiveConnections } from './live-connections.service';

/** The event pipeline: branch transactions append to the log, the publisher emits to sockets. */
@Module({
  providers: [
    LiveConnections,
    { provide: EventStoreRepository, inject: [getDataSourceToken()], useFactory: (ds: DataSource) => new EventStoreRepository(ds) },
    EventPublisher,
    BranchTransactions,
  ],
  exports: [LiveConnections, EventStoreRepository, EventPublisher, BranchTransactions],
})
export class EventsModule {}
