import { DEFAULT_HOTLINE_SETTINGS } from '@frontdesk/contracts';
import { foldCalls, type CallEvent } from './calls';
import { wantedHotlineAlerts } from './alerts';

const t0 = new Date('2026-11-25T02:00:00Z');
const at = (s: number) => new Date(t0.getTime() + s * 1000);
const q = (callId: string, s: number): CallEvent => ({ id: `${callId}-q`, type: 'call_queued', callId, queue: 'sales', at: at(s) });
const a = (callId: string, s: number): CallEvent => ({ id: `${callId}-a`, type: 'call_answered', callId, queue: 'sales', at: at(s) });
const available = [{ agentId: 'a1', queue: null, state: 'available' as const, at: at(0) }];
const keys = (calls: CallEvent[], now: number, agents = available) =>
  wantedHotlineAlerts({ calls: [...foldCalls(calls).values()], agents, now: at(now), settings: DEFAULT_HOTLINE_SETTINGS }).map((w) => w.dedupeKey).sort();

describe('hotline alerts', () => {
  it('nothing while every caller waited less than 15 s and an agent is free', () => {
    expect(keys([q('c1', 0)], 15)).toEqual([]);
  });

  it('a caller past the 15 s threshold alerts the queue', () => {
    expect(keys([q('c1', 0)], 16)).toEqual(['hotline:wait:sales']);
  });

  it('a caller past 30 s is also a critical alert of its own', () => {
    expect(keys([q('c1', 0)], 31)).toEqual(['hotline:hold:c1', 'hotline:wait:sales']);
  });

  it('calls waiting and no agent available', () => {
    expect(keys([q('c1', 0)], 1, [])).toEqual(['hotline:no-agent']);
  });

  it('service level of the last 30 minutes under 80 %: 1 of 2 answered within 15 s', () => {
    expect(keys([q('c1', 0), a('c1', 5), q('c2', 10), a('c2', 40)], 60)).toEqual(['hotline:sl']);
  });

  it('calls older than the window do not count for the recent service level', () => {
    expect(keys([q('c1', 0), a('c1', 60)], 31 * 60 + 1)).toEqual([]);
  });
});
