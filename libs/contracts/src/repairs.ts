import { z } from 'zod';
import type { Role } from './common';
import { UuidSchema } from './common';

/*
 * Repairs (CONTRACT.md "Repairs", DOMAIN.md front desk): request schemas, response and event types.
 * The identifier checks (IMEI Luhn, phone → E.164) live here because the request schemas need them
 * and libs/contracts cannot depend on libs/domain; libs/domain re-exports them for the rules.
 */

export const REPAIR_STATUSES = [
  'received',
  'diagnosing',
  'awaiting_approval',
  'awaiting_parts',
  'repairing',
  'qa',
  'ready_for_pickup',
  'picked_up',
  'returned_unrepaired',
  'cancelled',
] as const;
export type RepairStatus = (typeof REPAIR_STATUSES)[number];

/** A repair in one of these states is finished: no further transition. */
export const FINAL_REPAIR_STATUSES = ['picked_up', 'returned_unrepaired', 'cancelled'] as const satisfies readonly RepairStatus[];

export const WARRANTY_STATUSES = ['return_window', 'exchange_window', 'in_warranty', 'out_of_warranty', 'void'] as const;
export type WarrantyStatus = (typeof WARRANTY_STATUSES)[number];

export const REPAIR_NOTIFY = ['sms', 'none'] as const;
export type RepairNotify = (typeof REPAIR_NOTIFY)[number];

export const QUOTE_DECISIONS = ['pending', 'approved', 'refused'] as const;
export type QuoteDecision = (typeof QUOTE_DECISIONS)[number];

