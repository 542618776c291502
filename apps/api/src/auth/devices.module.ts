import { Module } from '@nestjs/common';
import { BranchesModule } from '../branches/branches.module';
import { EventsModule } from '../live/events.module';
import { AuthModule } from './auth.module';
import { DeviceController } from './device.controller';
import { DeviceService } from './device.service';

@Module({
  imports: [AuthModule, BranchesModule, EventsModule],
  controllers: [DeviceController],
  providers: [DeviceService],
})
export class DevicesModule {}
