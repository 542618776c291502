import { DEFAULT_QUEUE_SETTINGS, type QueueSettings } from '@frontdesk/contracts';
import type { BranchEntity } from './entities/branch.entity';

/** Stored settings over the defaults, so a setting added later has a value for old branches. */
export function branchSettings(b: Pick<BranchEntity, 'queueSettings'>): QueueSettings {
  return { ...DEFAULT_QUEUE_SETTINGS, ...(b.queueSettings ?? {}) };
}
