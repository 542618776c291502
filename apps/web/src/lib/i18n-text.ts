import type { I18nText, Language } from '@frontdesk/contracts';

/** Picks a bilingual API text in the given language. */
export function pickText(text: I18nText | null | undefined, language: Language): string {
  if (!text) {
    return '';
  }
  return text[language] || text.zh || text.en;
}

/** The other language's text, for bilingual labels. */
export function otherText(text: I18nText | null | undefined, language: Language): string {
  return pickText(text, language === 'zh' ? 'en' : 'zh');
}
