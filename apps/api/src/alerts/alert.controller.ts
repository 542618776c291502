import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { AlertsQuerySchema, type Principal } from '@frontdesk/contracts';
import { Allow, CurrentPrincipal, STAFF } from '../auth/auth.decorators';
import { UuidPipe } from '../common/uuid.pipe';
import { AlertService } from './alert.service';

class AlertsQueryDto extends createZodDto(AlertsQuerySchema) {}

@ApiTags('alerts')
@ApiBearerAuth()
@Controller('alerts')
export class AlertController {
  constructor(private readonly alerts: AlertService) {}

  @Get()
  @Allow(...STAFF)
  @ApiOperation({ summary: 'The alert feed of a branch, newest first (open ones, or all)' })
  list(@CurrentPrincipal() p: Principal, @Query() query: AlertsQueryDto) {
    return this.alerts.list(p, query);
  }

  @Post(':id/ack')
  @HttpCode(200)
  @Allow('admin', 'manager')
  @ApiOperation({ summary: 'Acknowledge an alert (it stays open until its situation clears)' })
  ack(@CurrentPrincipal() p: Principal, @Param('id', UuidPipe) id: string) {
    return this.alerts.acknowledge(p, id);
  }
}
