import { z } from 'zod';
import type { I18nText, Language } from './common';
import { PhoneSchema, UuidSchema } from './common';

export const TICKET_STATUSES = ['waiting', 'called', 'serving', 'done', 'no_show', 'cancelled'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const TICKET_PRIORITIES = ['normal', 'priority'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];

export const COUNTER_STATUSES = ['open', 'paused', 'closed'] as const;
export type CounterStatus = (typeof COUNTER_STATUSES)[number];

export interface ServiceDto {
  id: string;
  code: string;
  name: I18nText;
  open: boolean;
  /** Used for the estimate until the branch has served enough tickets of this service today. */
  defaultServiceSeconds: number;
}

/** What a lobby may see of a ticket: number, service, counter. Never a phone or an id. */
export interface PublicTicketDto {
  number: string;
  serviceId: string;
  serviceCode: string;
  status: TicketStatus;
  counterId: string | null;
  counterName: string | null;
  calledAt: string | null;
  recallCount: number;
}

/** What staff see of a ticket. */
export interface TicketDto extends PublicTicketDto {
  id: string;
  branchId: string;
  priority: TicketPriority;
  phoneMasked: string | null;
  createdAt: string;
  servingAt: string | null;
  finishedAt: string | null;
  /** Estimate given to the customer when the ticket was taken. */
  estimatedWaitSecondsAtIssue: number | null;
  callReason: string | null;
  /** Staff only: the repair a kiosk pickup ticket (fast lane) was taken for, and its order number. */
  repairId: string | null;
  repairOrderNo: string | null;
  /** Per-stage times in seconds, once known (DOMAIN.md lobby KPIs). */
  stages: TicketStages;
}

export interface TicketStages {
  waitSeconds: number | null;
  walkSeconds: number | null;
  serviceSeconds: number | null;
  totalSeconds: number | null;
}

/** 201 of POST /api/branches/:branchId/tickets. */
export interface IssuedTicketDto {
  id: string;
  number: string;
  serviceId: string;
  serviceCode: string;
  serviceName: I18nText;
  status: TicketStatus;
  priority: TicketPriority;
  position: number;
  peopleAhead: number;
  estimatedWaitSeconds: number | null;
  trackUrl: string;
  createdAt: string;
  branchName: I18nText;
  /** A kiosk pickup ticket (fast lane): the order it was taken for. */
  repairOrderNo?: string | null;
}

/** GET /api/tickets/:id/track (public). */
export interface TrackDto {
  number: string;
  branchId: string;
  branchName: I18nText;
  /** The branch's IANA time zone and language, so the customer's phone shows branch time in its language. */
  timeZone: string;
  defaultLanguage: Language;
  serviceId: string;
  serviceName: I18nText;
  status: TicketStatus;
  position: number | null;
  peopleAhead: number | null;
  estimatedWaitSeconds: number | null;
  counter: string | null;
  calledAt: string | null;
  createdAt: string;
}

export interface CounterDto {
  id: string;
  name: string;
  services: string[];
  status: CounterStatus;
  pauseReason: string | null;
  userId: string | null;
  ticket: TicketDto | null;
}

export interface PublicCounterDto {
  id: string;
  name: string;
  status: CounterStatus;
  ticket: PublicTicketDto | null;
}

export interface ServiceQueueStat {
  serviceId: string;
  waiting: number;
  longestWaitSeconds: number;
  estimatedWaitSeconds: number | null;
  openCounters: number;
}

/** GET /api/branches/:branchId/queue and the snapshot of a subscribe ack. */
export interface QueueSnapshot {
  seq: number;
  at: string;
  services: (ServiceQueueStat & { code: string; name: I18nText; open: boolean })[];
  counters: PublicCounterDto[] | CounterDto[];
  recentCalls: PublicTicketDto[];
  /** Staff only: every active ticket (waiting, called, serving) of the branch's current day. */
  tickets?: TicketDto[];
}

/** 200 of POST /api/counters/:id/call-next and /call/:ticketId (call-next answers 204 when nobody waits). */
export interface CallTicketResponse {
  ticket: TicketDto;
}

export const CreateTicketSchema = z.object({
  serviceId: UuidSchema,
  phone: PhoneSchema.optional(),
  priority: z.enum(TICKET_PRIORITIES).default('normal'),
  language: z.enum(['zh', 'en']).optional(),
});
export type CreateTicketRequest = z.input<typeof CreateTicketSchema>;

/** The kiosk fast lane: a pickup (B) ticket against the order number and pickup code of the pickup SMS. */
export const PickupTicketSchema = z.object({
  orderNo: z.string({ error: 'orderNo is required' }).trim().min(1, 'orderNo is required').max(32),
  pickupCode: z.string({ error: 'pickupCode is required' }).trim().regex(/^[0-9]{6}$/, 'pickupCode is the 6-digit code of the pickup SMS'),
  language: z.enum(['zh', 'en']).optional(),
});
export type PickupTicketRequest = z.infer<typeof PickupTicketSchema>;

export const CounterActionSchema = z.object({ reason: z.string().trim().max(200).optional() });
export const PauseCounterSchema = z.object({
  reason: z.string({ error: 'reason is required to pause a counter' }).trim().min(1, 'reason is required to pause a counter').max(200),
});
export const CallTicketSchema = z.object({
  reason: z.string({ error: 'reason is required to call out of order' }).trim().min(1, 'reason is required to call out of order').max(200),
});
export const TransferTicketSchema = z.object({ serviceId: UuidSchema });
export const TicketNoteSchema = z.object({ reason: z.string().trim().max(200).optional() });
