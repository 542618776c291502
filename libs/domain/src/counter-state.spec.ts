import { counterTransition } from './counter-state';

describe('counter states', () => {
  it('pauses an open counter and resumes it', () => {
    expect(counterTransition('open', 'pause')).toEqual({ ok: true, to: 'paused', changed: true });
    expect(counterTransition('paused', 'open')).toEqual({ ok: true, to: 'open', changed: true });
  });
  it('treats opening an open counter as a no-op rather than an error', () => {
    expect(counterTransition('open', 'open')).toEqual({ ok: true, to: 'open', changed: false });
  });
  it('refuses to pause a closed counter and says what is allowed', () => {
    expect(counterTransition('closed', 'pause')).toEqual({
      ok: false,
      currentState: 'closed',
      allowed: ['open'],
      message: 'cannot pause a counter that is closed; allowed: open',
    });
  });
});
