import { kpiStatus } from './kpi-status';

describe('kpi status', () => {
  it('a wait under 90 % of its target is ok, near it amber, over it red', () => {
    expect(kpiStatus(500, 600, 'lower_better')).toBe('ok');
    expect(kpiStatus(560, 600, 'lower_better')).toBe('warn');
    expect(kpiStatus(600, 600, 'lower_better')).toBe('warn');
    expect(kpiStatus(601, 600, 'lower_better')).toBe('breach');
  });
  it('a service level at target is ok, a little under amber, far under red', () => {
    expect(kpiStatus(0.8, 0.8, 'higher_better')).toBe('ok');
    expect(kpiStatus(0.75, 0.8, 'higher_better')).toBe('warn');
    expect(kpiStatus(0.5, 0.8, 'higher_better')).toBe('breach');
  });
  it('a zero target has no amber: one overdue repair is a breach', () => {
    expect(kpiStatus(0, 0, 'lower_better')).toBe('ok');
    expect(kpiStatus(1, 0, 'lower_better')).toBe('breach');
  });
  it('no value or no target is never coloured', () => {
    expect(kpiStatus(null, 0.8, 'higher_better')).toBe('ok');
    expect(kpiStatus(99, undefined, 'lower_better')).toBe('ok');
  });
});
