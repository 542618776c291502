import { DateTime } from 'luxon';
import type { WarrantyStatus } from '@frontdesk/contracts';
import { localDay } from './numbering';

/** The branch's service promise (三包): DOMAIN.md defaults, each a branch setting. */
export interface WarrantyPolicy {
  returnDays: number;
  exchangeDays: number;
  repairMonths: number;
}
export const DEFAULT_WARRANTY_POLICY: WarrantyPolicy = { returnDays: 7, exchangeDays: 30, repairMonths: 12 };

export interface WarrantyDecision {
  status: WarrantyStatus;
  reason: string;
  reasonZh: string;
  /** Whole branch-local days from purchase to intake; null without a purchase date. */
  daysSincePurchase: number | null;
}

/*
 * Water or drop damage voids the promise (进水/摔坏). Matched on what the customer said (fault) and what staff
 * saw (condition). "Drop" alone is ambiguous in English ("calls drop"), so signal and call drops are not damage.
 */
const WATER = [/进水/, /泡水/, /浸水/, /落水/, /受潮/, /\bwater\b/i, /\bliquid\b/i, /\bwet\b/i, /\bsubmerged\b/i, /\bspill(ed|t)?\b/i];
const DROP = [/摔/, /跌落/, /掉地/, /坠落/, /\bdropped\b/i, /\bfell\b/i, /\bfallen\b/i, /\bdrop(s)?\b(?!\s*(call|calls|signal|connection))/i];
const NOT_DAMAGE = /\b(call|calls|signal|connection|network|wifi|wi-fi)\s+drop/i;

export function damageFound(...texts: (string | null | undefined)[]): 'water' | 'drop' | null {
  const text = texts.filter(Boolean).join(' \n ');
  if (WATER.some((re) => re.test(text))) return 'water';
  const withoutSignal = text.replace(NOT_DAMAGE, ' ');
  if (DROP.some((re) => re.test(withoutSignal))) return 'drop';
  return null;
}

/**
 * The warranty at intake, from the purchase date in the branch's local days:
 * within `returnDays` a return, within `exchangeDays` an exchange, within `repairMonths` free repair, else paid.
 */
export function decideWarranty(input: {
  purchaseDate: string | null | undefined;
  receivedAt: Date;
  timeZone: string;
  fault: string;
  condition?: string | null;
  policy?: WarrantyPolicy;
}): WarrantyDecision {
  const policy = input.policy ?? DEFAULT_WARRANTY_POLICY;
  const today = DateTime.fromISO(localDay(input.receivedAt, input.timeZone), { zone: 'UTC' });
  const bought = input.purchaseDate ? DateTime.fromISO(input.purchaseDate, { zone: 'UTC' }) : null;
  const days = bought?.isValid ? Math.round(today.diff(bought, 'days').days) : null;

  const damage = damageFound(input.fault, input.condition);
  if (damage) {
    return damage === 'water'
      ? { status: 'void', reason: 'water damage voids the warranty', reasonZh: '进水，不在保修范围内', daysSincePurchase: days }
      : { status: 'void', reason: 'drop damage voids the warranty', reasonZh: '摔坏，不在保修范围内', daysSincePurchase: days };
  }
  if (days === null || !bought) {
    return { status: 'out_of_warranty', reason: 'no purchase date: out of warranty unless proven', reasonZh: '无购机日期，按保外处理', daysSincePurchase: null };
  }
  if (days < 0) {
    return { status: 'out_of_warranty', reason: 'purchase date is in the future', reasonZh: '购机日期晚于今天', daysSincePurchase: days };
  }
  if (days <= policy.returnDays) {
    return { status: 'return_window', reason: `bought ${days} days ago: within the ${policy.returnDays}-day return period`, reasonZh: `购机${days}天，${policy.returnDays}天内可退货`, daysSincePurchase: days };
  }
  if (days <= policy.exchangeDays) {
    return { status: 'exchange_window', reason: `bought ${days} days ago: within the ${policy.exchangeDays}-day exchange period`, reasonZh: `购机${days}天，${policy.exchangeDays}天内可换货`, daysSincePurchase: days };
  }
  if (today <= bought.plus({ months: policy.repairMonths })) {
    return { status: 'in_warranty', reason: `bought ${days} days ago: free repair within ${policy.repairMonths} months`, reasonZh: `购机${days}天，${policy.repairMonths}个月内免费保修`, daysSincePurchase: days };
  }
  return { status: 'out_of_warranty', reason: `bought ${days} days ago: past the ${policy.repairMonths}-month warranty`, reasonZh: `购机${days}天，已过${policy.repairMonths}个月保修期`, daysSincePurchase: days };
}
