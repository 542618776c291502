import i18n from 'i18next';
import { useEffect } from 'react';
import { initReactI18next, useTranslation } from 'react-i18next';
import type { Language } from '@frontdesk/contracts';
import en from '../i18n/en.json';
import zh from '../i18n/zh.json';

/**
 * Language rules: an explicit choice (the toggle) is kept in localStorage and
 * wins; without one, a screen follows its branch's default language.
 */
const STORAGE_KEY = 'frontdesk.language';

export const resources = {
  en: { translation: en satisfies typeof zh },
  zh: { translation: zh satisfies typeof en },
} as const;

export const LANGUAGE_OPTIONS: { value: Language; label: string }[] = [
  { value: 'zh', label: '中文' },
  { value: 'en', label: 'English' },
];

/** BCP 47 tags for Intl formatting and for <html lang>, which picks CJK glyph forms. */
export const LOCALE_OF: Record<Language, string> = { zh: 'zh-CN', en: 'en-GB' };

function isLanguage(value: unknown): value is Language {
  return value === 'zh' || value === 'en';
}

export function storedLanguage(): Language | null {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY);
    return isLanguage(value) ? value : null;
  } catch {
    return null;
  }
}

export function initI18n(): typeof i18n {
  void i18n.use(initReactI18next).init({
    resources,
    lng: storedLanguage() ?? 'zh',
    fallbackLng: 'zh',
    supportedLngs: ['zh', 'en'],
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  const applyHtmlLang = (lng: string) => {
    document.documentElement.lang = isLanguage(lng) ? LOCALE_OF[lng] : lng;
  };
  applyHtmlLang(i18n.language);
  i18n.on('languageChanged', applyHtmlLang);
  return i18n;
}

export function currentLanguage(): Language {
  return isLanguage(i18n.language) ? i18n.language : 'zh';
}

/** The toggle: switch and remember. */
export function chooseLanguage(language: Language, remember = true): void {
  if (remember) {
    try {
      window.localStorage.setItem(STORAGE_KEY, language);
    } catch {
      // Storage unavailable: the choice lasts for this page.
    }
  }
  void i18n.changeLanguage(language);
}

/** Follow the branch's default unless the person has chosen a language. */
export function useBranchDefaultLanguage(defaultLanguage: Language | null | undefined): void {
  useEffect(() => {
    if (defaultLanguage && !storedLanguage()) {
      void i18n.changeLanguage(defaultLanguage);
    }
  }, [defaultLanguage]);
}

/** Current language plus a setter, for the toggle on every screen. */
export function useLanguage(): [Language, (language: Language) => void] {
  const { i18n: instance } = useTranslation();
  const language = isLanguage(instance.language) ? instance.language : 'zh';
  return [language, (next) => chooseLanguage(next)];
}

/** A translator pinned to one language (the wall screen shows and speaks both). */
export function fixedT(language: Language) {
  return i18n.getFixedT(language);
}

export { i18n };
