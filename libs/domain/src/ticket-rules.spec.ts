import { canNoShow, canRecall, ticketStages } from './ticket-rules';

const rules = { maxRecalls: 2, recallCooldownSeconds: 30 };
const calledAt = new Date('2026-11-25T02:00:00Z');
const after = (s: number) => new Date(calledAt.getTime() + s * 1000);

describe('recall and no-show rules', () => {
  it('refuses a recall inside the cooldown and says how long to wait', () => {
    const r = canRecall({ recallCount: 0, lastCalledAt: calledAt }, after(10), rules);
    expect(r).toEqual({ ok: false, message: 'wait 20s before calling this ticket again', retryAfterSeconds: 20 });
  });

  it('allows a recall after the cooldown until the limit is used', () => {
    expect(canRecall({ recallCount: 1, lastCalledAt: calledAt }, after(30), rules)).toEqual({ ok: true });
    const r = canRecall({ recallCount: 2, lastCalledAt: calledAt }, after(60), rules);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain('mark it no-show');
  });

  it('allows no-show only after the recalls are used and the last call had its cooldown', () => {
    expect(canNoShow({ recallCount: 1, lastCalledAt: calledAt }, after(300), rules)).toEqual({
      ok: false,
      message: 'recall the ticket 1 more time before marking it no-show',
    });
    expect(canNoShow({ recallCount: 2, lastCalledAt: calledAt }, after(5), rules).ok).toBe(false);
    expect(canNoShow({ recallCount: 2, lastCalledAt: calledAt }, after(30), rules)).toEqual({ ok: true });
  });

  it('allows an immediate no-show when the branch allows no recalls and no cooldown', () => {
    expect(canNoShow({ recallCount: 0, lastCalledAt: calledAt }, calledAt, { maxRecalls: 0, recallCooldownSeconds: 0 })).toEqual({ ok: true });
  });
});

describe('per-stage times', () => {
  it('measures wait to the first call, walk from the last call, service and total stay', () => {
    const created = new Date('2026-11-25T02:00:00Z');
    const s = ticketStages({
      createdAt: created,
      firstCalledAt: new Date('2026-11-25T02:10:00Z'),
      calledAt: new Date('2026-11-25T02:11:00Z'),
      servingAt: new Date('2026-11-25T02:11:45Z'),
      finishedAt: new Date('2026-11-25T02:20:00Z'),
    });
    expect(s).toEqual({ waitSeconds: 600, walkSeconds: 45, serviceSeconds: 495, totalSeconds: 1200 });
  });

  it('leaves unknown stages empty for a ticket still waiting', () => {
    const s = ticketStages({ createdAt: new Date(), firstCalledAt: null, calledAt: null, servingAt: null, finishedAt: null });
    expect(s).toEqual({ waitSeconds: null, walkSeconds: null, serviceSeconds: null, totalSeconds: null });
  });
});
