import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { CustomerByPhoneQuerySchema, type Principal } from '@frontdesk/contracts';
import { Allow, CurrentPrincipal, STAFF } from '../auth/auth.decorators';
import { CustomerService } from './customer.service';

class CustomerByPhoneQueryDto extends createZodDto(CustomerByPhoneQuerySchema) {}

@ApiTags('customers')
@ApiBearerAuth()
@Controller('customers')
export class CustomerController {
  constructor(private readonly customers: CustomerService) {}

  @Get('by-phone')
  @Allow(...STAFF)
  @ApiOperation({ summary: "A customer by phone (any format; E.164 inside) with the caller's branches' earlier repairs and tickets" })
  byPhone(@CurrentPrincipal() p: Principal, @Query() q: CustomerByPhoneQueryDto) {
    return this.customers.byPhone(p, q.phone, q.branchId);
  }
}
