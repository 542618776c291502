import { z } from 'zod';
import { PhoneSchema, UuidSchema } from './common';

/** CONTRACT.md "Hotline": what the telephone system sends to `POST /api/hotline/events`. */
export const HOTLINE_EVENT_TYPES = ['call_queued', 'call_answered', 'call_abandoned', 'call_ended', 'agent_state'] as const;
export type HotlineEventType = (typeof HOTLINE_EVENT_TYPES)[number];

export const AGENT_STATES = ['available', 'on_call', 'wrap_up', 'paused', 'offline'] as const;
export type AgentState = (typeof AGENT_STATES)[number];

/** Limits of one ingest request: more events is 413, a larger body is 413 from the body parser. */
export const HOTLINE_MAX_EVENTS = 500;
/** Signed requests older (or further in the future) than this are refused. */
export const HOTLINE_MAX_SKEW_SECONDS = 300;

/**
 * An event time no telephone system sends: before it, or further ahead of the server's clock than a signature may be
 * (a year-9999 call's local day is year 10000, which Postgres cannot store; a wait from year 1 overflows its seconds).
 */
export const HOTLINE_EARLIEST_EVENT_MS = Date.parse('2000-01-01T00:00:00Z');

/**
 * Event ids: the contract says UUIDs, but telephone systems have their own ids (Asterisk `Uniqueid`
 * plus event name), so any short token is accepted; uniqueness is per branch.
 */
const TokenSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9._:@/+-]+$/, 'must be 1-128 characters: letters, digits, . _ : @ / + -');

export const HotlineEventSchema = z
  .object({
    id: TokenSchema,
    type: z.enum(HOTLINE_EVENT_TYPES),
    /** Required for call_* events; agent_state events may leave it out. */
    callId: TokenSchema.optional(),
    /** Queue name; agent_state without a queue applies to every queue of the agent. */
    queue: z.string().trim().min(1).max(64).optional(),
    at: z.iso
      .datetime({ offset: true, message: 'must be an ISO-8601 date-time' })
      // A text that is no time at all gets the message above only (NaN passes the range).
      .refine((at) => !(Date.parse(at) < HOTLINE_EARLIEST_EVENT_MS), { message: 'must not be before 2000-01-01' })
      .refine((at) => !(Date.parse(at) > Date.now() + HOTLINE_MAX_SKEW_SECONDS * 1000), {
        message: `must not be more than ${HOTLINE_MAX_SKEW_SECONDS / 60} minutes in the future`,
      }),
    agentId: z.string().trim().min(1).max(64).optional(),
    state: z.enum(AGENT_STATES).optional(),
    callerNumber: PhoneSchema.optional(),
  })
  .superRefine((e, ctx) => {
    if (e.type === 'agent_state') {
      if (!e.agentId) ctx.addIssue({ code: 'custom', path: ['agentId'], message: 'agent_state needs agentId' });
      if (!e.state) ctx.addIssue({ code: 'custom', path: ['state'], message: 'agent_state needs state' });
    } else {
      if (!e.callId) ctx.addIssue({ code: 'custom', path: ['callId'], message: `${e.type} needs callId` });
      if (!e.queue) ctx.addIssue({ code: 'custom', path: ['queue'], message: `${e.type} needs queue` });
    }
  });
export type HotlineEventInput = z.infer<typeof HotlineEventSchema>;

export const HotlineIngestSchema = z.object({
  branchId: UuidSchema,
  events: z.array(HotlineEventSchema).min(1, 'at least one event'),
});
export type HotlineIngestRequest = z.infer<typeof HotlineIngestSchema>;

export interface HotlineIngestResponse {
  accepted: number;
  duplicates: number;
}

/** Per-branch hotline rules (DOMAIN.md: every number is a branch setting). */
export const HotlineSettingsSchema = z.object({
  /** Answered within this many seconds counts for the service level ("before the third ring"). */
  serviceLevelSeconds: z.number().int().min(1).max(600),
  /** Abandoned within this many seconds counts in neither service level nor abandon rate. */
  shortAbandonSeconds: z.number().int().min(0).max(120),
  /** Service level target in percent for the last-30-minutes alert. */
  serviceLevelTargetPercent: z.number().min(1).max(100),
  /** A caller waiting longer than this is a critical alert (DOMAIN.md: speak to them every 30 s). */
  holdAlertSeconds: z.number().int().min(5).max(3600),
  /** Window of the "service level recently under target" alert. */
  serviceLevelWindowMinutes: z.number().int().min(5).max(240),
  /** A follow-up callback (回访) becomes due this many days after pickup; 0 turns follow-ups off. */
  followUpDays: z.number().int().min(0).max(60),
  /** Follow-ups and retries of unreachable callers are due at this hour, branch local time (off quiet hours). */
  callbackHour: z.number().int().min(8).max(20),
});
export type HotlineSettings = z.infer<typeof HotlineSettingsSchema>;

export const DEFAULT_HOTLINE_SETTINGS: HotlineSettings = {
  serviceLevelSeconds: 15,
  shortAbandonSeconds: 5,
  serviceLevelTargetPercent: 80,
  holdAlertSeconds: 30,
  serviceLevelWindowMinutes: 30,
  followUpDays: 3,
  callbackHour: 10,
};

