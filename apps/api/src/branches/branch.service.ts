import { Injectable } from '@nestjs/common';
import type { BranchDto, Principal, QueueSettings, ServiceDto, UpdateQueueSettingsRequest } from '@frontdesk/contracts';
import { QueueSettingsSchema } from '@frontdesk/contracts';
import { assertBranchAccess } from '../auth/branch-access';
import { notFound } from '../common/http-errors';
import { branchSettings } from '@frontdesk/db';
import { BranchRepository, toBranchDto, toServiceDto } from './branch.repository';

@Injectable()
export class BranchService {
  constructor(private readonly branches: BranchRepository) {}

  async list(p: Principal): Promise<BranchDto[]> {
    const ids = p.kind === 'device' ? [p.branchId] : p.role === 'admin' ? 'all' : p.branchIds;
    return (await this.branches.list(ids)).map(toBranchDto);
  }

  async get(p: Principal, id: string): Promise<BranchDto> {
    assertBranchAccess(p, id);
    const b = await this.branches.findById(id);
    if (!b) throw notFound('branch', id);
    return toBranchDto(b);
  }

  async getByCode(p: Principal, code: string): Promise<BranchDto> {
    const b = await this.branches.findByCode(code.toLowerCase());
    if (!b) throw notFound('branch', code);
    assertBranchAccess(p, b.id);
    return toBranchDto(b);
  }

  async services(p: Principal, branchId: string): Promise<ServiceDto[]> {
    assertBranchAccess(p, branchId);
    return (await this.branches.servicesOf(branchId)).map(toServiceDto);
  }

  async updateSettings(p: Principal, id: string, patch: UpdateQueueSettingsRequest): Promise<BranchDto> {
    assertBranchAccess(p, id);
    const b = await this.branches.findById(id);
    if (!b) throw notFound('branch', id);
    const next: QueueSettings = QueueSettingsSchema.parse({ ...branchSettings(b), ...patch });
    await this.branches.updateSettings(id, next);
    return toBranchDto({ ...b, queueSettings: next });
  }
}
