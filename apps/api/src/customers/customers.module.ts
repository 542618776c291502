import { Module } from '@nestjs/common';
import { RepairRepository } from '@frontdesk/db';
import { AuditModule } from '../audit/audit.module';
import { CustomerController } from './customer.controller';
import { CustomerService } from './customer.service';

@Module({
  imports: [AuditModule],
  controllers: [CustomerController],
  providers: [RepairRepository, CustomerService],
})
export class CustomersModule {}
