import { Module } from '@nestjs/common';
import { RepairRepository } from '@frontdesk/db';
import { CustomerController } from './customer.controller';
import { CustomerService } from './customer.service';

@Module({
  controllers: [CustomerController],
  providers: [RepairRepository, CustomerService],
})
export class CustomersModule {}
