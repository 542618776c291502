import { DEFAULT_QUEUE_SETTINGS, type TicketEventData } from '@frontdesk/contracts';
import { foldTicketEvents, lobbyKpisAt } from '@frontdesk/domain';
import { seededRandom, simulateHotlineDay, simulateLobbyDay, type CounterShift } from './demo-history-model';

const H = 60;
const services = [
  { id: 'svc-a', code: 'A', defaultServiceSeconds: 600 },
  { id: 'svc-b', code: 'B', defaultServiceSeconds: 180 },
  { id: 'svc-c', code: 'C', defaultServiceSeconds: 300 },
  { id: 'svc-d', code: 'D', defaultServiceSeconds: 150 },
];
const counters = [
  { id: 'c1', name: 'Counter 1', serviceIds: ['svc-a', 'svc-b'] },
  { id: 'c2', name: 'Counter 2', serviceIds: ['svc-a', 'svc-c'] },
  { id: 'c3', name: 'Counter 3', serviceIds: ['svc-b', 'svc-d'] },
  { id: 'c4', name: 'Counter 4', serviceIds: ['svc-a', 'svc-b', 'svc-c', 'svc-d'] },
];
const shifts: CounterShift[] = [
  { open: 9 * H, close: 18 * H, lunch: [12 * H, 12 * H + 45] },
  { open: 9 * H, close: 18 * H, lunch: [12 * H + 45, 13 * H + 30] },
  { open: 9 * H, close: 18 * H, lunch: [12 * H + 30, 13 * H + 15] },
  { open: 10 * H + 30, close: 16 * H + 30, lunch: null },
];
// 2026-11-30, a Monday, at midnight in Shanghai.
const midnight = new Date('2026-11-29T16:00:00Z');
const at = (localMinutes: number) => new Date(midnight.getTime() + localMinutes * 60_000);

function lobbyDay(seed = 'demo:2026-11-30', meanTickets = 120) {
  return simulateLobbyDay({
    branchId: 'branch-1',
    day: '2026-11-30',
    midnight,
    services,
    counters,
    settings: DEFAULT_QUEUE_SETTINGS,
    meanTickets,
    mix: { A: 0.4, B: 0.25, C: 0.25, D: 0.1 },
    shifts,
    recentDurations: new Map(),
    issuedBy: 'test',
    rand: seededRandom(seed),
  });
}

describe('a made-up lobby day (demo history)', () => {
  const day = lobbyDay();

  it('issues about the day it was asked for, numbered per service from 1, between 09:00 and 17:30', () => {
    expect(day.tickets.length).toBeGreaterThan(90);
    expect(day.tickets.length).toBeLessThan(150);
    for (const s of services) {
      const mine = day.tickets.filter((t) => t.serviceId === s.id);
      expect(mine.map((t) => t.number)).toEqual(mine.map((_, i) => `${s.code}${String(i + 1).padStart(3, '0')}`));
      expect(day.daySeqs.get(s.id) ?? 0).toBe(mine.length);
    }
    for (const t of day.tickets) {
      expect(t.createdAt.getTime()).toBeGreaterThanOrEqual(at(9 * H).getTime());
      expect(t.createdAt.getTime()).toBeLessThan(at(17 * H + 30).getTime());
    }
  });

  it('ends every ticket, each stage after the one before, at a counter that serves its service', () => {
    for (const t of day.tickets) {
      expect(['done', 'no_show', 'cancelled']).toContain(t.status);
      if (t.status === 'cancelled') continue;
      const counter = counters.find((c) => c.id === t.counterId)!;
      expect(counter.serviceIds).toContain(t.serviceId);
      expect(t.firstCalledAt!.getTime()).toBeGreaterThanOrEqual(t.createdAt.getTime());
      expect(t.calledAt!.getTime()).toBeGreaterThanOrEqual(t.firstCalledAt!.getTime());
      if (t.status === 'done') {
        expect(t.servingAt!.getTime()).toBeGreaterThan(t.calledAt!.getTime());
        expect(t.finishedAt!.getTime()).toBeGreaterThan(t.servingAt!.getTime());
        expect(t.waitErrorSeconds).toBe(Math.round((t.firstCalledAt!.getTime() - t.createdAt.getTime()) / 1000 - t.estimatedWaitSeconds!));
      } else expect(t.servingAt).toBeNull();
    }
    expect(day.tickets.filter((t) => t.status === 'done').length / day.tickets.length).toBeGreaterThan(0.8);
  });

  it('never gives a counter two customers at once, nor calls while it is paused or closed', () => {
    for (const c of counters) {
      const spans = day.tickets
        .filter((t) => t.counterId === c.id)
        .map((t) => [t.firstCalledAt!.getTime(), t.closedAt!.getTime()])
        .sort((a, b) => a[0] - b[0]);
      for (let i = 1; i < spans.length; i++) expect(spans[i][0]).toBeGreaterThanOrEqual(spans[i - 1][1]);
      let status = 'closed';
      for (const e of day.events) {
        const data = e.data as { counter?: { id: string; status: string } } & Partial<TicketEventData>;
        if (e.type === 'counter.status_changed' && data.counter!.id === c.id) status = data.counter!.status;
        if (e.type === 'ticket.called' && data.ticket!.counterId === c.id) expect(status).toBe('open');
      }
      expect(status).toBe('closed');
    }
    // The lunch hour: counter 1 is paused from 12:00 to 12:45 (after the customer it is serving).
    const c1 = day.events.filter((e) => e.type === 'counter.status_changed' && (e.data as { counter: { id: string } }).counter.id === 'c1');
    const paused = c1.find((e) => (e.data as { counter: { status: string } }).counter.status === 'paused')!;
    expect(paused.at.getTime()).toBeGreaterThanOrEqual(at(12 * H).getTime());
    expect(paused.at.getTime()).toBeLessThan(at(12 * H + 45).getTime());
  });

  it('writes the events in time order, which fold into the tickets as they end the day (the day replay)', () => {
    for (let i = 1; i < day.events.length; i++) expect(day.events[i].at.getTime()).toBeGreaterThan(day.events[i - 1].at.getTime());
    const ticketEvents = day.events
      .map((e, i) => ({ seq: i + 1, type: e.type, ticket: (e.data as TicketEventData).ticket }))
      .filter((e) => e.type.startsWith('ticket.'));
    expect(ticketEvents.filter((e) => e.type === 'ticket.created')).toHaveLength(day.tickets.length);
    const folded = foldTicketEvents(ticketEvents);
    expect(new Map(folded.map((t) => [t.id, t.status]))).toEqual(new Map(day.tickets.map((t) => [t.id, t.status])));
    const end = new Date(day.events[day.events.length - 1].at.getTime());
    const waits = day.tickets.filter((t) => t.firstCalledAt).map((t) => (t.firstCalledAt!.getTime() - t.createdAt.getTime()) / 1000);
    const kpis = lobbyKpisAt(folded, end);
    expect(kpis['lobby.waiting']).toBe(0);
    expect(kpis['lobby.wait.avg']).toBeCloseTo(waits.reduce((a, b) => a + b, 0) / waits.length, 6);
    // Each event carries the queue picture: the waiting count of the ticket's service after the change.
    const created = day.events.find((e) => e.type === 'ticket.created')!.data as TicketEventData;
    expect(created.queue.find((q) => q.serviceId === created.ticket.serviceId)!.waiting).toBeGreaterThanOrEqual(1);
  });

  it('is the same day for the same seed, and another day for another', () => {
    const again = lobbyDay();
    expect(again.tickets.map((t) => [t.number, t.createdAt.getTime(), t.status, t.counterId])).toEqual(
      day.tickets.map((t) => [t.number, t.createdAt.getTime(), t.status, t.counterId]),
    );
    const other = lobbyDay('demo:2026-12-01');
    expect(other.tickets.map((t) => t.createdAt.getTime())).not.toEqual(day.tickets.map((t) => t.createdAt.getTime()));
  });
});

