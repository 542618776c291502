import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router-dom';
import { Button } from '@frontdesk/ui';
import { clearSession, useSession } from '../lib/session-store';
import { LanguageSwitch } from './language-switch';

/** Top bar of the staff screens: product, screen title, context, who is signed in. */
export function StaffBar({ title, children }: { title: string; children?: ReactNode }) {
  const { t } = useTranslation();
  const session = useSession();
  const { pathname } = useLocation();
  return (
    <header className="app-bar">
      <Link to="/" className="app-bar__brand" aria-label="Frontdesk Live">
        <span className="brand-mark">A1</span>
        <span className="app-bar__brand-text">Frontdesk Live</span>
      </Link>
      <span className="app-bar__title">{title}</span>
      {children}
      <span className="app-bar__spacer" />
      {session && (session.user.role === 'manager' || session.user.role === 'admin') && pathname !== '/manager' && (
        <Link to="/manager" className="app-bar__link">
          {t('manager.title')}
        </Link>
      )}
      {session && (
        <span className="app-bar__user">
          {session.user.displayName} · {t(`roles.${session.user.role}`)}
        </span>
      )}
      <Button size="sm" variant="ghost" onClick={() => clearSession()}>
        {t('auth.signOut')}
      </Button>
      <LanguageSwitch />
    </header>
  );
}
