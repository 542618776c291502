import { ForbiddenException } from '@nestjs/common';
import type { Principal } from '@frontdesk/contracts';

export function canAccessBranch(principal: Principal, branchId: string): boolean {
  if (principal.kind === 'device') return principal.branchId === branchId;
  return principal.role === 'admin' || principal.branchIds.includes(branchId);
}

/** Every branch-scoped route passes through here: a user of another branch gets 403, not the data. */
export function assertBranchAccess(principal: Principal, branchId: string): void {
  if (!canAccessBranch(principal, branchId)) {
    throw new ForbiddenException({ statusCode: 403, error: 'Forbidden', message: 'you have no access to this branch' });
  }
}

export function principalId(p: Principal): string {
  return p.kind === 'device' ? `device:${p.deviceId}` : `user:${p.userId}`;
}

export function principalLabel(p: Principal): string {
  return p.kind === 'device' ? `device:${p.deviceId}:${p.name}` : `user:${p.userId}:${p.username}`;
}
