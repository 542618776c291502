import type { Language } from '@frontdesk/contracts';

/**
 * Counters are named freely ("Counter 3", "3号窗口", "VIP"). Announcements and
 * the wall screen say "3号窗口 / Counter 3" whenever the name holds a number.
 */
export function counterNumber(name: string | null | undefined): string | null {
  if (!name) {
    return null;
  }
  const match = /\d+/.exec(name);
  return match ? String(Number(match[0])) : null;
}

/** The counter as a person should read it in one language. */
export function counterLabel(name: string | null | undefined, language: Language): string {
  const number = counterNumber(name);
  if (number === null) {
    return name ?? '';
  }
  return language === 'zh' ? `${number}号窗口` : `Counter ${number}`;
}
