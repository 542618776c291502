import { z } from 'zod';

/** How a KPI's value reads: a count, seconds, a ratio 0..1, or a survey score. */
export type KpiUnit = 'count' | 'seconds' | 'ratio' | 'score';
/** Whether a bigger value is better (service level) or worse (wait). */
export type KpiDirection = 'higher_better' | 'lower_better';
export type KpiStatus = 'ok' | 'warn' | 'breach';

export interface KpiDefinition {
  key: string;
  group: 'lobby' | 'hotline' | 'repairs' | 'sms' | 'callbacks' | 'satisfaction';
  unit: KpiUnit;
  direction: KpiDirection;
  /** Default target; absent: the tile only informs. */
  target?: number;
}

/**
 * The registry of manager tiles (DOMAIN.md "KPIs a manager watches"). The API computes one value per key;
 * the screen shows them in this order. A capability adds a tile by adding a definition and its SQL.
 */
export const KPI_DEFINITIONS = [
  { key: 'lobby.waiting', group: 'lobby', unit: 'count', direction: 'lower_better', target: 15 },
  { key: 'lobby.wait.avg', group: 'lobby', unit: 'seconds', direction: 'lower_better', target: 600 },
  { key: 'lobby.wait.p90', group: 'lobby', unit: 'seconds', direction: 'lower_better', target: 1200 },
  { key: 'lobby.wait.longest', group: 'lobby', unit: 'seconds', direction: 'lower_better', target: 1200 },
  { key: 'lobby.noshow.rate', group: 'lobby', unit: 'ratio', direction: 'lower_better', target: 0.1 },
  { key: 'lobby.estimate.error', group: 'lobby', unit: 'seconds', direction: 'lower_better', target: 300 },
  { key: 'hotline.sl', group: 'hotline', unit: 'ratio', direction: 'higher_better', target: 0.8 },
  { key: 'hotline.asa', group: 'hotline', unit: 'seconds', direction: 'lower_better', target: 20 },
  { key: 'hotline.abandon.rate', group: 'hotline', unit: 'ratio', direction: 'lower_better', target: 0.05 },
  { key: 'hotline.oldest.wait', group: 'hotline', unit: 'seconds', direction: 'lower_better', target: 30 },
  { key: 'hotline.agents.available', group: 'hotline', unit: 'count', direction: 'higher_better' },
  { key: 'hotline.agents.on_call', group: 'hotline', unit: 'count', direction: 'higher_better' },
  { key: 'hotline.agents.wrap_up', group: 'hotline', unit: 'count', direction: 'lower_better' },
  { key: 'hotline.agents.paused', group: 'hotline', unit: 'count', direction: 'lower_better' },
  { key: 'repairs.open', group: 'repairs', unit: 'count', direction: 'lower_better' },
  { key: 'repairs.open.received', group: 'repairs', unit: 'count', direction: 'lower_better' },
  { key: 'repairs.open.diagnosing', group: 'repairs', unit: 'count', direction: 'lower_better' },
  { key: 'repairs.open.awaiting_approval', group: 'repairs', unit: 'count', direction: 'lower_better' },
  { key: 'repairs.open.awaiting_parts', group: 'repairs', unit: 'count', direction: 'lower_better' },
  { key: 'repairs.open.repairing', group: 'repairs', unit: 'count', direction: 'lower_better' },
  { key: 'repairs.open.qa', group: 'repairs', unit: 'count', direction: 'lower_better' },
  { key: 'repairs.overdue', group: 'repairs', unit: 'count', direction: 'lower_better', target: 0 },
  { key: 'repairs.turnaround.avg', group: 'repairs', unit: 'seconds', direction: 'lower_better', target: 2 * 86400 },
  { key: 'repairs.uncollected', group: 'repairs', unit: 'count', direction: 'lower_better', target: 5 },
  { key: 'repairs.repeat.rate', group: 'repairs', unit: 'ratio', direction: 'lower_better', target: 0.05 },
  { key: 'sms.sent', group: 'sms', unit: 'count', direction: 'higher_better' },
  { key: 'sms.failed', group: 'sms', unit: 'count', direction: 'lower_better', target: 0 },
  { key: 'callbacks.due', group: 'callbacks', unit: 'count', direction: 'lower_better' },
  { key: 'callbacks.overdue', group: 'callbacks', unit: 'count', direction: 'lower_better', target: 0 },
  { key: 'callbacks.ontime.rate', group: 'callbacks', unit: 'ratio', direction: 'higher_better', target: 0.9 },
  { key: 'satisfaction.avg', group: 'satisfaction', unit: 'score', direction: 'higher_better', target: 4.5 },
  { key: 'satisfaction.share', group: 'satisfaction', unit: 'ratio', direction: 'higher_better', target: 0.9 },
] as const satisfies readonly KpiDefinition[];

