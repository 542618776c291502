import type { LiveEvent, TicketDto } from '@frontdesk/contracts';
import { toPublicEvent } from './event-projection';

const ticket: TicketDto = {
  id: '7f1c2e7e-1111-4c1e-9a55-000000000001',
  branchId: 'b',
  number: 'A012',
  serviceId: 's',
  serviceCode: 'A',
  status: 'called',
  priority: 'normal',
  counterId: 'c',
  counterName: '3号窗口',
  calledAt: '2026-11-25T02:00:00.000Z',
  recallCount: 0,
  phoneMasked: '138****8000',
  createdAt: '2026-11-25T01:50:00.000Z',
  servingAt: null,
  finishedAt: null,
  estimatedWaitSecondsAtIssue: 300,
  callReason: 'VIP',
  repairId: '7f1c2e7e-2222-4c1e-9a55-000000000002',
  repairOrderNo: 'R20261125-0007',
  stages: { waitSeconds: 600, walkSeconds: null, serviceSeconds: null, totalSeconds: null },
};

describe('lobby projection of events', () => {
  it('keeps the number and counter of a ticket and drops its id, phone, reason and linked repair', () => {
    const e = toPublicEvent({ seq: 5, branchId: 'b', type: 'ticket.called', at: 'now', data: { ticket, queue: [] } });
    expect(e.seq).toBe(5);
    expect(e.data).toEqual({
      ticket: { number: 'A012', serviceId: 's', serviceCode: 'A', status: 'called', counterId: 'c', counterName: '3号窗口', calledAt: '2026-11-25T02:00:00.000Z', recallCount: 0 },
      queue: [],
    });
    expect(JSON.stringify(e)).not.toMatch(/138|VIP|7f1c2e7e|R20261125/);
  });

  it('passes an event with nothing for the lobby as empty data, keeping its seq', () => {
    const e = toPublicEvent({ seq: 6, branchId: 'b', type: 'hotline.call_queued', at: 'now', data: { callerNumber: '13800138000' } } as unknown as LiveEvent);
    expect(e).toEqual({ seq: 6, branchId: 'b', type: 'hotline.call_queued', at: 'now', data: {} });
  });
});
