import { useTranslation } from 'react-i18next';
import { ConnectionIndicator } from '@frontdesk/ui';
import type { LiveConnection } from '../lib/live-socket';

export function LiveIndicator({ connection, timeZone, size }: { connection: LiveConnection; timeZone?: string; size?: 'sm' | 'lg' }) {
  const { t } = useTranslation();
  return (
    <ConnectionIndicator
      status={connection.status}
      since={connection.since}
      timeZone={timeZone}
      size={size}
      labels={{
        live: t('connection.live'),
        connecting: t('connection.connecting'),
        reconnecting: t('connection.reconnecting'),
        offline: t('connection.offline'),
        since: t('connection.since'),
      }}
    />
  );
}
