import { z } from 'zod';
import type { DeviceKind, Role } from './common';

export const LoginRequestSchema = z.object({
  username: z.string().trim().min(1, 'username is required').max(64),
  password: z.string().min(1, 'password is required').max(256),
});
export type LoginRequest = z.infer<typeof LoginRequestSchema>;

export interface UserDto {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  branchIds: string[];
}

export interface LoginResponse {
  accessToken: string;
  expiresAt: string;
  user: UserDto;
}

/** Who is calling, as the API resolved it from the bearer token. */
export type Principal =
  | { kind: 'user'; userId: string; username: string; role: Role; branchIds: string[] }
  | { kind: 'device'; deviceId: string; deviceKind: DeviceKind; branchId: string; name: string };

/** Device tokens start with this, so a bearer token is told apart from a user's JWT without parsing it. */
export const DEVICE_TOKEN_PREFIX = 'fdl_dev_';

export const CreateDeviceSchema = z.object({
  kind: z.enum(['kiosk', 'display']),
  name: z.string().trim().min(1, 'name is required').max(80),
});
export type CreateDeviceRequest = z.infer<typeof CreateDeviceSchema>;

export interface DeviceDto {
  id: string;
  branchId: string;
  kind: DeviceKind;
  name: string;
  createdAt: string;
  revokedAt: string | null;
  lastSeenAt: string | null;
}

/** Returned once, at creation: the token is stored only as a hash. */
export interface CreatedDeviceDto extends DeviceDto {
  token: string;
  url: string;
}
