import type { RepairSummaryDto } from '@frontdesk/contracts';
import { toPublicEvent } from '../live/event-projection';

const repair = {
  id: '7f1c2e7e-1111-4c1e-9a55-000000000009',
  branchId: 'b',
  orderNo: 'R20261125-0007',
  status: 'ready_for_pickup',
  customer: { id: '7f1c2e7e-1111-4c1e-9a55-00000000000c', name: '陈小明', phoneMasked: '+86*******8000' },
  device: { brand: 'Huawei', model: 'P60', imei: '490154203237518', serial: null },
  fault: '进水',
  readyAt: '2026-11-25T03:00:00.000Z',
  updatedAt: '2026-11-25T03:00:00.000Z',
} as unknown as RepairSummaryDto;

describe('lobby projection of repair events', () => {
  it('shows the wall only the order number, the state and the masked name', () => {
    const e = toPublicEvent({ seq: 9, branchId: 'b', type: 'repair.status_changed', at: 'now', data: { repair, from: 'qa', note: 'QA passed' } });
    expect(e).toEqual({
      seq: 9,
      branchId: 'b',
      type: 'repair.status_changed',
      at: 'now',
      data: { repair: { orderNo: 'R20261125-0007', status: 'ready_for_pickup', customerName: '陈**', readyAt: '2026-11-25T03:00:00.000Z', updatedAt: '2026-11-25T03:00:00.000Z' } },
    });
    expect(JSON.stringify(e)).not.toMatch(/8000|小明|Huawei|490154|进水|QA passed|7f1c2e7e/);
  });
});
