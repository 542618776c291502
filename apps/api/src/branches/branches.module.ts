import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BranchEntity, ServiceEntity } from '@frontdesk/db';
import { BranchController } from './branch.controller';
import { BranchRepository } from './branch.repository';
import { BranchService } from './branch.service';

@Module({
  imports: [TypeOrmModule.forFeature([BranchEntity, ServiceEntity])],
  controllers: [BranchController],
  providers: [BranchRepository, BranchService],
  exports: [BranchRepository],
})
export class BranchesModule {}
