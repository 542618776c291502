import { z } from 'zod';

/** Every error the API returns has this shape (CONTRACT.md, Conventions). */
export interface ErrorDetail {
  path: string;
  message: string;
}
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: ErrorDetail[];
  /** For 409 on state changes: where the thing is and where it may go. */
  currentState?: string;
  allowed?: string[];
}

export const LANGUAGES = ['zh', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export const I18nTextSchema = z.object({ zh: z.string().min(1).max(200), en: z.string().min(1).max(200) });
export type I18nText = z.infer<typeof I18nTextSchema>;

export const ROLES = ['admin', 'manager', 'frontdesk', 'technician', 'agent'] as const;
export type Role = (typeof ROLES)[number];

export const DEVICE_KINDS = ['kiosk', 'display'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

export const UuidSchema = z.uuid();

/** Mainland mobile numbers and E.164: digits with an optional +, 6 to 20 long. */
export const PhoneSchema = z
  .string()
  .trim()
  .regex(/^\+?[0-9][0-9 -]{5,19}$/, 'phone must be 6-20 digits, optionally starting with +');
