import { useTranslation } from 'react-i18next';
import type { Language } from '@frontdesk/contracts';
import { LanguageToggle } from '@frontdesk/ui';
import { LANGUAGE_OPTIONS, chooseLanguage, useLanguage } from '../lib/i18n';

/** The 中文 / English toggle on every screen. `remember=false` for shared kiosks. */
export function LanguageSwitch({ size = 'sm', remember = true, className }: { size?: 'sm' | 'lg'; remember?: boolean; className?: string }) {
  const { t } = useTranslation();
  const [language] = useLanguage();
  return (
    <LanguageToggle<Language>
      value={language}
      options={LANGUAGE_OPTIONS}
      onChange={(next) => chooseLanguage(next, remember)}
      label={t('common.language')}
      size={size}
      className={className}
    />
  );
}
