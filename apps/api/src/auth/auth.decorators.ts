import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { DeviceKind, Principal, Role } from '@frontdesk/contracts';

export const PUBLIC_KEY = 'fdl:public';
export const ALLOW_KEY = 'fdl:allow';

export type Allowed = Role | DeviceKind;

/** No token needed (ticket tracking, login, health). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** Which roles and device kinds may call the route. Without it: any signed-in user, no device. */
export const Allow = (...who: Allowed[]) => SetMetadata(ALLOW_KEY, who);

export const STAFF: Allowed[] = ['admin', 'manager', 'frontdesk', 'technician', 'agent'];
export const FRONTDESK: Allowed[] = ['admin', 'manager', 'frontdesk'];
export const MANAGERS: Allowed[] = ['admin', 'manager'];

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  return ctx.switchToHttp().getRequest<{ principal: Principal }>().principal;
});
