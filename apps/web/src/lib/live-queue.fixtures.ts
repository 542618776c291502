import type { PublicCounterDto, PublicTicketDto, QueueSnapshot, SubscribeAck } from '@frontdesk/contracts';
import type { QueueEvent } from './live-queue-state';

export const BRANCH = '00000000-0000-4000-8000-000000000001';
export const SERVICE_A = '00000000-0000-4000-8000-00000000000a';

export function ticket(number: string, patch: Partial<PublicTicketDto> = {}): PublicTicketDto {
  return {
    number,
    serviceId: SERVICE_A,
    serviceCode: 'A',
    status: 'waiting',
    counterId: null,
    counterName: null,
    calledAt: null,
    recallCount: 0,
    ...patch,
  };
}

export function counter(id: string, name: string, patch: Partial<PublicCounterDto> = {}): PublicCounterDto {
  return { id, name, status: 'open', ticket: null, ...patch };
}

export function snapshot(seq: number, patch: Partial<QueueSnapshot> = {}): QueueSnapshot {
  return {
    seq,
    at: '2025-01-01T02:00:00.000Z',
    services: [
      {
        serviceId: SERVICE_A,
        code: 'A',
        name: { zh: '维修受理', en: 'Repair intake' },
        open: true,
        waiting: 3,
        longestWaitSeconds: 60,
        estimatedWaitSeconds: 600,
        openCounters: 1,
      },
    ],
    counters: [counter('c1', 'Counter 1'), counter('c3', '3号窗口')],
    recentCalls: [],
    ...patch,
  };
}

export function calledEvent(seq: number, number: string, counterId = 'c3', counterName = '3号窗口', waiting = 2): QueueEvent {
  return {
    seq,
    branchId: BRANCH,
    type: 'ticket.called',
    at: '2025-01-01T02:00:00.000Z',
    data: {
      ticket: ticket(number, { status: 'called', counterId, counterName, calledAt: `2025-01-01T02:00:${String(seq).padStart(2, '0')}.000Z` }),
      queue: [{ serviceId: SERVICE_A, waiting, longestWaitSeconds: 30, estimatedWaitSeconds: 300, openCounters: 1 }],
    },
  };
}

export function snapshotAck(seq: number, patch: Partial<QueueSnapshot> = {}): SubscribeAck {
  return { ok: true, branchId: BRANCH, seq, snapshot: snapshot(seq, patch) };
}

export function replayAck(seq: number, replay: QueueEvent[]): SubscribeAck {
  return { ok: true, branchId: BRANCH, seq, replay };
}
