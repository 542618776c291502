import { HttpException, HttpStatus, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import * as argon2 from 'argon2';
import type { LoginRequest, LoginResponse, Principal, UserDto } from '@frontdesk/contracts';
import { APP_CONFIG, type AppConfig } from '../config/config';
import type { UserEntity } from '@frontdesk/db';
import { TokenService } from './token.service';
import { UserRepository } from './user.repository';

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

export function toUserDto(u: UserEntity): UserDto {
  return { id: u.id, username: u.username, displayName: u.displayName, role: u.role, branchIds: (u.branches ?? []).map((b) => b.id) };
}

@Injectable()
export class AuthService {
  /** Verified against when the user does not exist, so timing does not reveal which usernames exist. */
  private readonly dummyHash = hashPassword('not-a-real-password-' + Math.random());

  constructor(
    private readonly users: UserRepository,
    private readonly tokens: TokenService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async login(req: LoginRequest): Promise<LoginResponse> {
    const user = await this.users.findForLogin(req.username);
    const invalid = new UnauthorizedException({ statusCode: 401, error: 'Unauthorized', message: 'invalid username or password' });
    if (!user || !user.active) {
      await argon2.verify(await this.dummyHash, req.password).catch(() => false);
      throw invalid;
    }
    if (user.lockedUntil && user.lockedUntil > new Date()) {
      const seconds = Math.ceil((user.lockedUntil.getTime() - Date.now()) / 1000);
      throw new HttpException(
        { statusCode: 429, error: 'Too Many Requests', message: `too many failed sign-ins; account locked for ${seconds}s more`, retryAfterSeconds: seconds },
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    const ok = await argon2.verify(user.passwordHash, req.password).catch(() => false);
    if (!ok) {
      await this.users.recordFailure(user.id, this.config.LOGIN_MAX_FAILURES, this.config.LOGIN_LOCK_SECONDS);
      throw invalid;
    }
    await this.users.recordSuccess(user.id);
    const dto = toUserDto(user);
    const { token, expiresAt } = this.tokens.signUser(dto);
    return { accessToken: token, expiresAt: expiresAt.toISOString(), user: dto };
  }

  async me(principal: Principal): Promise<UserDto | Principal> {
    if (principal.kind === 'device') return principal;
    const user = await this.users.findById(principal.userId);
    if (!user || !user.active) {
      throw new UnauthorizedException({ statusCode: 401, error: 'Unauthorized', message: 'this user no longer exists or is disabled' });
    }
    return toUserDto(user);
  }
}
