import type { Language, NotificationTemplate } from '@frontdesk/contracts';

/** Built-in texts; a manager may replace any of them per branch and language. */
export const DEFAULT_SMS_TEMPLATES: Record<NotificationTemplate, Record<Language, string>> = {
  pickup_ready: {
    zh: '您好，您的手机（单号 {orderNo}）已修好，请凭取机码 {pickupCode} 到{branchName}取机。营业时间 {openingHours}。',
    en: 'Hello, your phone (order {orderNo}) is repaired. Please collect it at {branchName} with pickup code {pickupCode}. Opening hours {openingHours}.',
  },
  pickup_reminder: {
    zh: '您好，您的手机（单号 {orderNo}）已修好 {days} 天，尚未取机。请凭取机码 {pickupCode} 到{branchName}取机。营业时间 {openingHours}。',
    en: 'Reminder: your phone (order {orderNo}) has been ready for {days} days. Please collect it at {branchName} with pickup code {pickupCode}. Opening hours {openingHours}.',
  },
  promise_slipped: {
    zh: '您好，很抱歉，您的手机（单号 {orderNo}）预计完成时间改为 {promisedAt}。{branchName}',
    en: 'Sorry: your phone (order {orderNo}) will now be ready by {promisedAt}. {branchName}',
  },
  lobby_near: {
    zh: '您好，您的号码 {ticketNumber} 前面还有 {ahead} 位，请回到{branchName}大厅等候叫号。',
    en: 'Your number {ticketNumber} is {ahead} places from being called. Please return to the {branchName} lobby.',
  },
};

/** The placeholders each template may use; an edit naming another one is refused. */
export const SMS_TEMPLATE_PLACEHOLDERS: Record<NotificationTemplate, readonly string[]> = {
  pickup_ready: ['orderNo', 'pickupCode', 'branchName', 'openingHours'],
  pickup_reminder: ['orderNo', 'pickupCode', 'branchName', 'openingHours', 'days'],
  promise_slipped: ['orderNo', 'promisedAt', 'branchName'],
  lobby_near: ['ticketNumber', 'ahead', 'branchName'],
};

const PLACEHOLDER = /\{([a-zA-Z]+)\}/g;

/** Placeholders in `body` that `template` does not offer (a typo would otherwise reach customers as "{ordreNo}"). */
export function unknownPlaceholders(template: NotificationTemplate, body: string): string[] {
  const allowed = new Set(SMS_TEMPLATE_PLACEHOLDERS[template]);
  return [...new Set([...body.matchAll(PLACEHOLDER)].map((m) => m[1] ?? ''))].filter((p) => !allowed.has(p));
}

/** Fills `{name}` placeholders; a value missing from `vars` is left visible rather than silently dropped. */
export function renderSms(body: string, vars: Record<string, string | number | null | undefined>): string {
  return body.replace(PLACEHOLDER, (whole, name: string) => {
    const v = vars[name];
    return v === undefined || v === null ? whole : String(v);
  });
}

// GSM 03.38 basic set: anything outside it (Chinese, emoji, curly quotes) makes the whole message UCS-2.
const GSM7 = /^[@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&'()*+,\-./0-9:;<=>?¡A-ZÄÖÑÜ§¿a-zäöñüà^{}\\[~\]|€]*$/;

/** How many SMS a text costs: 160/153 characters per part in GSM-7, 70/67 in UCS-2 (any Chinese character). */
export function smsSegments(text: string): { characters: number; encoding: 'gsm7' | 'ucs2'; segments: number } {
  const characters = Array.from(text).length;
  const encoding = GSM7.test(text) ? 'gsm7' : 'ucs2';
  const [single, part] = encoding === 'gsm7' ? [160, 153] : [70, 67];
  return { characters, encoding, segments: characters === 0 ? 0 : characters <= single ? 1 : Math.ceil(characters / part) };
}
