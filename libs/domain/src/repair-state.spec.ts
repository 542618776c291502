import { allowedRepairTransitions, needsApproval, repairTransition } from './repair-state';

const inWarranty = { warranty: 'in_warranty', quoteDecision: null } as const;
const paidNoQuote = { warranty: 'out_of_warranty', quoteDecision: null } as const;

describe('repair state machine', () => {
  it('takes an in-warranty repair from received to picked up along the main path', () => {
    const path = ['diagnosing', 'repairing', 'qa', 'ready_for_pickup', 'picked_up'] as const;
    let at: Parameters<typeof repairTransition>[0] = 'received';
    for (const to of path) {
      const r = repairTransition(at, to, inWarranty);
      expect(r).toEqual({ ok: true, to });
      at = to;
    }
  });

  it('refuses to skip diagnosis and names the allowed states', () => {
    const r = repairTransition('received', 'repairing', inWarranty);
    expect(r).toMatchObject({ ok: false, currentState: 'received', allowed: ['diagnosing', 'cancelled'] });
  });

  it('keeps out-of-warranty work from repairing before the quote is approved', () => {
    const r = repairTransition('diagnosing', 'repairing', paidNoQuote);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain('approved quote');
    expect(allowedRepairTransitions('diagnosing', paidNoQuote)).toEqual(['awaiting_approval', 'returned_unrepaired', 'cancelled']);
  });

  it('keeps water-damaged (void) work waiting while the quote is pending', () => {
    const r = repairTransition('awaiting_approval', 'repairing', { warranty: 'void', quoteDecision: 'pending' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain('not approved yet');
  });

  it('lets approved out-of-warranty work go to repairing or wait for parts', () => {
    expect(allowedRepairTransitions('awaiting_approval', { warranty: 'out_of_warranty', quoteDecision: 'approved' })).toEqual([
      'awaiting_parts',
      'repairing',
      'returned_unrepaired',
      'cancelled',
    ]);
  });

  it('offers only returning the device when the customer refused the quote', () => {
    expect(allowedRepairTransitions('awaiting_approval', { warranty: 'out_of_warranty', quoteDecision: 'refused' })).toEqual(['returned_unrepaired', 'cancelled']);
  });

  it('needs approval for in-warranty work once a quote is on the table', () => {
    expect(needsApproval({ warranty: 'in_warranty', quoteDecision: 'pending' })).toBe(true);
    expect(needsApproval(inWarranty)).toBe(false);
  });

  it('sends a repair that fails QA back to repairing', () => {
    expect(repairTransition('qa', 'repairing', inWarranty)).toEqual({ ok: true, to: 'repairing' });
    expect(allowedRepairTransitions('qa', inWarranty)).toEqual(['ready_for_pickup', 'repairing']);
  });

  it('ends at picked up, returned unrepaired and cancelled', () => {
    for (const s of ['picked_up', 'returned_unrepaired', 'cancelled'] as const) {
      const r = repairTransition(s, 'diagnosing', inWarranty);
      expect(r).toMatchObject({ ok: false, allowed: [] });
      if (!r.ok) expect(r.message).toContain('none (final state)');
    }
  });
});
