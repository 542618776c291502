import { normalizeOrderNo } from './repair-order';

/**
 * What the kiosk's fast lane reads from a USB scanner (a keyboard to the browser) or from a pasted pickup SMS:
 * the canonical QR/barcode payload is `FDL-PICKUP:<orderNo>:<pickupCode>`, e.g. `FDL-PICKUP:R20261125-0007:048213`.
 * Any text holding one order number (R + 8-digit day + sequence, dash and R optional) and one separate 6-digit code
 * is accepted too, so the pickup SMS itself ("单号 R20261125-0007 … 取机码 048213") works as well.
 */
export const PICKUP_SCAN_PREFIX = 'FDL-PICKUP:';

export function formatPickupScan(orderNo: string, pickupCode: string): string {
  return `${PICKUP_SCAN_PREFIX}${orderNo}:${pickupCode}`;
}

const ORDER_NO = /R?\s*([0-9]{8})\s*-?\s*([0-9]{4,})/i;
const CODE = /(?<![0-9])[0-9]{6}(?![0-9])/;

export function parsePickupScan(text: string): { orderNo: string; pickupCode: string } | null {
  const order = ORDER_NO.exec(text);
  if (!order) return null;
  // The code is looked for outside the order number, so the order's own digits are never taken for it.
  const rest = text.slice(0, order.index) + ' ' + text.slice(order.index + order[0].length);
  const code = CODE.exec(rest);
  if (!code) return null;
  return { orderNo: normalizeOrderNo(`R${order[1]}-${order[2]}`), pickupCode: code[0] };
}
