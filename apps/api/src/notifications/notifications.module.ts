import { Module } from '@nestjs/common';
import { NotificationRepository } from '@frontdesk/db';
import { NotificationController } from './notification.controller';
import { NotificationService } from './notification.service';
import { SmsTemplateController } from './sms-template.controller';
import { SmsTemplateService } from './sms-template.service';

@Module({
  controllers: [NotificationController, SmsTemplateController],
  providers: [NotificationRepository, NotificationService, SmsTemplateService],
})
export class NotificationsModule {}