describe('a made-up hotline day (demo history)', () => {
  const agents = [
    { id: 'agent1', shift: { open: 8 * H + 30, close: 18 * H, lunch: [12 * H, 12 * H + 45] as [number, number] } },
    { id: 'agent2', shift: { open: 8 * H + 30, close: 18 * H, lunch: [12 * H + 45, 13 * H + 30] as [number, number] } },
    { id: 'agent3', shift: { open: 9 * H + 30, close: 17 * H, lunch: null } },
  ];
  const day = simulateHotlineDay({
    day: '2026-11-30',
    midnight,
    agents,
    meanCalls: 85,
    queues: { repair: 0.7, sales: 0.3 },
    shortAbandonSeconds: 5,
    rand: seededRandom('demo:2026-11-30'),
  });

  it('answers calls one at a time per agent, only in their shift and never at lunch', () => {
    expect(day.calls.length).toBeGreaterThan(60);
    for (const a of agents) {
      const mine = day.calls.filter((c) => c.agentId === a.id).sort((x, y) => x.answeredAt!.getTime() - y.answeredAt!.getTime());
      expect(mine.length).toBeGreaterThan(0);
      for (let i = 1; i < mine.length; i++) expect(mine[i].answeredAt!.getTime()).toBeGreaterThan(mine[i - 1].endedAt.getTime());
      for (const c of mine) {
        expect(c.answeredAt!.getTime()).toBeGreaterThanOrEqual(at(a.shift.open).getTime());
        expect(c.answeredAt!.getTime()).toBeLessThan(at(a.shift.close).getTime());
        if (a.shift.lunch)
          expect(c.answeredAt!.getTime() < at(a.shift.lunch[0]).getTime() || c.answeredAt!.getTime() >= at(a.shift.lunch[1]).getTime()).toBe(true);
      }
    }
  });

  it('has an agent available just before each answer, as the telephone system would have reported it', () => {
    const states = day.events.filter((e) => e.type === 'agent_state');
    for (const c of day.calls.filter((x) => x.status === 'answered')) {
      const before = states.filter((e) => e.agentId === c.agentId && e.at.getTime() < c.answeredAt!.getTime());
      expect(before[before.length - 1].state).toBe('available');
      const onCall = states.find((e) => e.agentId === c.agentId && e.at.getTime() === c.answeredAt!.getTime());
      expect(onCall?.state).toBe('on_call');
    }
    for (const a of agents) expect(states.filter((e) => e.agentId === a.id).pop()!.state).toBe('offline');
  });

  it('classes hang-ups by how long the caller waited, and keeps a plausible service level', () => {
    const abandoned = day.calls.filter((c) => c.status !== 'answered');
    for (const c of abandoned) {
      const waited = (c.abandonedAt!.getTime() - c.firstAt.getTime()) / 1000;
      expect(c.status).toBe(waited < 5 ? 'short_abandoned' : 'abandoned');
      expect(c.agentId).toBeNull();
    }
    const answered = day.calls.filter((c) => c.status === 'answered');
    const withinSl = answered.filter((c) => c.answeredAt!.getTime() - c.firstAt.getTime() <= 15_000).length;
    expect(withinSl / day.calls.length).toBeGreaterThan(0.6);
    expect(abandoned.length / day.calls.length).toBeLessThan(0.2);
  });
});
