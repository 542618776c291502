import { z } from 'zod';
import type { AlertEventData } from './alerts';
import type { PublicRepairEventData, RepairEventData } from './repairs';
import type { ErrorBody } from './common';
import type { CounterDto, PublicCounterDto, PublicTicketDto, QueueSnapshot, ServiceQueueStat, TicketDto } from './queue';
import type { NotificationEventData } from './notifications';
import type { CallbackEventData, HotlineAgentEventData, HotlineCallEventData, HotlineMetricsEventData } from './hotline';

/** Ticket events as staff receive them. */
export interface TicketEventData {
  ticket: TicketDto;
  /** The queue picture after the change, so screens need no refetch. */
  queue: ServiceQueueStat[];
  reason?: string | null;
  fromServiceId?: string;
}
export interface CounterEventData {
  counter: CounterDto;
  queue: ServiceQueueStat[];
}

/** Payload of each event type, staff view. */
export interface LiveEventDataMap {
  'ticket.created': TicketEventData;
  'ticket.called': TicketEventData;
  'ticket.recalled': TicketEventData;
  'ticket.serving': TicketEventData;
  'ticket.finished': TicketEventData;
  'ticket.no_show': TicketEventData;
  'ticket.cancelled': TicketEventData;
  'ticket.transferred': TicketEventData;
  'counter.status_changed': CounterEventData;
  'alert.raised': AlertEventData;
  'alert.acknowledged': AlertEventData;
  'alert.cleared': AlertEventData;
  'repair.created': RepairEventData;
  'repair.status_changed': RepairEventData;
  /** Assignment, notes, promised time, quote decision, pickup lock, survey: no state change. */
  'repair.updated': RepairEventData;
  'hotline.call_queued': HotlineCallEventData;
  'hotline.call_answered': HotlineCallEventData;
  'hotline.call_abandoned': HotlineCallEventData;
  /** Addition: a call ended (after an answer, or a hang-up in the queue). */
  'hotline.call_ended': HotlineCallEventData;
  'hotline.agent_state': HotlineAgentEventData;
  /** Addition: the hotline numbers after an ingest or a time-based change, so screens never refetch. */
  'hotline.metrics': HotlineMetricsEventData;
  /** Addition: a callback was scheduled for later. */
  'callback.scheduled': CallbackEventData;
  'callback.due': CallbackEventData;
  'callback.completed': CallbackEventData;
  /** A notice was sent, failed for good or was cancelled (staff only: it names a masked phone). */
  'notification.status': NotificationEventData;
}
export type LiveEventType = keyof LiveEventDataMap;
export const TICKET_EVENT_TYPES = [
  'ticket.created',
  'ticket.called',
  'ticket.recalled',
  'ticket.serving',
  'ticket.finished',
  'ticket.no_show',
  'ticket.cancelled',
  'ticket.transferred',
] as const satisfies readonly LiveEventType[];

/** What the `display` view gets instead: ticket numbers and counters only. */
export interface PublicTicketEventData {
  ticket: PublicTicketDto;
  queue: ServiceQueueStat[];
}
export interface PublicCounterEventData {
  counter: PublicCounterDto;
  queue: ServiceQueueStat[];
}

export interface LiveEvent<T extends LiveEventType = LiveEventType> {
  seq: number;
  branchId: string;
  type: T;
  at: string;
  data: LiveEventDataMap[T];
}

export type PublicLiveEvent = {
  seq: number;
  branchId: string;
  type: LiveEventType;
  at: string;
  /** Empty for events with nothing a lobby may see: they only move seq. */
  data: PublicTicketEventData | PublicCounterEventData | PublicRepairEventData | Record<string, never>;
};

export const LIVE_VIEWS = ['display', 'staff', 'manager', 'track'] as const;
export type LiveView = (typeof LIVE_VIEWS)[number];

export const SubscribeSchema = z.object({
  branchId: z.uuid().optional(),
  /** With view `track`, the ticket being followed (the public tracking page). */
  ticketId: z.uuid().optional(),
  view: z.enum(LIVE_VIEWS),
  lastSeq: z.number().int().min(0).optional(),
});
export type SubscribeRequest = z.infer<typeof SubscribeSchema>;

export type SubscribeAck =
  | { ok: true; branchId: string; seq: number; snapshot: QueueSnapshot }
  | { ok: true; branchId: string; seq: number; replay: (LiveEvent | PublicLiveEvent)[] }
  | { ok: false; error: ErrorBody };

export interface ServerToClientEvents {
  event: (event: LiveEvent | PublicLiveEvent) => void;
  /** Sent every few seconds per subscribed branch: a client whose lastSeq is behind resubscribes. */
  sync: (state: { branchId: string; seq: number; at: string }) => void;
  /** The device or user was revoked or logged out: the client must stop and show why. */
  revoked: (info: { reason: string }) => void;
}

export interface ClientToServerEvents {
  subscribe: (req: SubscribeRequest, ack: (res: SubscribeAck) => void) => void;
  unsubscribe: (req: { branchId: string }, ack?: (res: { ok: boolean }) => void) => void;
}

export const LIVE_NAMESPACE = '/live';