export type KpiKey = (typeof KPI_DEFINITIONS)[number]['key'];
export const KPI_KEYS = KPI_DEFINITIONS.map((d) => d.key) as [KpiKey, ...KpiKey[]];

export interface KpiValue {
  key: KpiKey;
  /** null: not measurable yet (no calls today, or the capability is not installed: `available` false). */
  value: number | null;
  unit: KpiUnit;
  target?: number;
  status: KpiStatus;
  /** false when the data source does not exist in this installation (SMS before notifications ship). */
  available: boolean;
}

export interface KpiResponse {
  seq: number;
  at: string;
  localDay: string;
  timeZone: string;
  kpis: KpiValue[];
}

/** Per-branch targets: only keys given override the defaults; null removes a target. */
export const KpiTargetsSchema = z
  .partialRecord(z.enum(KPI_KEYS), z.number().min(0).max(10_000_000).nullable())
  .refine((r) => Object.keys(r).length > 0, { message: 'give at least one target' });
export type KpiTargets = Partial<Record<KpiKey, number | null>>;

export interface KpiTargetsResponse {
  branchId: string;
  targets: Partial<Record<KpiKey, number>>;
}

/** Metrics the series endpoint charts. */
export const SERIES_METRICS = ['lobby.arrivals', 'lobby.wait.avg', 'lobby.served', 'hotline.calls', 'hotline.sl', 'repairs.created', 'repairs.ready'] as const;
export type SeriesMetric = (typeof SERIES_METRICS)[number];
export const SERIES_BUCKETS = ['15m', '30m', '1h', '1d'] as const;
export type SeriesBucket = (typeof SERIES_BUCKETS)[number];

const localDateTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?$/, 'a local date YYYY-MM-DD or date-time YYYY-MM-DDTHH:mm in the branch time zone');

export const SeriesQuerySchema = z.object({
  metric: z.enum(SERIES_METRICS),
  /** Local date (start of day) or local date-time; default: start of today. */
  from: localDateTime.optional(),
  /** Exclusive end; a bare date means the end of that day. Default: end of today. */
  to: localDateTime.optional(),
  bucket: z.enum(SERIES_BUCKETS).default('15m'),
  format: z.enum(['json', 'csv']).optional(),
});
export type SeriesQuery = z.infer<typeof SeriesQuerySchema>;

export interface SeriesPoint {
  /** Start of the bucket, ISO with the branch's offset (local time). */
  t: string;
  value: number | null;
}
export interface SeriesResponse {
  metric: SeriesMetric;
  bucket: SeriesBucket;
  timeZone: string;
  from: string;
  to: string;
  points: SeriesPoint[];
}

/** Breakdown charts: one bar per state / counter / agent over a local date range. */
export const BREAKDOWNS = ['repairs.pipeline', 'repairs.turnaround', 'lobby.counter.throughput', 'hotline.agent.throughput'] as const;
export type Breakdown = (typeof BREAKDOWNS)[number];
export const BreakdownQuerySchema = z.object({
  kind: z.enum(BREAKDOWNS),
  from: localDateTime.optional(),
  to: localDateTime.optional(),
  format: z.enum(['json', 'csv']).optional(),
});
export interface BreakdownResponse {
  kind: Breakdown;
  from: string;
  to: string;
  rows: { label: string; value: number }[];
}

export const StaffingQuerySchema = z.object({ horizon: z.enum(['1h']).default('1h') });

export interface StaffingLine {
  /** `lobby:<service code>` or `hotline`. */
  key: string;
  label: string;
  /** Lobby lines: the service's letter and names. */
  code?: string;
  names?: { zh: string; en: string };
  arrivalsPerHour: number;
  handleSeconds: number;
  /** What the model is asked to meet: average wait (lobby) or service level within a threshold (hotline). */
  target: { averageWaitSeconds: number } | { serviceLevel: number; thresholdSeconds: number };
  needed: number;
  openNow: number;
}
export interface StaffingResponse {
  at: string;
  horizon: '1h';
  /** Arrival rate and handling time are measured over this many minutes before now. */
  measuredOverMinutes: number;
  lines: StaffingLine[];
}

export const ReplayQuerySchema = z.object({
  /** The instant to rebuild, local date-time in the branch's zone (YYYY-MM-DDTHH:mm). */
  at: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/, 'a local date-time YYYY-MM-DDTHH:mm in the branch time zone'),
});

/** A past instant rebuilt from the event log: the lobby and hotline tiles and the lobby picture. */
export interface ReplayResponse {
  at: string;
  localDay: string;
  timeZone: string;
  /** The last event at or before the instant. */
  seq: number;
  kpis: KpiValue[];
  lobby: {
    services: { serviceId: string; code: string; name: { zh: string; en: string }; waiting: string[] }[];
    counters: { id: string; name: string; status: 'open' | 'paused' | 'closed'; ticket: string | null }[];
  };
}
