import type { PublicCounterDto, PublicTicketDto, TicketDto } from '@frontdesk/contracts';
import { applyQueueEvent, stateFromSnapshot, type QueueEvent } from './live-queue-state';
import { BRANCH, calledEvent, counter, snapshot, ticket } from './live-queue.fixtures';

describe('folding live events into the queue picture', () => {
  it('a call puts the ticket at its counter, on top of recent calls, and updates the service numbers', () => {
    const state = stateFromSnapshot<PublicTicketDto, PublicCounterDto>(snapshot(10));
    const next = applyQueueEvent(state, calledEvent(11, 'A012'));
    expect(next.seq).toBe(11);
    expect(next.counters.find((c) => c.id === 'c3')?.ticket?.number).toBe('A012');
    expect(next.recentCalls.map((t) => t.number)).toEqual(['A012']);
    expect(next.services[0]?.waiting).toBe(2);
    expect(next.services[0]?.name.en).toBe('Repair intake');
  });

  it('a recall moves the ticket back to the top without duplicating it', () => {
    let state = stateFromSnapshot<PublicTicketDto, PublicCounterDto>(snapshot(10));
    state = applyQueueEvent(state, calledEvent(11, 'A012'));
    state = applyQueueEvent(state, calledEvent(12, 'A013', 'c1', 'Counter 1'));
    state = applyQueueEvent(state, { ...calledEvent(13, 'A012'), type: 'ticket.recalled' });
    expect(state.recentCalls.map((t) => t.number)).toEqual(['A012', 'A013']);
  });

  it('a finished ticket leaves its counter but stays in the recent calls with its new status', () => {
    let state = stateFromSnapshot<PublicTicketDto, PublicCounterDto>(snapshot(10));
    state = applyQueueEvent(state, calledEvent(11, 'A012'));
    const finished: QueueEvent = {
      seq: 12,
      branchId: BRANCH,
      type: 'ticket.finished',
      at: '2025-01-01T02:10:00.000Z',
      data: { ticket: ticket('A012', { status: 'done', counterId: 'c3', counterName: '3号窗口' }), queue: [] },
    };
    state = applyQueueEvent(state, finished);
    expect(state.counters.find((c) => c.id === 'c3')?.ticket).toBeNull();
    expect(state.recentCalls[0]?.status).toBe('done');
  });

  it('an event of another capability (empty lobby data) only moves seq', () => {
    const state = stateFromSnapshot(snapshot(10));
    const other = { seq: 11, branchId: BRANCH, type: 'hotline.call_queued', at: '2025-01-01T02:00:00.000Z', data: {} } as unknown as QueueEvent;
    const next = applyQueueEvent(state, other);
    expect(next.seq).toBe(11);
    expect(next.counters).toEqual(state.counters);
    expect(next.services).toEqual(state.services);
  });

  it('a hotline event as staff screens get it (its queue is a call queue\'s name) only moves seq', () => {
    const state = stateFromSnapshot(snapshot(10));
    for (const data of [
      { callId: 'c1', queue: 'repair', agentId: null, at: '2025-01-01T02:00:00.000Z' },
      { agentId: 'agent1', queue: 'repair', state: 'available', at: '2025-01-01T02:00:00.000Z' },
    ]) {
      const event = { seq: 11, branchId: BRANCH, type: 'hotline.call_queued', at: '2025-01-01T02:00:00.000Z', data } as unknown as QueueEvent;
      const next = applyQueueEvent(state, event);
      expect(next.seq).toBe(11);
      expect(next.services).toEqual(state.services);
      expect(next.counters).toEqual(state.counters);
    }
  });

  it('a counter change replaces the counter', () => {
    const state = stateFromSnapshot<PublicTicketDto, PublicCounterDto>(snapshot(10));
    const next = applyQueueEvent(state, {
      seq: 11,
      branchId: BRANCH,
      type: 'counter.status_changed',
      at: '2025-01-01T02:00:00.000Z',
      data: { counter: counter('c1', 'Counter 1', { status: 'paused' }), queue: [] },
    });
    expect(next.counters.find((c) => c.id === 'c1')?.status).toBe('paused');
  });

  it('staff: active tickets are kept by id, finished ones removed', () => {
    const staffTicket = {
      ...ticket('A001'),
      id: 't1',
      branchId: BRANCH,
      priority: 'normal',
      phoneMasked: null,
      createdAt: '',
      servingAt: null,
      finishedAt: null,
      estimatedWaitSecondsAtIssue: null,
      callReason: null,
      stages: { waitSeconds: null, walkSeconds: null, serviceSeconds: null, totalSeconds: null },
    } as TicketDto;
    let state = stateFromSnapshot<TicketDto, never>(snapshot(1, { tickets: [staffTicket] }));
    state = applyQueueEvent(state, {
      seq: 2,
      branchId: BRANCH,
      type: 'ticket.called',
      at: '',
      data: { ticket: { ...staffTicket, status: 'called', counterId: 'c1' }, queue: [] },
    });
    expect(state.tickets).toHaveLength(1);
    expect(state.tickets[0]?.status).toBe('called');
    state = applyQueueEvent(state, {
      seq: 3,
      branchId: BRANCH,
      type: 'ticket.no_show',
      at: '',
      data: { ticket: { ...staffTicket, status: 'no_show' }, queue: [] },
    });
    expect(state.tickets).toHaveLength(0);
  });
});
