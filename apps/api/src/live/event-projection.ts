import type { LiveEvent, PublicLiveEvent } from '@frontdesk/contracts';
import { publicCounter, publicTicket } from '@frontdesk/domain';

/** The lobby view of an event: the same seq and type, with ticket numbers and counters only. */
export function toPublicEvent(e: LiveEvent): PublicLiveEvent {
  const data = e.data;
  const publicData =
    'ticket' in data
      ? { ticket: publicTicket(data.ticket), queue: data.queue }
      : { counter: publicCounter(data.counter), queue: data.queue };
  return { seq: e.seq, branchId: e.branchId, type: e.type, at: e.at, data: publicData };
}
