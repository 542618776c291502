import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { createHash, randomBytes } from 'node:crypto';
import { DEVICE_TOKEN_PREFIX, type Principal, type Role } from '@frontdesk/contracts';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { DeviceRepository } from './device.repository';


type DevicePrincipal = Extract<Principal, { kind: 'device' }>;

interface JwtPayload {
  sub: string;
  username: string;
  role: Role;
  branchIds: string[];
}

export function hashDeviceToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Resolves a bearer token (user JWT or device token) to a principal; one path for HTTP and sockets. */
@Injectable()
export class TokenService {
  private readonly lastSeenWritten = new Map<string, number>();
  /**
   * One frozen principal per device, shared by all of that device's sockets and requests (a wall display's token may
   * hold thousands of sockets). Only the object is shared: every resolve still reads the device, so a revoked token
   * stops at once.
   */
  private readonly devicePrincipals = new Map<string, Readonly<DevicePrincipal>>();

  constructor(
    private readonly jwt: JwtService,
    private readonly devices: DeviceRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  signUser(user: { id: string; username: string; role: Role; branchIds: string[] }): { token: string; expiresAt: Date } {
    const payload: JwtPayload = { sub: user.id, username: user.username, role: user.role, branchIds: user.branchIds };
    const token = this.jwt.sign(payload, { expiresIn: this.config.JWT_TTL_SECONDS });
    return { token, expiresAt: new Date(Date.now() + this.config.JWT_TTL_SECONDS * 1000) };
  }

  newDeviceToken(): { token: string; hash: string } {
    const token = DEVICE_TOKEN_PREFIX + randomBytes(24).toString('base64url');
    return { token, hash: hashDeviceToken(token) };
  }

  /** null for a missing, expired, revoked or forged token. */
  async resolve(token: string | undefined | null): Promise<Principal | null> {
    if (!token) return null;
    if (token.startsWith(DEVICE_TOKEN_PREFIX)) {
      const device = await this.devices.findActiveByTokenHash(hashDeviceToken(token));
      if (!device) return null;
      this.touch(device.id);
      const known = this.devicePrincipals.get(device.id);
      if (known && known.deviceKind === device.kind && known.branchId === device.branchId && known.name === device.name) return known;
      const principal = Object.freeze({ kind: 'device' as const, deviceId: device.id, deviceKind: device.kind, branchId: device.branchId, name: device.name });
      this.devicePrincipals.set(device.id, principal);
      return principal;
    }
    try {
      const p = this.jwt.verify<JwtPayload>(token);
      return { kind: 'user', userId: p.sub, username: p.username, role: p.role, branchIds: p.branchIds };
    } catch {
      return null;
    }
  }

  /** Records when a device was last seen, at most once a minute per device. */
  private touch(deviceId: string): void {
    const now = Date.now();
    if ((this.lastSeenWritten.get(deviceId) ?? 0) > now - 60_000) return;
    this.lastSeenWritten.set(deviceId, now);
    this.devices.markSeen(deviceId).catch(() => undefined);
  }
}
