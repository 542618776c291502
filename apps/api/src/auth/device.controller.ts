import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { CreateDeviceSchema, type Principal } from '@frontdesk/contracts';
import { Allow, CurrentPrincipal, MANAGERS } from './auth.decorators';
import { DeviceService } from './device.service';
import { UuidPipe } from '../common/uuid.pipe';

class CreateDeviceDto extends createZodDto(CreateDeviceSchema) {}

@ApiTags('devices')
@ApiBearerAuth()
@Controller()
@Allow(...MANAGERS)
export class DeviceController {
  constructor(private readonly devices: DeviceService) {}

  @Get('branches/:branchId/devices')
  @ApiOperation({ summary: 'Kiosks and displays of a branch (manager)' })
  list(@CurrentPrincipal() p: Principal, @Param('branchId', UuidPipe) branchId: string) {
    return this.devices.list(p, branchId);
  }

  @Post('branches/:branchId/devices')
  @ApiOperation({ summary: 'Make a kiosk or display token (shown once)' })
  create(@CurrentPrincipal() p: Principal, @Param('branchId', UuidPipe) branchId: string, @Body() body: CreateDeviceDto) {
    return this.devices.create(p, branchId, body);
  }

  @Delete('devices/:id')
  @ApiOperation({ summary: 'Revoke a device token; its open screens are disconnected at once' })
  revoke(@CurrentPrincipal() p: Principal, @Param('id', UuidPipe) id: string) {
    return this.devices.revoke(p, id);
  }
}
