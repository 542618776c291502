import { DateTime } from 'luxon';
import { DEFAULT_QUEUE_SETTINGS, type RepairStatus, type TicketEventData } from '@frontdesk/contracts';
import { followUpDueAt, foldTicketEvents, isChargeable, lobbyKpisAt, repairTransition } from '@frontdesk/domain';
import { seededRandom, simulateHotlineDay, simulateLobbyDay, type CounterShift } from './demo-history-model';
import { abandonedCallbacks, simulateRepairDay, type KnownDevice } from './demo-history-repairs';

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
        if (a.shift.lunch) {
          expect(c.answeredAt!.getTime() < at(a.shift.lunch[0]).getTime() || c.answeredAt!.getTime() >= at(a.shift.lunch[1]).getTime()).toBe(true);
        }
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

describe('made-up repairs and callbacks (demo history)', () => {
  const lobby = lobbyDay('demo:2026-11-30', 200);
  const intakes = lobby.tickets.filter((t) => t.status === 'done' && t.serviceId === 'svc-a').map((t) => ({ ticketId: t.id, finishedAt: t.finishedAt! }));
  const devices: KnownDevice[] = [];
  const phones = new Set<string>();
  const ctx = { timeZone: 'Asia/Shanghai', callbackHour: 10 };
  const run = (now: Date, day = '2026-11-30', rand = seededRandom('repairs:2026-11-30')) =>
    simulateRepairDay({ ...ctx, day, now, intakes, devices, phones, technicianId: null, followUpDays: 3, rand });
  // A week later: every repair of the day has ended and most follow-ups are done.
  const now = new Date('2026-12-07T04:00:00Z');
  const day = run(now);

  it('takes in about half of the intake customers, each repair ended through the state machine before now', () => {
    expect(day.repairs.length).toBeGreaterThan(intakes.length * 0.3);
    expect(day.repairs.length).toBeLessThan(intakes.length * 0.7);
    expect(day.repairs.map((r) => r.orderNo)).toEqual(day.repairs.map((_, i) => `R20261130-${String(i + 1).padStart(4, '0')}`));
    for (const r of day.repairs) {
      expect(['picked_up', 'returned_unrepaired']).toContain(r.status);
      expect(r.closedAt!.getTime()).toBeLessThan(now.getTime());
      const steps = day.history.filter((h) => h.repairId === r.id && h.kind === 'status');
      let status: RepairStatus = 'received';
      const gate = { warranty: r.warranty.status, quoteDecision: r.quote?.decision ?? null };
      for (const s of steps) {
        expect(s.from).toBe(status);
        // The quote is decided before any work: the machine would refuse repairing before an approval.
        expect(repairTransition(status, s.to as RepairStatus, gate).ok).toBe(true);
        status = s.to as RepairStatus;
      }
      expect(status).toBe(r.status);
      for (let i = 1; i < steps.length; i++) expect(steps[i].at.getTime()).toBeGreaterThanOrEqual(steps[i - 1].at.getTime());
      if (isChargeable(r.warranty.status)) expect(r.quote).not.toBeNull();
      // Amounts are minor units, as the API takes them (150 to 900 yuan).
      if (r.quote) expect(r.quote.amount).toBeGreaterThanOrEqual(15_000);
      if (r.quote) expect(r.quote.amount).toBeLessThanOrEqual(90_000);
      if (r.status === 'picked_up') {
        expect(r.readyAt!.getTime()).toBeLessThanOrEqual(r.closedAt!.getTime());
        expect(r.payment?.amount ?? null).toBe(r.quote?.amount ?? null);
      }
      if (r.survey) expect(r.survey.score).toBeGreaterThanOrEqual(1);
      // Work happens in working hours.
      for (const s of steps) expect(DateTime.fromJSDate(s.at, { zone: 'Asia/Shanghai' }).hour).toBeGreaterThanOrEqual(9);
    }
    expect(day.repairs.filter((r) => r.survey).length).toBeGreaterThan(day.repairs.length * 0.4);
    // Written in time order, so a repair's history reads in the order things happened.
    for (let i = 1; i < day.history.length; i++) expect(day.history[i].at.getTime()).toBeGreaterThanOrEqual(day.history[i - 1].at.getTime());
  });

  it('gives each collected repair its follow-up on the working day three days later, and leaves a future try scheduled', () => {
    for (const r of day.repairs.filter((x) => x.status === 'picked_up')) {
      const c = day.callbacks.find((x) => x.repairId === r.id)!;
      expect(c).toMatchObject({ reason: 'follow_up', createdBy: 'system:pickup', phone: r.customerPhone });
      if (c.status === 'done') {
        expect(c.completedAt!.getTime()).toBeLessThan(now.getTime());
        expect(c.outcome).not.toBeNull();
        if (c.attempts === 1) expect(c.dueAt).toEqual(followUpDueAt(r.closedAt!, 'Asia/Shanghai', 3, 10));
      } else expect(c).toMatchObject({ status: 'scheduled', outcome: null, completedAt: null });
    }
    // Seen from the evening of the day itself, nothing of it is later than that moment.
    const evening = new Date('2026-11-30T10:00:00Z');
    const early = run(evening, '2026-11-30', seededRandom('repairs:2026-11-30'));
    for (const r of early.repairs) expect(r.closedAt!.getTime()).toBeLessThan(evening.getTime());
    expect(early.callbacks.every((c) => c.status === 'scheduled' && c.dueAt.getTime() > evening.getTime())).toBe(true);
  });

  it('marks a device back within 90 days as a repeat of its earlier repair', () => {
    const later = simulateRepairDay({
      ...ctx,
      day: '2026-12-20',
      now: new Date('2027-01-10T00:00:00Z'),
      intakes: intakes.map((i) => ({ ...i, finishedAt: new Date(i.finishedAt.getTime() + 20 * 86_400_000) })),
      devices,
      phones,
      technicianId: null,
      followUpDays: 3,
      rand: seededRandom('repeat'),
    });
    const all = [...day.repairs, ...later.repairs];
    const repeats = all.filter((r) => r.repeatOf);
    expect(repeats.length).toBeGreaterThan(0);
    for (const r of repeats) {
      const earlier = all.find((x) => x.id === r.repeatOf)!;
      expect(earlier.deviceKey).toBe(r.deviceKey);
      expect(earlier.customerPhone).toBe(r.customerPhone);
      expect(earlier.createdAt.getTime()).toBeLessThan(r.createdAt.getTime());
    }
    // Everyone else is a customer of their own.
    expect(new Set(all.map((r) => r.customerPhone)).size).toBe(all.length - repeats.length);
  });

  it('works the callbacks of abandoned calls: reached soon after, or tried on three working days', () => {
    const calls = Array.from({ length: 60 }, (_, i) => ({
      callId: `c${i}`,
      callerNumber: `+8613900000${String(i).padStart(3, '0')}`,
      abandonedAt: at(10 * H + i),
    }));
    const rows = abandonedCallbacks(calls, { ...ctx, now, rand: seededRandom('abandoned') });
    expect(rows).toHaveLength(60);
    for (const c of rows) {
      expect(c).toMatchObject({ reason: 'abandoned', createdBy: 'hotline', status: 'done' });
      expect(c.attempts).toBe(c.outcome === 'unreachable' ? 3 : 1);
    }
    expect(rows.filter((c) => c.outcome === 'unreachable').every((c) => DateTime.fromJSDate(c.dueAt, { zone: 'Asia/Shanghai' }).hour === 10)).toBe(true);
    // Calls lost at closing time, seen at 09:10 the next morning: each was either worked before then or waits for a
    // later try; none is left due and unworked (the demo would open on overdue callbacks).
    const morning = at(24 * H + 9 * H + 10);
    const evening = calls.map((c, i) => ({ ...c, abandonedAt: at(17 * H + 30 + i / 2) }));
    for (const c of abandonedCallbacks(evening, { ...ctx, now: morning, rand: seededRandom('evening') })) {
      if (c.status === 'done') expect(c.completedAt!.getTime()).toBeLessThan(morning.getTime());
      else expect(c.dueAt.getTime()).toBeGreaterThanOrEqual(morning.getTime());
    }
  });
});
