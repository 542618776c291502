import { foldCalls, type CallEvent } from './calls';
import { countAgents, hotlineMetrics } from './metrics';

// 10:00 in Shanghai on 2026-11-25.
const t0 = new Date('2026-11-25T02:00:00Z');
const at = (s: number) => new Date(t0.getTime() + s * 1000);
const settings = { serviceLevelSeconds: 15, shortAbandonSeconds: 5 };

function call(callId: string, queue: string, queued: number, end: { answered?: number; abandoned?: number; ended?: number }): CallEvent[] {
  const out: CallEvent[] = [{ id: `${callId}-q`, type: 'call_queued', callId, queue, at: at(queued) }];
  if (end.answered !== undefined) out.push({ id: `${callId}-a`, type: 'call_answered', callId, queue, at: at(end.answered), agentId: 'a1' });
  if (end.abandoned !== undefined) out.push({ id: `${callId}-x`, type: 'call_abandoned', callId, queue, at: at(end.abandoned) });
  if (end.ended !== undefined) out.push({ id: `${callId}-e`, type: 'call_ended', callId, queue, at: at(end.ended) });
  return out;
}

describe('hotline metrics (DOMAIN.md definitions)', () => {
  // sales: answered after 10 s, 15 s (within), 20 s (late); abandoned after 30 s; short abandon after 3 s;
  //        one waiting since 100 s; one ended unanswered after 8 s (abandon).
  // support: one answered after 40 s; one waiting since 160 s.
  const events = [
    ...call('s1', 'sales', 0, { answered: 10, ended: 100 }),
    ...call('s2', 'sales', 5, { answered: 20 }),
    ...call('s3', 'sales', 10, { answered: 30 }),
    ...call('s4', 'sales', 20, { abandoned: 50 }),
    ...call('s5', 'sales', 30, { abandoned: 33 }),
    ...call('s6', 'sales', 100, {}),
    ...call('s7', 'sales', 40, { ended: 48 }),
    ...call('p1', 'support', 0, { answered: 40 }),
    ...call('p2', 'support', 40, {}),
  ];
  const calls = [...foldCalls(events).values()];
  const now = at(200);

  it('for one queue: SL = 2 within / (3 answered + 2 abandoned), ASA = (10+15+20)/3, abandon rate 2/5', () => {
    const m = hotlineMetrics({ calls, agents: [], now, timeZone: 'Asia/Shanghai', settings, queue: 'sales' });
    expect(m).toMatchObject({ queue: 'sales', localDay: '2026-11-25', waiting: 1, oldestWaitSeconds: 100, answered: 3, abandoned: 2, shortAbandoned: 1 });
    expect(m.serviceLevel).toBeCloseTo(2 / 5);
    expect(m.asa).toBeCloseTo(15);
    expect(m.abandonRate).toBeCloseTo(2 / 5);
  });

  it('for the branch: every queue together', () => {
    const m = hotlineMetrics({ calls, agents: [], now, timeZone: 'Asia/Shanghai', settings });
    expect(m).toMatchObject({ queue: null, waiting: 2, oldestWaitSeconds: 160, answered: 4, abandoned: 2, shortAbandoned: 1 });
    expect(m.serviceLevel).toBeCloseTo(2 / 6);
    expect(m.asa).toBeCloseTo((10 + 15 + 20 + 40) / 4);
    expect(m.abandonRate).toBeCloseTo(2 / 6);
  });

  it('is null, not zero, before any call counts', () => {
    const m = hotlineMetrics({ calls: [], agents: [], now, timeZone: 'Asia/Shanghai', settings });
    expect(m).toMatchObject({ serviceLevel: null, asa: null, abandonRate: null, waiting: 0, oldestWaitSeconds: 0 });
  });

  it('counts only calls of the branch-local day (a call queued at 23:59 yesterday in Shanghai is not today)', () => {
    const lateYesterday = new Date('2026-11-24T15:59:00Z'); // 23:59 Shanghai
    const y = foldCalls([{ id: 'y', type: 'call_queued', callId: 'y', queue: 'sales', at: lateYesterday }, { id: 'ya', type: 'call_answered', callId: 'y', queue: 'sales', at: at(-7000) }]);
    const m = hotlineMetrics({ calls: [...y.values()], agents: [], now, timeZone: 'Asia/Shanghai', settings });
    expect(m.answered).toBe(0);
  });

  it('gives the same numbers when the events arrive reversed and twice', () => {
    const again = [...foldCalls([...events].reverse().concat(events)).values()];
    expect(hotlineMetrics({ calls: again, agents: [], now, timeZone: 'Asia/Shanghai', settings })).toEqual(
      hotlineMetrics({ calls, agents: [], now, timeZone: 'Asia/Shanghai', settings }),
    );
  });
});

describe('agent counts', () => {
  const agents = [
    { agentId: 'a1', queue: 'sales', state: 'available' as const, at: at(0) },
    { agentId: 'a1', queue: 'support', state: 'on_call' as const, at: at(10) },
    { agentId: 'a2', queue: null, state: 'paused' as const, at: at(5) },
    { agentId: 'a3', queue: 'sales', state: 'wrap_up' as const, at: at(5) },
    { agentId: 'a4', queue: 'sales', state: 'offline' as const, at: at(5) },
  ];

  it('for the branch each agent counts once, by their latest state; offline agents count nowhere', () => {
    expect(countAgents(agents, null)).toEqual({ available: 0, onCall: 1, wrapUp: 1, paused: 1 });
  });

  it('for a queue: states of that queue and states given for all queues', () => {
    expect(countAgents(agents, 'sales')).toEqual({ available: 1, onCall: 0, wrapUp: 1, paused: 1 });
  });
});
