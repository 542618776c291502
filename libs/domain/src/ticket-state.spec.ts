import { allowedTicketActions, holdsCounter, ticketTransition } from './ticket-state';

describe('ticket state machine', () => {
  it('moves a ticket through its normal life: waiting → called → serving → done', () => {
    expect(ticketTransition('waiting', 'call')).toEqual({ ok: true, to: 'called' });
    expect(ticketTransition('called', 'serve')).toEqual({ ok: true, to: 'serving' });
    expect(ticketTransition('serving', 'finish')).toEqual({ ok: true, to: 'done' });
  });

  it('keeps a recalled ticket called', () => {
    expect(ticketTransition('called', 'recall')).toEqual({ ok: true, to: 'called' });
  });

  it('sends a transferred ticket back to waiting from waiting or called', () => {
    expect(ticketTransition('waiting', 'transfer')).toEqual({ ok: true, to: 'waiting' });
    expect(ticketTransition('called', 'transfer')).toEqual({ ok: true, to: 'waiting' });
  });

  it('refuses to finish a ticket that was never served and names what is allowed', () => {
    const r = ticketTransition('called', 'finish');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.currentState).toBe('called');
      expect(r.allowed).toEqual(['recall', 'serve', 'no_show', 'cancel', 'transfer']);
      expect(r.message).toContain('cannot finish a ticket that is called');
    }
  });

  it('allows nothing from the final states', () => {
    for (const s of ['done', 'no_show', 'cancelled'] as const) {
      expect(allowedTicketActions(s)).toEqual([]);
      const r = ticketTransition(s, 'call');
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message).toContain('final state');
    }
  });

  it('does not let a serving ticket be marked no-show or cancelled', () => {
    expect(ticketTransition('serving', 'no_show').ok).toBe(false);
    expect(ticketTransition('serving', 'cancel').ok).toBe(false);
  });
});

describe('a ticket holding its counter', () => {
  it('is called or being served; waiting and closed tickets leave the counter free to call the next', () => {
    expect((['waiting', 'called', 'serving', 'done', 'no_show', 'cancelled'] as const).filter(holdsCounter)).toEqual(['called', 'serving']);
  });
});
