import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { DeviceEntity } from '@frontdesk/db';

@Injectable()
export class DeviceRepository {
  constructor(@InjectRepository(DeviceEntity) private readonly repo: Repository<DeviceEntity>) {}

  findActiveByTokenHash(tokenHash: string): Promise<DeviceEntity | null> {
    return this.repo.findOne({ where: { tokenHash, revokedAt: IsNull() } });
  }

  findById(id: string): Promise<DeviceEntity | null> {
    return this.repo.findOne({ where: { id } });
  }

  listByBranch(branchId: string): Promise<DeviceEntity[]> {
    return this.repo.find({ where: { branchId }, order: { createdAt: 'DESC' } });
  }

  async create(input: Pick<DeviceEntity, 'branchId' | 'kind' | 'name' | 'tokenHash' | 'createdBy'>): Promise<DeviceEntity> {
    const saved = await this.repo.save(this.repo.create(input));
    return (await this.findById(saved.id)) as DeviceEntity;
  }

  async revoke(id: string): Promise<void> {
    await this.repo.update({ id, revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  async markSeen(id: string): Promise<void> {
    await this.repo.update({ id }, { lastSeenAt: new Date() });
  }
}
