import type { TFunction } from 'i18next';
import type { AlertDto } from '@frontdesk/contracts';

const NOTICE_TEMPLATES = ['pickup_ready', 'pickup_reminder', 'promise_slipped', 'lobby_near'] as const;
const CALLBACK_REASONS = ['promised', 'follow_up', 'complaint', 'abandoned'] as const;

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);
const oneOf = <T extends string>(list: readonly T[], v: unknown): T | null => (list.includes(v as T) ? (v as T) : null);

/**
 * An alert in the reader's language, written from its kind and data. The API stores one English `message` (it is
 * also what logs and the API show); a manager reading Chinese should not get it. An alert whose data lacks what its
 * text needs (raised by an older version) or of a kind this screen does not know keeps the stored message.
 */
export function alertText(a: Pick<AlertDto, 'kind' | 'message' | 'data'>, t: TFunction): string {
  const d = a.data ?? {};
  switch (a.kind) {
    case 'hotline.long_hold': {
      const queue = str(d.queue);
      const limit = num(d.limitSeconds);
      if (queue && limit !== null) return t('manager.alerts.text.longHold', { queue, limit });
      break;
    }
    case 'hotline.wait_over_threshold': {
      const queue = str(d.queue);
      const threshold = num(d.thresholdSeconds);
      const wait = num(d.oldestWaitSeconds);
      if (queue && threshold !== null && wait !== null) return t('manager.alerts.text.waitOverThreshold', { queue, threshold, wait });
      break;
    }
    case 'hotline.sl_breach': {
      const level = num(d.serviceLevel);
      const target = num(d.target);
      const window = num(d.windowMinutes);
      if (level !== null && target !== null && window !== null) {
        return t('manager.alerts.text.slBreach', { window, level: Math.round(level * 100), target: Math.round(target * 100) });
      }
      break;
    }
    case 'hotline.no_agent': {
      const count = num(d.waiting);
      if (count !== null) return t('manager.alerts.text.noAgent', { count });
      break;
    }
    case 'sms_failed': {
      const template = oneOf(NOTICE_TEMPLATES, d.template);
      const to = str(d.to);
      const attempts = num(d.attempts);
      if (template && to && attempts !== null) {
        const order = str(d.orderNo);
        return t(order ? 'manager.alerts.text.smsFailedOrder' : 'manager.alerts.text.smsFailed', {
          template: t(`repairs.notices.template.${template}`),
          to,
          count: attempts,
          order,
          error: str(d.error) ?? '',
        });
      }
      break;
    }
    case 'repair.repeat': {
      const order = str(d.orderNo);
      const earlier = str(d.repeatOfOrderNo);
      const device = str(d.device);
      const days = num(d.days);
      if (order && earlier && device && days !== null) return t('manager.alerts.text.repairRepeat', { order, earlier, device, days });
      break;
    }
    case 'callback.unsatisfied': {
      const reason = oneOf(CALLBACK_REASONS, d.reason);
      if (reason) {
        const who = str(d.name) ?? str(d.phoneMasked) ?? t('manager.alerts.text.aCustomer');
        const note = str(d.note);
        const reasonText = t(`hotline.callbacks.reason.${reason}`);
        return note
          ? t('manager.alerts.text.callbackUnsatisfiedNote', { who, reason: reasonText, note })
          : t('manager.alerts.text.callbackUnsatisfied', { who, reason: reasonText });
      }
      break;
    }
  }
  return a.message;
}
