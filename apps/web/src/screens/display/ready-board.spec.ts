import type { PublicRepairDto } from '@frontdesk/contracts';
import type { QueueEvent } from '../../lib/live-queue-state';
import { foldReady, publicRepairOf } from './ready-board-state';

const ready = (orderNo: string, updatedAt: string, status: PublicRepairDto['status'] = 'ready_for_pickup'): PublicRepairDto => ({
  orderNo,
  status,
  customerName: '陈**',
  readyAt: updatedAt,
  updatedAt,
});

describe("the wall's ready-for-pickup board", () => {
  it('adds a repair that became ready and removes it once picked up', () => {
    const one = foldReady([], ready('R20261125-0001', '2026-11-25T10:00:00Z'));
    expect(one.map((r) => r.orderNo)).toEqual(['R20261125-0001']);
    expect(foldReady(one, ready('R20261125-0001', '2026-11-25T11:00:00Z', 'picked_up'))).toEqual([]);
  });

  it('ignores a stale copy that arrives after a newer one', () => {
    const gone = foldReady([ready('R20261125-0001', '2026-11-25T12:00:00Z')], ready('R20261125-0001', '2026-11-25T10:00:00Z', 'qa'));
    expect(gone).toHaveLength(1);
  });

  it('reads only repair events; ticket events and empty lobby events are not repairs', () => {
    const base = { seq: 1, branchId: 'b', at: '2026-11-25T10:00:00Z' };
    expect(publicRepairOf({ ...base, type: 'repair.status_changed', data: { repair: ready('R1', base.at) } } as unknown as QueueEvent)?.orderNo).toBe('R1');
    expect(publicRepairOf({ ...base, type: 'repair.updated', data: {} })).toBeNull();
    expect(publicRepairOf({ ...base, type: 'ticket.called', data: {} })).toBeNull();
  });
});
