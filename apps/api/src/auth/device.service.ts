import { Inject, Injectable } from '@nestjs/common';
import type { CreateDeviceRequest, CreatedDeviceDto, DeviceDto, Principal } from '@frontdesk/contracts';
import { APP_CONFIG, type AppConfig } from '../config/config';
import type { DeviceEntity } from '@frontdesk/db';
import { notFound } from '../common/http-errors';
import { BranchRepository } from '../branches/branch.repository';
import { LiveConnections } from '../live/live-connections.service';
import { assertBranchAccess } from './branch-access';
import { DeviceRepository } from './device.repository';
import { TokenService } from './token.service';

function toDeviceDto(d: DeviceEntity): DeviceDto {
  return {
    id: d.id,
    branchId: d.branchId,
    kind: d.kind,
    name: d.name,
    createdAt: d.createdAt.toISOString(),
    revokedAt: d.revokedAt?.toISOString() ?? null,
    lastSeenAt: d.lastSeenAt?.toISOString() ?? null,
  };
}

@Injectable()
export class DeviceService {
  constructor(
    private readonly devices: DeviceRepository,
    private readonly branches: BranchRepository,
    private readonly tokens: TokenService,
    private readonly live: LiveConnections,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(principal: Principal, branchId: string): Promise<DeviceDto[]> {
    assertBranchAccess(principal, branchId);
    return (await this.devices.listByBranch(branchId)).map(toDeviceDto);
  }

  async create(principal: Principal, branchId: string, req: CreateDeviceRequest): Promise<CreatedDeviceDto> {
    assertBranchAccess(principal, branchId);
    const branch = await this.branches.findById(branchId);
    if (!branch) throw notFound('branch', branchId);
    const { token, hash } = this.tokens.newDeviceToken();
    const device = await this.devices.create({
      branchId,
      kind: req.kind,
      name: req.name,
      tokenHash: hash,
      createdBy: principal.kind === 'user' ? principal.userId : null,
    });
    const url = `${this.config.PUBLIC_URL}/${req.kind}/${branch.code}?token=${encodeURIComponent(token)}`;
    return { ...toDeviceDto(device), token, url };
  }

  /** Revocation takes effect at once: HTTP checks the database each request, open sockets are closed. */
  async revoke(principal: Principal, id: string): Promise<DeviceDto> {
    const device = await this.devices.findById(id);
    if (!device) throw notFound('device', id);
    assertBranchAccess(principal, device.branchId);
    await this.devices.revoke(id);
    await this.live.disconnectDevice(id, 'this device was revoked by a manager');
    return toDeviceDto((await this.devices.findById(id)) as DeviceEntity);
  }
}
