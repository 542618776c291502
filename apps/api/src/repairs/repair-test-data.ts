import type { CreateRepairRequest } from '@frontdesk/contracts';
import { imeiFrom } from '@frontdesk/domain';

export { imeiFrom };

let n = 0;
/** A fresh device each call unless an IMEI is given: repeat detection spans branches, so tests must not share devices by accident. */
export function uniqueImei(): string {
  n += 1;
  return imeiFrom(`35${String(Date.now() % 1e8).padStart(8, '0')}${String(n % 10000).padStart(4, '0')}`);
}

export function intake(over: Partial<CreateRepairRequest> = {}): CreateRepairRequest {
  return {
    customer: { name: '陈小明', phone: '13800138000' },
    device: { brand: 'Huawei', model: 'P60', imei: uniqueImei() },
    fault: 'screen flickers',
    condition: 'light scratches on the back',
    accessories: ['charger'],
    purchaseDate: daysAgo(60),
    notify: 'sms',
    ...over,
  };
}

/** A UTC calendar date this many days back (far enough from any branch's midnight for warranty windows). */
export function daysAgo(days: number): string {
  return new Date(Date.now() - days * 86400_000).toISOString().slice(0, 10);
}
