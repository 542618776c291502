import { Module } from '@nestjs/common';
import { AlertRepository } from '@frontdesk/db';
import { EventsModule } from '../live/events.module';
import { AlertController } from './alert.controller';
import { AlertService } from './alert.service';

@Module({
  imports: [EventsModule],
  controllers: [AlertController],
  providers: [AlertRepository, AlertService],
})
export class AlertsModule {}
