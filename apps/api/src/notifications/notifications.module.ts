import { Module } from '@nestjs/common';
import { NotificationRepository } from '@frontdesk/db';
import { NotificationController } from './notification.controller';
import { NotificationService } from './notification.service';

@Module({
  controllers: [NotificationController],
  providers: [NotificationRepository, NotificationService],
})
export class NotificationsModule {}
