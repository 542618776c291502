import { orderWaiting, pickNext, positionInService, type WaitingTicket } from './queue-order';

const rules = { agingLimitSeconds: 1200 };
const now = new Date('2026-11-25T02:00:00Z');
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);
const t = (id: string, serviceId: string, priority: 'normal' | 'priority', waitedMin: number): WaitingTicket => ({
  id,
  serviceId,
  priority,
  createdAt: minutesAgo(waitedMin),
});

describe('queue order', () => {
  it('serves a priority ticket before older normal tickets', () => {
    const waiting = [t('n1', 'A', 'normal', 10), t('p1', 'A', 'priority', 2)];
    expect(pickNext(waiting, ['A'], now, rules)?.id).toBe('p1');
  });

  it('ages a normal ticket that waited past the limit so it is not starved by later priority tickets', () => {
    const waiting = [t('p1', 'A', 'priority', 1), t('old', 'A', 'normal', 25)];
    expect(orderWaiting(waiting, now, rules).map((x) => x.id)).toEqual(['old', 'p1']);
  });

  it('orders tickets of equal rank by creation time', () => {
    const waiting = [t('b', 'A', 'normal', 3), t('a', 'A', 'normal', 5), t('c', 'A', 'normal', 1)];
    expect(orderWaiting(waiting, now, rules).map((x) => x.id)).toEqual(['a', 'b', 'c']);
  });

  it('only picks tickets of the services the counter serves', () => {
    const waiting = [t('a1', 'A', 'normal', 9), t('b1', 'B', 'normal', 3)];
    expect(pickNext(waiting, ['B', 'C'], now, rules)?.id).toBe('b1');
    expect(pickNext(waiting, ['D'], now, rules)).toBeNull();
  });

  it('gives the position within the ticket own service, 1-based', () => {
    const waiting = [t('a1', 'A', 'normal', 9), t('b1', 'B', 'normal', 8), t('a2', 'A', 'normal', 3)];
    expect(positionInService(waiting, 'a2', now, rules)).toBe(2);
    expect(positionInService(waiting, 'b1', now, rules)).toBe(1);
    expect(positionInService(waiting, 'gone', now, rules)).toBeNull();
  });
});
