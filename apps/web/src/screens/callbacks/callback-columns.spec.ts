import { columnOf } from './callback-columns';

const due = '2026-12-01T02:00:00.000Z';
const onTimeBy = '2026-12-01T02:15:00.000Z';
const at = (iso: string) => new Date(iso);

describe('callback console columns', () => {
  it('scheduled until the due time, due from it', () => {
    expect(columnOf({ status: 'scheduled', dueAt: due, onTimeBy }, at('2026-12-01T01:59:59.999Z'))).toBe('scheduled');
    expect(columnOf({ status: 'scheduled', dueAt: due, onTimeBy }, at(due))).toBe('due');
  });

  it('overdue only past due + 15 min, even if the server still said due', () => {
    expect(columnOf({ status: 'due', dueAt: due, onTimeBy }, at(onTimeBy))).toBe('due');
    expect(columnOf({ status: 'due', dueAt: due, onTimeBy }, at('2026-12-01T02:15:00.001Z'))).toBe('overdue');
  });

  it('done stays done whatever the clock', () => {
    expect(columnOf({ status: 'done', dueAt: due, onTimeBy }, at('2026-12-02T00:00:00Z'))).toBe('done');
  });
});
