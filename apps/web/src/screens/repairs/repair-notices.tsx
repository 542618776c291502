import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { NotificationDto, NotificationStatus } from '@frontdesk/contracts';
import { StatusPill, type Tone } from '@frontdesk/ui';
import type { ApiClient } from '../../lib/api-client';
import { formatDateTime } from './zoned-time';

const TONE: Record<NotificationStatus, Tone> = { queued: 'brand', scheduled: 'neutral', sent: 'success', failed: 'danger', cancelled: 'neutral' };
/** While something is still to go out, the list is refreshed this often (the worker sends without telling this screen). */
const REFRESH_MS = 5000;

/** The SMS notices of one repair: what went out, what is scheduled, what failed and why. */
export function RepairNotices({ api, repairId, version, locale, timeZone }: { api: ApiClient; repairId: string; version: string; locale: string; timeZone: string }) {
  const { t } = useTranslation();
  const [list, setList] = useState<NotificationDto[] | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = () =>
      api.get<NotificationDto[]>(`/api/notifications?repairId=${repairId}`, { signal: controller.signal }).then(
        (rows) => {
          if (controller.signal.aborted) return;
          setList(rows);
          if (rows.some((n) => n.status === 'queued')) timer = setTimeout(() => void load(), REFRESH_MS);
        },
        () => undefined,
      );
    void load();
    return () => {
      controller.abort();
      if (timer) clearTimeout(timer);
    };
  }, [api, repairId, version]);

  if (!list) return null;
  if (list.length === 0) return <p className="repair-notices__empty">{t('repairs.notices.none')}</p>;
  return (
    <ol className="repair-notices" aria-label={t('repairs.notices.title')}>
      {list.map((n) => (
        <li key={n.id} data-status={n.status}>
          <span className="repair-notices__what">
            {t(`repairs.notices.template.${n.template}`)}
            <small className="tabular"> {n.to}</small>
          </span>
          <StatusPill tone={TONE[n.status]}>{t(`repairs.notices.status.${n.status}`)}</StatusPill>
          <span className="repair-notices__when tabular">
            {n.status === 'sent' && n.sentAt
              ? formatDateTime(n.sentAt, locale, timeZone)
              : n.status === 'scheduled'
                ? t('repairs.notices.dueAt', { when: formatDateTime(n.dueAt, locale, timeZone) })
                : n.attempts > 0
                  ? t('repairs.notices.attempts', { count: n.attempts })
                  : ''}
          </span>
          {n.error && n.status !== 'cancelled' && <span className="repair-notices__error">{n.error}</span>}
        </li>
      ))}
    </ol>
  );
}