export const PAYMENT_METHODS = ['cash', 'card', 'wechat', 'alipay', 'other'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/** Who may do what to a repair (the API enforces it; the board uses it to show buttons). */
export const REPAIR_ROLES = {
  create: ['frontdesk', 'manager', 'admin'],
  transition: ['frontdesk', 'technician', 'manager', 'admin'],
  pickup: ['frontdesk', 'manager', 'admin'],
  unlockPickup: ['manager', 'admin'],
  survey: ['frontdesk', 'agent', 'manager', 'admin'],
} as const satisfies Record<string, readonly Role[]>;

// ---------------------------------------------------------------------------------------------
// Identifiers

/** 15 digits whose last one is the Luhn check digit of the first 14 (3GPP TS 23.003). */
export function isValidImei(imei: string): boolean {
  if (!/^[0-9]{15}$/.test(imei)) return false;
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    let d = imei.charCodeAt(i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * A phone number in E.164 (+8613800138000), or null when it cannot be one.
 * Without a leading + (or 00) the number is taken as mainland China (the default region): an
 * 11-digit mobile 1[3-9]xxxxxxxxx, or a landline with its 0 trunk prefix (010 12345678).
 * With a + it must be 8 to 15 digits, the E.164 limits.
 */
export function toE164Phone(raw: string): string | null {
  const compact = raw.trim().replace(/[\s\-().]/g, '');
  if (compact.startsWith('+') || compact.startsWith('00')) {
    const digits = compact.startsWith('+') ? compact.slice(1) : compact.slice(2);
    if (!/^[1-9][0-9]{7,14}$/.test(digits)) return null;
    if (digits.startsWith('86')) return cnNational(digits.slice(2));
    return `+${digits}`;
  }
  if (!/^[0-9]+$/.test(compact)) return null;
  return cnNational(compact.startsWith('86') && compact.length === 13 ? compact.slice(2) : compact);
}

function cnNational(national: string): string | null {
  if (/^1[3-9][0-9]{9}$/.test(national)) return `+86${national}`;
  // Landline: trunk 0, area code 2-3 digits after it, subscriber 7-8 digits (10 to 12 digits with the 0).
  if (/^0[1-9][0-9]{8,10}$/.test(national)) return `+86${national.slice(1)}`;
  if (/^[1-9][0-9]{8,10}$/.test(national) && !national.startsWith('1')) return `+86${national}`;
  return null;
}

const e164 = (field: string) =>
  z
    .string({ error: `${field} is required` })
    .trim()
    .min(1, `${field} is required`)
    .max(32)
    .transform((v, ctx) => {
      const normal = toE164Phone(v);
      if (!normal) {
        ctx.addIssue({ code: 'custom', message: `${field} is not a valid phone number (e.g. 13800138000 or +8613800138000)` });
        return z.NEVER;
      }
      return normal;
    });

/** The latest calendar date that is "today" anywhere on earth; the API checks against the branch's own day. */
function latestTodayAnywhere(): string {
  return new Date(Date.now() + 14 * 3600_000).toISOString().slice(0, 10);
}

const isoDate = z.iso.date({ error: 'must be a date YYYY-MM-DD' });

export const MoneySchema = z.object({
  /** Integer minor units (fen, cents). */
  amount: z.number({ error: 'amount must be a number' }).int('amount must be integer minor units').min(0).max(100_000_000),
  currency: z
    .string()
    .trim()
    .regex(/^[A-Z]{3}$/, 'currency must be an ISO 4217 code such as CNY'),
});
export type Money = z.infer<typeof MoneySchema>;

// ---------------------------------------------------------------------------------------------
// Requests

export const WarrantyOverrideSchema = z.object({
  status: z.enum(WARRANTY_STATUSES),
  note: z.string({ error: 'note is required to override the warranty' }).trim().min(1, 'note is required to override the warranty').max(500),
});

export const CreateRepairSchema = z.object({
  customer: z.object({
    name: z.string({ error: 'name is required' }).trim().min(1, 'name is required').max(80),
    phone: e164('phone'),
    altPhone: e164('altPhone').optional(),
  }),
  device: z
    .object({
      brand: z.string({ error: 'brand is required' }).trim().min(1, 'brand is required').max(60),
      model: z.string({ error: 'model is required' }).trim().min(1, 'model is required').max(80),
      imei: z
        .string()
        .trim()
        .transform((v) => v.replace(/[\s-]/g, ''))
        .refine((v) => /^[0-9]{15}$/.test(v), 'IMEI must be 15 digits')
        .refine((v) => !/^[0-9]{15}$/.test(v) || isValidImei(v), 'IMEI checksum invalid')
        .optional(),
      serial: z.string().trim().min(1, 'serial must not be empty').max(64).optional(),
    })
    .refine((d) => Boolean(d.imei || d.serial), { message: 'IMEI or serial number is required', path: ['imei'] }),
  fault: z.string({ error: 'fault is required' }).trim().min(1, 'fault is required').max(1000),
  condition: z.string().trim().max(1000).optional(),
  accessories: z.array(z.string().trim().min(1).max(60)).max(20).default([]),
  purchaseDate: isoDate.refine((d) => d <= latestTodayAnywhere(), 'purchase date is in the future').optional(),
  ticketId: UuidSchema.optional(),
  notify: z.enum(REPAIR_NOTIFY, { error: 'notify must be "sms" or "none"' }),
  /** Staff override of the computed warranty; the note is kept in history. */
  warrantyOverride: WarrantyOverrideSchema.optional(),
  /** Promised completion; default: the branch's standard turnaround from now. */
  promisedAt: z.iso.datetime({ offset: true, error: 'promisedAt must be an ISO date-time' }).optional(),
});
export type CreateRepairRequest = z.input<typeof CreateRepairSchema>;
export type CreateRepairInput = z.output<typeof CreateRepairSchema>;

export const RepairTransitionSchema = z
  .object({
    to: z.enum(REPAIR_STATUSES, { error: `to must be one of ${REPAIR_STATUSES.join(', ')}` }),
    note: z.string().trim().max(1000).optional(),
    /** Required when moving to awaiting_approval (out-of-warranty work). */
    quote: MoneySchema.optional(),
    technicianId: UuidSchema.optional(),
    promisedAt: z.iso.datetime({ offset: true, error: 'promisedAt must be an ISO date-time' }).optional(),
    /** Required with promisedAt: why the promised time changed (kept in history, told to the customer). */
    reason: z.string().trim().min(1).max(500).optional(),
  })
  .refine((b) => !b.promisedAt || Boolean(b.reason), { message: 'reason is required when changing the promised time', path: ['reason'] });
export type RepairTransitionRequest = z.infer<typeof RepairTransitionSchema>;

/** PATCH /api/repairs/:id: assignment, notes and the promised time, without a state change. */
export const UpdateRepairSchema = z
  .object({
    /** null unassigns. */
    technicianId: UuidSchema.nullable().optional(),
    diagnosisNote: z.string().trim().max(2000).optional(),
    partsNote: z.string().trim().max(2000).optional(),
    promisedAt: z.iso.datetime({ offset: true, error: 'promisedAt must be an ISO date-time' }).optional(),
    reason: z.string().trim().min(1).max(500).optional(),
    warrantyOverride: WarrantyOverrideSchema.optional(),
  })
  .refine((b) => !b.promisedAt || Boolean(b.reason), { message: 'reason is required when changing the promised time', path: ['reason'] })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'nothing to change', path: [] });
export type UpdateRepairRequest = z.infer<typeof UpdateRepairSchema>;

/**
 * POST /api/repairs/:id/quote-decision: the customer's answer to the quote (awaiting_approval).
 * Approved moves to `next` (repairing by default, or awaiting_parts); refused returns the device unrepaired.
 */
export const QuoteDecisionSchema = z.object({
  decision: z.enum(['approved', 'refused'], { error: 'decision must be "approved" or "refused"' }),
  note: z.string().trim().max(1000).optional(),
  next: z.enum(['repairing', 'awaiting_parts']).default('repairing'),
});
export type QuoteDecisionRequest = z.input<typeof QuoteDecisionSchema>;

export const PickupSchema = z.object({
  pickupCode: z.string({ error: 'pickupCode is required' }).trim().min(1, 'pickupCode is required').max(32),
  /** Required for out-of-warranty work with a quote. */
  payment: MoneySchema.extend({ method: z.enum(PAYMENT_METHODS) }).optional(),
  note: z.string().trim().max(1000).optional(),
});
export type PickupRequest = z.infer<typeof PickupSchema>;

export const SurveySchema = z.object({
  score: z.number({ error: 'score must be a number 1-5' }).int('score must be a whole number 1-5').min(1, 'score must be 1-5').max(5, 'score must be 1-5'),
  comment: z.string().trim().max(1000).optional(),
});
export type SurveyRequest = z.infer<typeof SurveySchema>;

const boolQuery = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1')
  .optional();

export const ListRepairsQuerySchema = z.object({
  branchId: UuidSchema,
  /** One state or several, comma separated: `status=qa,ready_for_pickup`. */
  status: z
    .string()
    .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.enum(REPAIR_STATUSES)))
    .optional(),
  /** Order number, phone (any part of it), IMEI/serial, customer name. */
  q: z.string().trim().min(1).max(80).optional(),
  overdue: boolQuery,
  technicianId: UuidSchema.optional(),
  /** Include picked-up, returned and cancelled repairs (default: only active ones unless status says otherwise). */
  includeClosed: boolQuery,
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListRepairsQuery = z.input<typeof ListRepairsQuerySchema>;

export const RepairLookupQuerySchema = z.object({
  orderNo: z.string().trim().min(1, 'orderNo is required').max(32),
  phoneLast4: z.string().trim().regex(/^[0-9]{4}$/, 'phoneLast4 must be the last 4 digits of the phone'),
});

export const CustomerByPhoneQuerySchema = z.object({
  phone: e164('phone'),
  /** Limit to one branch; default: every branch the caller sees. */
  branchId: UuidSchema.optional(),
});

// ---------------------------------------------------------------------------------------------
// Responses

export interface WarrantyDto {
  status: WarrantyStatus;
  /** Why, in words staff can read to the customer (English; `reasonZh` in Chinese). */
  reason: string;
  reasonZh: string;
  /** True when staff overrode the computed status; `computedStatus` and `overrideNote` then say from what and why. */
  overridden: boolean;
  computedStatus: WarrantyStatus;
  overrideNote: string | null;
}

export interface RepairQuoteDto extends Money {
  decision: QuoteDecision;
  quotedAt: string;
  decidedAt: string | null;
}

export interface RepairRef {
  id: string;
  orderNo: string;
  status: RepairStatus;
  createdAt: string;
}

export interface RepairActorDto {
  kind: 'user' | 'device' | 'system';
  id: string | null;
  name: string;
}

/** One append-only history entry: who, when, from, to, note. */
export interface RepairHistoryEntryDto {
  at: string;
  actor: RepairActorDto;
  /** `status` for state changes; the others record what changed without a state change. */
  kind: 'created' | 'status' | 'assigned' | 'note' | 'promised_at' | 'quote' | 'warranty' | 'pickup_failed' | 'pickup_locked' | 'pickup_unlocked' | 'survey';
  from: string | null;
  to: string | null;
  note: string | null;
}

/** What the board, the list and live events carry: no full phone number. */
export interface RepairSummaryDto {
  id: string;
  branchId: string;
  orderNo: string;
  status: RepairStatus;
  customer: { id: string; name: string; phoneMasked: string };
  device: { brand: string; model: string; imei: string | null; serial: string | null };
  fault: string;
  condition: string | null;
  accessories: string[];
  purchaseDate: string | null;
  warranty: WarrantyDto;
  notify: RepairNotify;
  ticketId: string | null;
  ticketNumber: string | null;
  promisedAt: string;
  /** Past the promised time and not yet ready (DOMAIN.md). */
  overdue: boolean;
  /** The earlier repair of the same device within 90 days, if any. */
  repeatOf: RepairRef | null;
  technician: { id: string; name: string } | null;
  diagnosisNote: string | null;
  partsNote: string | null;
  quote: RepairQuoteDto | null;
  payment: (Money & { method: PaymentMethod; paidAt: string }) | null;
  pickup: { locked: boolean; failedAttempts: number };
  survey: { score: number; comment: string | null; at: string } | null;
  createdAt: string;
  updatedAt: string;
  readyAt: string | null;
  closedAt: string | null;
  /** From libs/domain `allowedRepairTransitions`, given the quote: what the buttons may offer. */
  allowedTransitions: RepairStatus[];
}

/** GET /api/repairs/:id (staff). */
export interface RepairDto extends RepairSummaryDto {
  customer: RepairSummaryDto['customer'] & { phone: string; altPhone: string | null };
  history: RepairHistoryEntryDto[];
}

/** 201 of POST /api/branches/:branchId/repairs: the pickup code is returned once, for the slip. */
export interface CreatedRepairDto extends RepairDto {
  pickupCode: string;
  /** The public status page, for the slip's QR code: `/r/<orderNo>`. */
  statusUrl: string;
}

export interface RepairListDto {
  items: RepairSummaryDto[];
  total: number;
  page: number;
  pageSize: number;
}

/** GET /api/repairs/lookup (public): nothing personal. */
export interface RepairLookupDto {
  orderNo: string;
  status: RepairStatus;
  promisedAt: string;
  readyAt: string | null;
  branchName: { zh: string; en: string };
  timeZone: string;
  defaultLanguage: 'zh' | 'en';
}

/** What a lobby screen may see of a repair: order number, state and masked name. */
export interface PublicRepairDto {
  orderNo: string;
  status: RepairStatus;
  /** 陈** */
  customerName: string;
  readyAt: string | null;
  updatedAt: string;
}

/** GET /api/customers/by-phone (staff): one customer, with what the caller's branches know of them. */
export interface CustomerDto {
  id: string;
  name: string;
  phone: string;
  altPhone: string | null;
  createdAt: string;
  repairs: (RepairRef & { branchId: string; device: { brand: string; model: string }; fault: string })[];
  tickets: { id: string; branchId: string; number: string; status: string; createdAt: string }[];
}

/** GET /api/branches/:branchId/technicians: who a repair can be assigned to. */
export interface RepairTechnicianDto {
  id: string;
  name: string;
  role: 'technician' | 'manager';
}

/** GET /api/branches/:branchId/repair-kpis: DOMAIN.md repair KPIs for the current local day. */
export interface RepairKpisDto {
  at: string;
  day: string;
  /** Mean (ready − received) over repairs that became ready today, seconds; null when none. */
  turnaroundSeconds: number | null;
  readyToday: number;
  /** Active repairs past their promised time and not ready. */
  overdue: number;
  /** Of repairs received in the last 30 days, the share with an earlier repair of the device within 90 days. */
  repeatRate: number | null;
  repeatRepairs: number;
  repairsConsidered: number;
  /** Ready for pickup for more than 3 days. */
  uncollected: number;
  /** Surveys in the last 30 days. */
  satisfactionAvg: number | null;
  satisfactionShareGood: number | null;
  surveys: number;
}

// ---------------------------------------------------------------------------------------------
// Live events

export interface RepairEventData {
  repair: RepairSummaryDto;
  /** repair.status_changed: the state before; the note given with the change. */
  from?: RepairStatus;
  note?: string | null;
  /** repair.updated: what changed. */
  change?: RepairHistoryEntryDto['kind'];
}

/** The `display` view of repair events. */
export interface PublicRepairEventData {
  repair: PublicRepairDto;
}
