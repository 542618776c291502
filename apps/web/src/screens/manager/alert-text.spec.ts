import i18next from 'i18next';
import en from '../../i18n/en.json';
import zh from '../../i18n/zh.json';
import { alertText } from './alert-text';

async function translator(lng: 'zh' | 'en') {
  const i = i18next.createInstance();
  await i.init({ lng, showSupportNotice: false, resources: { zh: { translation: zh }, en: { translation: en } }, interpolation: { escapeValue: false } });
  return i.t.bind(i);
}

const alert = (kind: string, data: Record<string, unknown>, message = 'stored English message') => ({ kind, data, message });

describe('alert text in the reader language', () => {
  it('writes each known kind from its data, in Chinese and in English', async () => {
    const zhT = await translator('zh');
    const enT = await translator('en');
    const sl = alert('hotline.sl_breach', { serviceLevel: 0.5, target: 0.8, windowMinutes: 30 });
    expect(alertText(sl, zhT)).toBe('近 30 分钟服务水平 50%，低于 80% 目标');
    expect(alertText(sl, enT)).toBe('Service level of the last 30 min is 50 %, under the 80 % target');
    expect(alertText(alert('hotline.no_agent', { waiting: 1 }), enT)).toBe('1 call waiting and no agent available');
    expect(alertText(alert('hotline.no_agent', { waiting: 3 }), zhT)).toBe('3 个来电在等候，没有空闲坐席');
    expect(alertText(alert('hotline.long_hold', { queue: 'repair', limitSeconds: 120 }), zhT)).toBe('repair 队列有来电等候已超过 120 秒');
    expect(alertText(alert('hotline.wait_over_threshold', { queue: 'sales', thresholdSeconds: 20, oldestWaitSeconds: 41 }), enT)).toBe(
      'Queue sales: a call has waited 41 s, past the 20 s service-level line',
    );
    const sms = alert('sms_failed', { template: 'pickup_ready', to: '138****8000', attempts: 6, error: 'HTTP 503', orderNo: 'R20261201-0007' });
    expect(alertText(sms, zhT)).toBe('工单 R20261201-0007：发给 138****8000 的「取机通知」短信尝试 6 次后仍失败：HTTP 503');
    expect(alertText(sms, enT)).toBe(`Order R20261201-0007: the ${en.repairs.notices.template.pickup_ready} SMS to 138****8000 failed after 6 tries: HTTP 503`);
    expect(alertText(alert('repair.repeat', { orderNo: 'R2', repeatOfOrderNo: 'R1', device: 'Apple iPhone 15', days: 30 }), zhT)).toBe(
      'R2：Apple iPhone 15 在 30 天内返修（上次工单 R1）',
    );
    expect(alertText(alert('callback.unsatisfied', { reason: 'follow_up', name: '陈大文', note: '屏幕又花了' }), zhT)).toBe('陈大文 不满意（回访）：屏幕又花了');
    expect(alertText(alert('callback.unsatisfied', { reason: 'complaint', name: null, phoneMasked: '139****0210', note: null }), enT)).toBe(
      `139****0210 is not satisfied (${en.hotline.callbacks.reason.complaint})`,
    );
  });

  it('keeps the stored message for an unknown kind or data an older version did not write', async () => {
    const zhT = await translator('zh');
    expect(alertText(alert('lobby.something_new', { x: 1 }), zhT)).toBe('stored English message');
    // Raised before windowMinutes was part of the data.
    expect(alertText(alert('hotline.sl_breach', { serviceLevel: 0.5, target: 0.8 }), zhT)).toBe('stored English message');
    expect(alertText(alert('sms_failed', { notificationId: 'n1', orderNo: 'R1' }), zhT)).toBe('stored English message');
    expect(alertText(alert('callback.unsatisfied', { reason: 'not-a-reason' }), zhT)).toBe('stored English message');
  });
});
