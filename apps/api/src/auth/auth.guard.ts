import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { Principal } from '@frontdesk/contracts';
import { ALLOW_KEY, PUBLIC_KEY, type Allowed } from './auth.decorators';
import { TokenService } from './token.service';

export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  return m ? m[1] : null;
}

/** Global guard: every route needs a principal of an allowed kind unless marked @Public(). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const req = ctx.switchToHttp().getRequest<FastifyRequest & { principal?: Principal | null }>();
    const targets = [ctx.getHandler(), ctx.getClass()];
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets) ?? false;
    const header = req.headers.authorization;
    const principal = await this.tokens.resolve(bearerToken(header));
    req.principal = principal;
    if (isPublic) return true;
    if (!principal) {
      throw new UnauthorizedException({
        statusCode: 401,
        error: 'Unauthorized',
        message: header ? 'the token is invalid, expired or revoked; sign in again' : 'sign in first: send Authorization: Bearer <token>',
      });
    }
    const allowed = this.reflector.getAllAndOverride<Allowed[]>(ALLOW_KEY, targets);
    const who: Allowed = principal.kind === 'device' ? principal.deviceKind : principal.role;
    const ok = allowed ? allowed.includes(who) : principal.kind === 'user';
    if (!ok) {
      throw new ForbiddenException({ statusCode: 403, error: 'Forbidden', message: `a ${who} may not do this` });
    }
    return true;
  }
}
