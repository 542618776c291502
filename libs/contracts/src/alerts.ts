import { z } from 'zod';

export const ALERT_SEVERITIES = ['info', 'warning', 'critical'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

export const ALERT_STATES = ['open', 'acknowledged', 'cleared'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

/**
 * Something a manager should look at, raised by any capability (a repeat repair, a caller waiting too long...).
 * `kind` names the rule (`repair.repeat`, `hotline.sl_breach`...); `dedupeKey` keeps one open alert per situation.
 */
export interface AlertDto {
  id: string;
  branchId: string;
  kind: string;
  severity: AlertSeverity;
  message: string;
  data: Record<string, unknown>;
  state: AlertState;
  dedupeKey: string | null;
  raisedAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  clearedAt: string | null;
}

export interface AlertEventData {
  alert: AlertDto;
}

export const AlertsQuerySchema = z.object({
  branchId: z.uuid(),
  state: z.enum(['open', 'all']).default('open'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type AlertsQuery = z.infer<typeof AlertsQuerySchema>;
