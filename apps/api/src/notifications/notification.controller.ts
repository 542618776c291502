import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { NotificationQuerySchema, type Principal } from '@frontdesk/contracts';
import { Allow, CurrentPrincipal, STAFF } from '../auth/auth.decorators';
import { NotificationService } from './notification.service';

class NotificationQueryDto extends createZodDto(NotificationQuerySchema) {}

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('notifications')
export class NotificationController {
  constructor(private readonly notifications: NotificationService) {}

  @Get()
  @Allow(...STAFF)
  @ApiOperation({
    summary: 'SMS notices of a repair or a lobby ticket: masked number, template, status (queued, scheduled, sent, failed, cancelled), attempts, sentAt, error',
  })
  list(@CurrentPrincipal() p: Principal, @Query() q: NotificationQueryDto) {
    return this.notifications.list(p, q);
  }
}
