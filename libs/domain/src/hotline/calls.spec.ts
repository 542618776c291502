import { applyCallEvent, callStatus, foldCalls, type CallEvent } from './calls';

const t0 = new Date('2026-11-25T02:00:00Z');
const at = (s: number) => new Date(t0.getTime() + s * 1000);
const ev = (id: string, type: CallEvent['type'], s: number, extra: Partial<CallEvent> = {}): CallEvent => ({ id, type, callId: 'c1', queue: 'sales', at: at(s), ...extra });
const settings = { shortAbandonSeconds: 5 };

describe('folding call events', () => {
  it('gives the same call whatever the order of its events', () => {
    const events = [ev('1', 'call_queued', 0, { callerNumber: '13800138000' }), ev('2', 'call_answered', 12, { agentId: 'a1' }), ev('3', 'call_ended', 100)];
    const inOrder = foldCalls(events).get('c1');
    const reversed = foldCalls([...events].reverse()).get('c1');
    expect(reversed).toEqual(inOrder);
    expect(callStatus(inOrder!, settings)).toEqual({ status: 'answered', waitSeconds: 12 });
    expect(inOrder!.agentId).toBe('a1');
    expect(inOrder!.callerNumber).toBe('13800138000');
  });

  it('ignores an event id seen before', () => {
    const calls = foldCalls([ev('1', 'call_queued', 0), ev('2', 'call_answered', 20), ev('2', 'call_answered', 3)]);
    expect(callStatus(calls.get('c1')!, settings).waitSeconds).toBe(20);
  });

  it('keeps the earliest instant when the system re-sends a kind with another id', () => {
    const c = [ev('1', 'call_queued', 4), ev('2', 'call_queued', 0), ev('3', 'call_answered', 10)].reduce(
      (acc, e) => applyCallEvent(acc, e),
      undefined as ReturnType<typeof applyCallEvent> | undefined,
    );
    expect(callStatus(c!, settings).waitSeconds).toBe(10);
  });

  it('an answered before its queued waits zero until the queued arrives, then the real wait', () => {
    const answeredOnly = applyCallEvent(undefined, ev('2', 'call_answered', 30));
    expect(callStatus(answeredOnly, settings)).toEqual({ status: 'answered', waitSeconds: 0 });
    const completed = applyCallEvent(answeredOnly, ev('1', 'call_queued', 0));
    expect(callStatus(completed, settings)).toEqual({ status: 'answered', waitSeconds: 30 });
  });

  it('an ended with no answered is an abandon after its wait', () => {
    const c = foldCalls([ev('1', 'call_queued', 0), ev('3', 'call_ended', 40)]).get('c1')!;
    expect(callStatus(c, settings)).toEqual({ status: 'abandoned', waitSeconds: 40 });
  });

  it('an abandon within the short-abandon threshold is a short abandon; exactly the threshold is still short', () => {
    expect(callStatus(foldCalls([ev('1', 'call_queued', 0), ev('2', 'call_abandoned', 5)]).get('c1')!, settings).status).toBe('short_abandoned');
    expect(callStatus(foldCalls([ev('1', 'call_queued', 0), ev('2', 'call_abandoned', 6)]).get('c1')!, settings).status).toBe('abandoned');
  });

  it('a late answered turns an abandon back into an answered call', () => {
    const c = foldCalls([ev('1', 'call_queued', 0), ev('3', 'call_ended', 90), ev('2', 'call_answered', 8)]).get('c1')!;
    expect(callStatus(c, settings)).toEqual({ status: 'answered', waitSeconds: 8 });
  });

  it('takes the queue from the queued event even when another event arrived first', () => {
    const c = foldCalls([ev('2', 'call_answered', 9, { queue: 'overflow' }), ev('1', 'call_queued', 0, { queue: 'sales' })]).get('c1')!;
    expect(c.queue).toBe('sales');
  });
});
