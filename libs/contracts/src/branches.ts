import { z } from 'zod';
import type { I18nText, Language } from './common';

/** Per-branch queue rules (DOMAIN.md: every number is a branch setting). */
export const QueueSettingsSchema = z.object({
  /** A normal ticket that has waited longer than this is served like a priority one. */
  agingLimitSeconds: z.number().int().min(60).max(4 * 3600),
  /** How many times a called ticket may be recalled; no-show is allowed once they are used. */
  maxRecalls: z.number().int().min(0).max(10),
  /** Minimum time between two calls of the same ticket. */
  recallCooldownSeconds: z.number().int().min(0).max(600),
  /** How many recently finished tickets make the "recent service time". */
  serviceTimeSampleSize: z.number().int().min(1).max(100),
  /** Languages the wall display announces calls in, in order (e.g. ['zh', 'en']: Chinese, then English). */
  announceLanguages: z.array(z.enum(['zh', 'en'])).min(1).max(2),
});
export type QueueSettings = z.infer<typeof QueueSettingsSchema>;

export const DEFAULT_QUEUE_SETTINGS: QueueSettings = {
  agingLimitSeconds: 20 * 60,
  maxRecalls: 2,
  recallCooldownSeconds: 30,
  serviceTimeSampleSize: 10,
  announceLanguages: ['zh', 'en'],
};

export const UpdateQueueSettingsSchema = QueueSettingsSchema.partial();
export type UpdateQueueSettingsRequest = z.infer<typeof UpdateQueueSettingsSchema>;

export interface BranchDto {
  id: string;
  code: string;
  name: I18nText;
  timeZone: string;
  defaultLanguage: Language;
  queueSettings: QueueSettings;
}
