import type { RepairStatus, RepairSummaryDto, WarrantyStatus } from '@frontdesk/contracts';
import type { Tone } from '@frontdesk/ui';

/** The board's columns, in the order a repair moves through them (DOMAIN.md front desk). */
export const BOARD_COLUMNS = [
  'received',
  'diagnosing',
  'awaiting_approval',
  'awaiting_parts',
  'repairing',
  'qa',
  'ready_for_pickup',
] as const satisfies readonly RepairStatus[];

const FINAL: ReadonlySet<RepairStatus> = new Set(['picked_up', 'returned_unrepaired', 'cancelled']);

export function isFinal(status: RepairStatus): boolean {
  return FINAL.has(status);
}

export const STATUS_TONE: Record<RepairStatus, Tone> = {
  received: 'brand',
  diagnosing: 'brand',
  awaiting_approval: 'warning',
  awaiting_parts: 'warning',
  repairing: 'call',
  qa: 'call',
  ready_for_pickup: 'success',
  picked_up: 'neutral',
  returned_unrepaired: 'neutral',
  cancelled: 'neutral',
};

export const WARRANTY_TONE: Record<WarrantyStatus, Tone> = {
  return_window: 'success',
  exchange_window: 'success',
  in_warranty: 'success',
  out_of_warranty: 'warning',
  void: 'danger',
};

/** Overdue from the API, kept true to the clock between events: past the promised time and not ready. */
export function isOverdue(repair: Pick<RepairSummaryDto, 'status' | 'promisedAt' | 'overdue'>, now: Date): boolean {
  if (repair.status === 'ready_for_pickup' || isFinal(repair.status)) {
    return false;
  }
  return repair.overdue || Date.parse(repair.promisedAt) < now.getTime();
}

/**
 * Folds one repair into the board's list. An older copy never replaces a newer one (an HTTP answer
 * and a live event can cross), and a finished repair leaves the board.
 */
export function mergeRepair(list: readonly RepairSummaryDto[], repair: RepairSummaryDto): RepairSummaryDto[] {
  const index = list.findIndex((item) => item.id === repair.id);
  if (index >= 0 && Date.parse(list[index]!.updatedAt) > Date.parse(repair.updatedAt)) {
    return [...list];
  }
  const others = index >= 0 ? list.filter((item) => item.id !== repair.id) : [...list];
  return isFinal(repair.status) ? others : [...others, repair];
}

/**
 * A fresh list from the API replaces the board, except for repairs that changed after the request
 * was sent: the live stream already has a newer picture of those.
 */
export function replaceList(current: readonly RepairSummaryDto[], fetched: readonly RepairSummaryDto[], requestedAt: number): RepairSummaryDto[] {
  let next = [...fetched];
  for (const item of current) {
    if (Date.parse(item.updatedAt) >= requestedAt) {
      next = mergeRepair(next, item);
    }
  }
  return next;
}

export interface BoardFilter {
  /** Client-side text match on what the board holds (the API searches full phone numbers and IMEIs). */
  text: string;
  overdueOnly: boolean;
  technician: 'all' | 'mine' | 'unassigned';
}

export function filterRepairs(list: readonly RepairSummaryDto[], filter: BoardFilter, userId: string | null, now: Date): RepairSummaryDto[] {
  const text = filter.text.trim().toLowerCase();
  return list.filter((repair) => {
    if (filter.overdueOnly && !isOverdue(repair, now)) {
      return false;
    }
    if (filter.technician === 'mine' && repair.technician?.id !== userId) {
      return false;
    }
    if (filter.technician === 'unassigned' && repair.technician) {
      return false;
    }
    if (!text) {
      return true;
    }
    const haystack = [
      repair.orderNo,
      repair.customer.name,
      repair.customer.phoneMasked,
      repair.device.imei ?? '',
      repair.device.serial ?? '',
      repair.device.brand,
      repair.device.model,
    ]
      .join(' ')
      .toLowerCase();
    return haystack.includes(text) || haystack.replace(/\s/g, '').includes(text.replace(/\s/g, ''));
  });
}

/** Oldest promise first: what is most at risk sits on top of each column. */
export function byPromisedAt(a: RepairSummaryDto, b: RepairSummaryDto): number {
  return Date.parse(a.promisedAt) - Date.parse(b.promisedAt);
}

/** Money in minor units as the customer reads it: ¥128.00. */
export function formatMoney(amount: number, currency: string, locale: string): string {
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(amount / 100);
  } catch {
    return `${(amount / 100).toFixed(2)} ${currency}`;
  }
}

/** Yuan as typed ("128", "128.5") to fen; null when it is not an amount. */
export function parseMoney(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d+(\.\d{1,2})?$/.test(trimmed)) {
    return null;
  }
  return Math.round(Number(trimmed) * 100);
}
