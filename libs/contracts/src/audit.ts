import { z } from 'zod';

export const CUSTOMER_AUDIT_ACTIONS = ['view', 'change'] as const;
export type CustomerAuditAction = (typeof CUSTOMER_AUDIT_ACTIONS)[number];

const isoDateTime = (what: string) => z.iso.datetime({ offset: true, error: `${what} must be an ISO-8601 date-time` });

/** GET /api/audit (admin): who viewed or changed customer records; default the last 7 days, newest first. */
export const AuditQuerySchema = z
  .object({
    /** One branch; default every branch. */
    branchId: z.uuid().optional(),
    from: isoDateTime('from').optional(),
    to: isoDateTime('to').optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(200),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), { message: 'from must be before to', path: ['from'] });
export type AuditQuery = z.input<typeof AuditQuerySchema>;

/** One entry of the customer audit trail. The phone is masked (138****8000): the log is not a copy of the numbers. */
export interface CustomerAuditEntryDto {
  id: string;
  at: string;
  branchId: string | null;
  actor: { id: string | null; username: string; role: string };
  action: CustomerAuditAction;
  customerId: string | null;
  phoneMasked: string | null;
  /** The route that read or wrote the record, e.g. `GET /api/customers/by-phone`. */
  route: string;
}

export interface CustomerAuditListDto {
  from: string;
  to: string;
  items: CustomerAuditEntryDto[];
}
