import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { QueueModule } from '../queue/queue.module';
import { EventsModule } from './events.module';
import { LiveGateway } from './live.gateway';

@Module({
  imports: [AuthModule, EventsModule, QueueModule],
  providers: [LiveGateway],
})
export class LiveModule {}
