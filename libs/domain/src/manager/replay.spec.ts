import { foldTicketEvents, lobbyKpisAt, percentileCont } from './replay';

const ev = (seq: number, type: string, id: string, status: string, calledAt: string | null, counterId: string | null = null) => ({
  seq,
  type,
  ticket: { id, number: id.toUpperCase(), serviceId: 's', status: status as never, counterId, createdAt: '2026-11-30T01:00:00Z', calledAt },
});

describe('day replay', () => {
  it('percentile_cont interpolates like Postgres', () => {
    expect(percentileCont([10, 20, 30, 40], 0.9)).toBeCloseTo(37, 9);
    expect(percentileCont([5], 0.9)).toBe(5);
    expect(percentileCont([], 0.9)).toBeNull();
  });

  it('a ticket keeps its first call through a recall, and the latest state wins', () => {
    const tickets = foldTicketEvents([
      ev(1, 'ticket.created', 'a1', 'waiting', null),
      ev(2, 'ticket.called', 'a1', 'called', '2026-11-30T01:05:00Z', 'c1'),
      ev(3, 'ticket.recalled', 'a1', 'called', '2026-11-30T01:07:00Z', 'c1'),
      ev(4, 'ticket.created', 'a2', 'waiting', null),
    ]);
    expect(tickets.find((t) => t.id === 'a1')).toMatchObject({ status: 'called', counterId: 'c1', firstCalledAt: new Date('2026-11-30T01:05:00Z') });
    const k = lobbyKpisAt(tickets, new Date('2026-11-30T01:10:00Z'));
    expect(k['lobby.waiting']).toBe(1);
    expect(k['lobby.wait.avg']).toBe(300);
    expect(k['lobby.wait.longest']).toBe(600);
  });

  it('before the first ticket everything is zero or not yet measured', () => {
    expect(lobbyKpisAt([], new Date())).toEqual({
      'lobby.waiting': 0,
      'lobby.wait.avg': null,
      'lobby.wait.p90': null,
      'lobby.wait.longest': 0,
      'lobby.noshow.rate': null,
    });
  });
});
