import { foldCalls, type CallEvent } from './calls';
import { needsAbandonCallback, nextWorkingDayAt } from './callbacks';

const t0 = new Date('2026-11-25T02:00:00Z'); // Wednesday 10:00 Shanghai
const at = (s: number) => new Date(t0.getTime() + s * 1000);
const settings = { shortAbandonSeconds: 5 };
const ev = (callId: string, type: CallEvent['type'], s: number): CallEvent => ({ id: `${callId}-${type}`, type, callId, queue: 'sales', at: at(s), callerNumber: '13800138000' });
const calls = (...events: CallEvent[]) => foldCalls(events);

describe('abandoned call → callback', () => {
  it('a caller who gave up after 20 s gets a callback', () => {
    const c = calls(ev('c1', 'call_queued', 0), ev('c1', 'call_abandoned', 20));
    expect(needsAbandonCallback(c.get('c1')!, [], 'Asia/Shanghai', settings)).toBe(true);
  });

  it('not for a short abandon or a call without a number', () => {
    const short = calls(ev('c1', 'call_queued', 0), ev('c1', 'call_abandoned', 4)).get('c1')!;
    expect(needsAbandonCallback(short, [], 'Asia/Shanghai', settings)).toBe(false);
    const anonymous = { ...calls(ev('c1', 'call_queued', 0), ev('c1', 'call_abandoned', 20)).get('c1')!, callerNumber: null };
    expect(needsAbandonCallback(anonymous, [], 'Asia/Shanghai', settings)).toBe(false);
  });

  it('not when the same number got through later that day', () => {
    const all = calls(ev('c1', 'call_queued', 0), ev('c1', 'call_abandoned', 20), ev('c2', 'call_queued', 300), ev('c2', 'call_answered', 310));
    expect(needsAbandonCallback(all.get('c1')!, [...all.values()], 'Asia/Shanghai', settings)).toBe(false);
  });

  it('still when the number was answered only before the abandon', () => {
    const all = calls(ev('c0', 'call_queued', -600), ev('c0', 'call_answered', -590), ev('c1', 'call_queued', 0), ev('c1', 'call_abandoned', 20));
    expect(needsAbandonCallback(all.get('c1')!, [...all.values()], 'Asia/Shanghai', settings)).toBe(true);
  });
});

describe('next working day', () => {
  it('Friday afternoon → Monday 10:00 local', () => {
    const friday = new Date('2026-11-27T08:00:00Z'); // Fri 16:00 Shanghai
    expect(nextWorkingDayAt(friday, 'Asia/Shanghai').toISOString()).toBe('2026-11-30T02:00:00.000Z');
  });
});