export const HotlineMetricsQuerySchema = z.object({ queue: z.string().trim().min(1).max(64).optional() });

export interface HotlineAgentCounts {
  available: number;
  onCall: number;
  wrapUp: number;
  paused: number;
}

/** `GET /api/branches/:branchId/hotline[?queue=]`, for the branch's current local day. */
export interface HotlineMetrics {
  seq: number;
  /** When the numbers were computed (waits are relative to it). */
  at: string;
  localDay: string;
  queue: string | null;
  waiting: number;
  oldestWaitSeconds: number;
  /** 0..1, null when no call counts yet. */
  serviceLevel: number | null;
  /** Seconds, null when nothing was answered. */
  asa: number | null;
  /** 0..1, null when no call counts yet. */
  abandonRate: number | null;
  answered: number;
  /** Abandoned after the short-abandon threshold (short abandons are in `shortAbandoned`). */
  abandoned: number;
  shortAbandoned: number;
  agents: HotlineAgentCounts;
  settings: HotlineSettings;
}

export interface HotlineCallDto {
  callId: string;
  queue: string;
  status: 'waiting' | 'answered' | 'abandoned' | 'ended';
  queuedAt: string | null;
  answeredAt: string | null;
  endedAt: string | null;
  agentId: string | null;
  /** Full number for staff (screen pop, callbacks); masked in live events. */
  callerNumber: string | null;
  waitSeconds: number | null;
}

export interface HotlineAgentDto {
  agentId: string;
  queue: string | null;
  state: AgentState;
  since: string;
}

/** `GET /api/branches/:branchId/hotline/board`: what the console shows besides the metrics. */
export interface HotlineBoard {
  metrics: HotlineMetrics;
  queues: HotlineMetrics[];
  waitingCalls: HotlineCallDto[];
  activeCalls: HotlineCallDto[];
  agents: HotlineAgentDto[];
}

/** Live events of the hotline. Caller numbers are masked; lobby screens get them with empty data. */
export interface HotlineCallEventData {
  callId: string;
  queue: string;
  agentId: string | null;
  callerMasked: string | null;
  at: string;
}
export interface HotlineAgentEventData {
  agentId: string;
  queue: string | null;
  state: AgentState;
  at: string;
}
/** Recorded once after each ingest that changed something: the branch and per-queue numbers. */
export interface HotlineMetricsEventData {
  metrics: HotlineMetrics;
  queues: HotlineMetrics[];
}

// ---- Callbacks (CONTRACT.md "Callbacks"; reason `abandoned` added for calls lost in the queue) ----

export const CALLBACK_REASONS = ['promised', 'follow_up', 'complaint', 'abandoned'] as const;
export type CallbackReason = (typeof CALLBACK_REASONS)[number];
export const CALLBACK_STATUSES = ['scheduled', 'due', 'overdue', 'done'] as const;
export type CallbackStatus = (typeof CALLBACK_STATUSES)[number];
export const CALLBACK_OUTCOMES = ['reached_satisfied', 'reached_unsatisfied', 'unreachable', 'wrong_number'] as const;
export type CallbackOutcome = (typeof CALLBACK_OUTCOMES)[number] | 'got_through';
export const CALLBACK_MAX_ATTEMPTS = 3;
/** Completed by due time + this grace counts as on time (DOMAIN.md). */
export const CALLBACK_GRACE_MINUTES = 15;

export const CreateCallbackSchema = z.object({
  branchId: UuidSchema,
  phone: PhoneSchema,
  name: z.string().trim().min(1).max(100).optional(),
  dueAt: z.iso.datetime({ offset: true, message: 'must be an ISO-8601 date-time' }),
  reason: z.enum(['promised', 'follow_up', 'complaint']),
  repairId: UuidSchema.optional(),
  callId: z.string().min(1).max(128).optional(),
  note: z.string().trim().max(2000).optional(),
});
export type CreateCallbackRequest = z.infer<typeof CreateCallbackSchema>;

export const ListCallbacksQuerySchema = z.object({
  branchId: UuidSchema,
  status: z.enum(CALLBACK_STATUSES).optional(),
});

export const CompleteCallbackSchema = z.object({
  outcome: z.enum(CALLBACK_OUTCOMES),
  note: z.string().trim().max(2000).optional(),
});
export type CompleteCallbackRequest = z.infer<typeof CompleteCallbackSchema>;

export interface CallbackDto {
  id: string;
  branchId: string;
  phone: string;
  name: string | null;
  dueAt: string;
  /** Completed by this time counts as on time. */
  onTimeBy: string;
  reason: CallbackReason;
  repairId: string | null;
  /** Order number of the linked repair (addition), for the console; filled by the list. */
  repairOrderNo?: string | null;
  callId: string | null;
  note: string | null;
  status: CallbackStatus;
  outcome: CallbackOutcome | null;
  attempts: number;
  createdAt: string;
  completedAt: string | null;
}
export interface CallbackEventData {
  callback: CallbackDto;
}
