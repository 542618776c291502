import { Module } from '@nestjs/common';
import { CustomerAuditRepository } from '@frontdesk/db';
import { AuditController } from './audit.controller';
import { CustomerAuditService } from './customer-audit.service';

@Module({
  controllers: [AuditController],
  providers: [CustomerAuditRepository, CustomerAuditService],
  exports: [CustomerAuditService],
})
export class AuditModule {}
