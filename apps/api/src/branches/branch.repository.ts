import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import type { BranchDto, QueueSettings, ServiceDto } from '@frontdesk/contracts';
import { branchSettings, BranchEntity, ServiceEntity } from '@frontdesk/db';

export function toBranchDto(b: BranchEntity): BranchDto {
  return {
    id: b.id,
    code: b.code,
    name: { zh: b.nameZh, en: b.nameEn },
    timeZone: b.timeZone,
    defaultLanguage: b.defaultLanguage,
    queueSettings: branchSettings(b),
  };
}

export function toServiceDto(s: ServiceEntity): ServiceDto {
  return { id: s.id, code: s.code, name: { zh: s.nameZh, en: s.nameEn }, open: s.open, defaultServiceSeconds: s.defaultServiceSeconds };
}

@Injectable()
export class BranchRepository {
  constructor(
    @InjectRepository(BranchEntity) private readonly branches: Repository<BranchEntity>,
    @InjectRepository(ServiceEntity) private readonly services: Repository<ServiceEntity>,
  ) {}

  findById(id: string): Promise<BranchEntity | null> {
    return this.branches.findOne({ where: { id } });
  }

  findByCode(code: string): Promise<BranchEntity | null> {
    return this.branches.findOne({ where: { code } });
  }

  list(ids: string[] | 'all'): Promise<BranchEntity[]> {
    return this.branches.find({ where: ids === 'all' ? {} : { id: In(ids) }, order: { code: 'ASC' } });
  }

  servicesOf(branchId: string): Promise<ServiceEntity[]> {
    return this.services.find({ where: { branchId }, order: { sort: 'ASC', code: 'ASC' } });
  }

  async updateSettings(id: string, settings: QueueSettings): Promise<void> {
    await this.branches.update({ id }, { queueSettings: settings });
  }
}
