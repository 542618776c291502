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

/** Verified user tokens remembered, at most this many (a process sees a few hundred staff sessions at most). */
const VERIFIED_JWTS_MAX = 5000;

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
  /**
   * User JWTs already verified, by their exact text, with their `exp` (seconds). A user JWT is stateless (nothing
   * revokes it before it expires), so a token verified once is valid until its `exp` as jsonwebtoken judges it
   * (expired from the second `exp` on); a token that differs by one character is another key and is verified.
   * This spares the HMAC, base64 and JSON parsing of every request of a signed-in user.
   */
  private readonly verifiedJwts = new Map<string, { payload: JwtPayload; exp: number }>();

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
    const nowSeconds = Math.floor(Date.now() / 1000);
    const known = this.verifiedJwts.get(token);
    if (known) {
      if (nowSeconds < known.exp) return userPrincipal(known.payload);
      this.verifiedJwts.delete(token);
      return null;
    }
    try {
      const p = this.jwt.verify<JwtPayload & { exp?: number; nbf?: number }>(token);
      // Only tokens as we sign them (an expiry, no not-before) are remembered.
      if (typeof p.exp === 'number' && p.nbf === undefined) {
        if (this.verifiedJwts.size >= VERIFIED_JWTS_MAX) this.forgetExpiredJwts(nowSeconds);
        this.verifiedJwts.set(token, { payload: p, exp: p.exp });
      }
      return userPrincipal(p);
    } catch {
      return null;
    }
  }

  /** Drops expired tokens; if all are still valid, forgets them all (they are verified again on their next use). */
  private forgetExpiredJwts(nowSeconds: number): void {
    for (const [token, { exp }] of this.verifiedJwts) if (nowSeconds >= exp) this.verifiedJwts.delete(token);
    if (this.verifiedJwts.size >= VERIFIED_JWTS_MAX) this.verifiedJwts.clear();
  }

  /** Records when a device was last seen, at most once a minute per device. */
  private touch(deviceId: string): void {
    const now = Date.now();
    if ((this.lastSeenWritten.get(deviceId) ?? 0) > now - 60_000) return;
    this.lastSeenWritten.set(deviceId, now);
    this.devices.markSeen(deviceId).catch(() => undefined);
  }
}

/** A new principal object on every resolve, as before tokens were remembered. */
function userPrincipal(p: JwtPayload): Principal {
  return { kind: 'user', userId: p.sub, username: p.username, role: p.role, branchIds: [...p.branchIds] };
}
