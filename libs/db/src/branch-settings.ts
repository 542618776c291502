import { DEFAULT_NOTIFY_SETTINGS, DEFAULT_QUEUE_SETTINGS, type NotifySettings, type QueueSettings } from '@frontdesk/contracts';
import type { BranchEntity } from './entities/branch.entity';

/** Stored settings over the defaults, so a setting added later has a value for old branches. */
export function branchSettings(b: Pick<BranchEntity, 'queueSettings'>): QueueSettings {
  return { ...DEFAULT_QUEUE_SETTINGS, ...(b.queueSettings ?? {}) };
}

/** Notice rules over the defaults (quiet hours 21:00-09:00, reminders after 3 and 7 days). */
export function notifySettings(b: { notifySettings?: Partial<NotifySettings> | null }): NotifySettings {
  return { ...DEFAULT_NOTIFY_SETTINGS, ...(b.notifySettings ?? {}) };
}
