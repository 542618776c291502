import { Module } from '@nestjs/common';
import { HotlineRepository, ManagerRepository } from '@frontdesk/db';
import { ManagerController } from './manager.controller';
import { ManagerService } from './manager.service';

@Module({
  controllers: [ManagerController],
  providers: [ManagerRepository, HotlineRepository, ManagerService],
})
export class ManagerModule {}
