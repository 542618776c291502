import { z } from 'zod';
import type { Language } from './common';

export const NOTIFICATION_TEMPLATES = ['pickup_ready', 'pickup_reminder', 'promise_slipped', 'lobby_near'] as const;
export type NotificationTemplate = (typeof NOTIFICATION_TEMPLATES)[number];

/** `cancelled` is an addition: a scheduled reminder whose repair was collected before it was due. */
export const NOTIFICATION_STATUSES = ['queued', 'scheduled', 'sent', 'failed', 'cancelled'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

export interface NotificationDto {
  id: string;
  channel: 'sms';
  /** Masked (138****8000): enough to recognise, useless to copy. */
  to: string;
  template: NotificationTemplate;
  status: NotificationStatus;
  attempts: number;
  /** Additions: when it is (or was) due, its language, the repair or ticket it belongs to, and the provider. */
  dueAt: string;
  language: Language;
  repairId: string | null;
  ticketId: string | null;
  provider: string | null;
  sentAt?: string;
  error?: string;
}

export const NotificationQuerySchema = z
  .object({ repairId: z.uuid().optional(), ticketId: z.uuid().optional() })
  .refine((q) => q.repairId || q.ticketId, { message: 'give repairId or ticketId', path: ['repairId'] });
export type NotificationQuery = z.infer<typeof NotificationQuerySchema>;

export interface NotificationEventData {
  notification: NotificationDto;
}

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'use HH:mm, 24-hour');

/** Per-branch notice rules (branch-local wall-clock times). */
export const NotifySettingsSchema = z.object({
  /** No SMS from quietStart to quietEnd local time; a notice due then waits for quietEnd. */
  quietStart: HHMM,
  quietEnd: HHMM,
  /** Reminders when a ready repair is not collected after these many days. */
  reminderDays: z.array(z.number().int().min(1).max(60)).max(5),
  /** Opening hours as quoted in messages, e.g. 09:00-21:00. */
  openingHours: z.string().min(1).max(40),
  /** An SMS to a lobby ticket with a phone number when it is two places from being called. */
  lobbyNearSms: z.boolean(),
});
export type NotifySettings = z.infer<typeof NotifySettingsSchema>;

export const DEFAULT_NOTIFY_SETTINGS: NotifySettings = {
  quietStart: '21:00',
  quietEnd: '09:00',
  reminderDays: [3, 7],
  openingHours: '09:00-21:00',
  lobbyNearSms: true,
};

export interface SmsTemplateDto {
  template: NotificationTemplate;
  language: Language;
  body: string;
  /** False while the built-in default applies. */
  customized: boolean;
  placeholders: string[];
}

export const SmsTemplateParamsSchema = z.object({
  template: z.enum(NOTIFICATION_TEMPLATES, { error: `template must be one of ${NOTIFICATION_TEMPLATES.join(', ')}` }),
  language: z.enum(['zh', 'en'], { error: 'language must be zh or en' }),
});
export const UpdateSmsTemplateSchema = z.object({ body: z.string().trim().min(1, 'the text may not be empty').max(400) });
export type UpdateSmsTemplateRequest = z.infer<typeof UpdateSmsTemplateSchema>;
/** Preview of a draft (`body`) or, without it, of the text in force. */
export const PreviewSmsTemplateSchema = z.object({ body: z.string().trim().min(1).max(400).optional() });
export type PreviewSmsTemplateRequest = z.infer<typeof PreviewSmsTemplateSchema>;

export interface SmsPreviewDto {
  text: string;
  characters: number;
  encoding: 'gsm7' | 'ucs2';
  /** How many SMS the text costs. */
  segments: number;
}

export const UpdateNotifySettingsSchema = NotifySettingsSchema.partial();
export type UpdateNotifySettingsRequest = z.infer<typeof UpdateNotifySettingsSchema>;

/** What the development provider recorded instead of sending (SMS_PROVIDER=dev). */
export interface DevSmsDto {
  id: string;
  idempotencyKey: string;
  to: string;
  body: string;
  createdAt: string;
}
