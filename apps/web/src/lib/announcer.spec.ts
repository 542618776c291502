import { callAnnouncement, speechTimeoutMs } from './announcer';
import { counterLabel, counterNumber } from './counter-name';

describe('what the lobby hears', () => {
  it('says the counter number in Chinese, then English when the branch wants it', () => {
    expect(callAnnouncement('A012', 'Counter 3', ['zh', 'en']).parts).toEqual([
      { lang: 'zh-CN', text: '请 A012 号到 3 号窗口' },
      { lang: 'en-US', text: 'Ticket A012, please go to counter 3' },
    ]);
  });

  it('speaks Chinese only when English is not configured', () => {
    expect(callAnnouncement('B003', '3号窗口', ['zh']).parts).toEqual([{ lang: 'zh-CN', text: '请 B003 号到 3 号窗口' }]);
  });

  it('uses the counter name as is when it has no number', () => {
    expect(callAnnouncement('C001', 'VIP', ['zh', 'en']).parts.map((p) => p.text)).toEqual(['请 C001 号到 VIP', 'Ticket C001, please go to VIP']);
  });

  it('gives long utterances more time before the fallback', () => {
    expect(speechTimeoutMs({ lang: 'zh-CN', text: '请 A012 号到 3 号窗口' })).toBeGreaterThan(5000);
    expect(speechTimeoutMs({ lang: 'en-US', text: 'x'.repeat(1000) })).toBe(20000);
  });
});

describe('counter names', () => {
  it('reads the number from any naming style', () => {
    expect(counterNumber('Counter 3')).toBe('3');
    expect(counterNumber('3号窗口')).toBe('3');
    expect(counterNumber('Window 03')).toBe('3');
    expect(counterNumber('VIP')).toBeNull();
  });

  it('labels counters in each language', () => {
    expect(counterLabel('Counter 3', 'zh')).toBe('3号窗口');
    expect(counterLabel('3号窗口', 'en')).toBe('Counter 3');
    expect(counterLabel('VIP', 'en')).toBe('VIP');
  });
});
