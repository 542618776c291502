import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useLocation } from 'react-router-dom';
import type { Role } from '@frontdesk/contracts';
import { Button } from '@frontdesk/ui';
import { clearSession, useSession } from '../lib/session-store';
import { CenteredMessage } from './screen-state';

/** Staff screens: no session → login (coming back here after); wrong role → say so. */
export function RequireUser({ roles, children }: { roles: Role[]; children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  const { t } = useTranslation();
  if (!session) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`/login?next=${encodeURIComponent(next)}`} replace />;
  }
  if (!roles.includes(session.user.role)) {
    return (
      <CenteredMessage
        tone="warning"
        title={t('auth.notAllowedTitle')}
        message={t('auth.notAllowed', { user: session.user.displayName, role: t(`roles.${session.user.role}`) })}
        actions={
          <>
            <Link className="fd-btn fd-btn--secondary fd-btn--md" to="/">
              {t('common.home')}
            </Link>
            <Button variant="primary" onClick={() => clearSession()}>
              {t('auth.switchUser')}
            </Button>
          </>
        }
      />
    );
  }
  return <>{children}</>;
}
