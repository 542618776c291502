import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { JobQueues } from './job-queues.service';
import { QueueBoardController } from './queue-board.controller';

@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'pretty', gracefulShutdownTimeoutMs: 0 })],
  controllers: [HealthController, QueueBoardController],
  providers: [JobQueues],
  exports: [JobQueues],
})
export class HealthModule {}
