import type { CounterEventData, LiveEvent, PublicLiveEvent, RepairEventData, TicketEventData } from '@frontdesk/contracts';
import { maskName, publicCounter, publicTicket } from '@frontdesk/domain';

/**
 * The lobby view of an event: the same seq and type, with ticket numbers and counters only.
 * Every event of the branch reaches lobby screens, because seq counts them all; an event with nothing
 * for the lobby (hotline, staff-only repair details...) arrives with empty data and only moves seq.
 */
export function toPublicEvent(e: LiveEvent): PublicLiveEvent {
  const data = e.data as Partial<TicketEventData & CounterEventData & RepairEventData>;
  let publicData: PublicLiveEvent['data'] = {};
  if (data.ticket) publicData = { ticket: publicTicket(data.ticket), queue: data.queue ?? [] };
  else if (data.counter) publicData = { counter: publicCounter(data.counter), queue: data.queue ?? [] };
  else if (data.repair) {
    // The wall's ready-for-pickup board: order number, state and masked name; never a phone or an id.
    const r = data.repair;
    publicData = {
      repair: { orderNo: r.orderNo, status: r.status, customerName: maskName(r.customer.name) ?? '', readyAt: r.readyAt, updatedAt: r.updatedAt },
    };
  }
  return { seq: e.seq, branchId: e.branchId, type: e.type, at: e.at, data: publicData };
}
