import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { AuditQuerySchema } from '@frontdesk/contracts';
import { Allow } from '../auth/auth.decorators';
import { CustomerAuditService } from './customer-audit.service';

class AuditQueryDto extends createZodDto(AuditQuerySchema) {}

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: CustomerAuditService) {}

  @Get()
  @Allow('admin')
  @ApiOperation({
    summary: 'Who viewed or changed customer records (admin): branch, from/to (default the last 7 days), newest first; phones masked',
  })
  list(@Query() q: AuditQueryDto) {
    return this.audit.list(q);
  }
}
