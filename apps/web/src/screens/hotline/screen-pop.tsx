import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BranchDto, CustomerDto, HotlineCallDto } from '@frontdesk/contracts';
import { StatusPill } from '@frontdesk/ui';
import { isApiError, type ApiClient } from '../../lib/api-client';
import { formatDate } from '../../lib/time-format';

type Lookup = { state: 'idle' } | { state: 'loading' } | { state: 'found'; customer: CustomerDto } | { state: 'unknown' } | { state: 'error' };

/** The caller's record, found by number when a call is answered: "where is my phone?" in seconds. */
export function ScreenPop({ api, branch, call }: { api: ApiClient; branch: BranchDto; call: HotlineCallDto | null }) {
  const { t, i18n } = useTranslation();
  const [lookup, setLookup] = useState<Lookup>({ state: 'idle' });
  const phone = call?.callerNumber ?? null;

  useEffect(() => {
    if (!phone) {
      setLookup({ state: 'idle' });
      return;
    }
    const controller = new AbortController();
    setLookup({ state: 'loading' });
    api.get<CustomerDto>(`/api/customers/by-phone?phone=${encodeURIComponent(phone)}&branchId=${branch.id}`, { signal: controller.signal }).then(
      (customer) => setLookup({ state: 'found', customer }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setLookup(isApiError(error) && (error.status === 404 || error.status === 400) ? { state: 'unknown' } : { state: 'error' });
      },
    );
    return () => controller.abort();
  }, [api, branch.id, phone]);

  return (
    <div className="hotline-pop" aria-live="polite">
      <h2>{t('hotline.pop.title')}</h2>
      {!call && <p className="hotline-empty">{t('hotline.pop.none')}</p>}
      {call && (
        <p className="hotline-pop__number tabular">
          {call.callerNumber ?? t('hotline.unknownNumber')} · {call.queue}
        </p>
      )}
      {lookup.state === 'loading' && <p className="hotline-empty">{t('hotline.pop.loading')}</p>}
      {lookup.state === 'unknown' && <p className="hotline-empty">{t('hotline.pop.unknown')}</p>}
      {lookup.state === 'error' && <p className="hotline-empty">{t('hotline.pop.error')}</p>}
      {lookup.state === 'found' && (
        <div className="hotline-pop__customer">
          <strong>{lookup.customer.name || t('hotline.pop.noName')}</strong>
          {lookup.customer.repairs.length === 0 && <p className="hotline-empty">{t('hotline.pop.noRepairs')}</p>}
          <ul className="hotline-pop__repairs">
            {lookup.customer.repairs.map((r) => (
              <li key={r.id}>
                <span className="tabular">{r.orderNo}</span>
                <span>
                  {r.device.brand} {r.device.model}
                </span>
                <StatusPill tone={r.status === 'ready_for_pickup' ? 'success' : r.status === 'picked_up' || r.status === 'cancelled' ? 'neutral' : 'brand'}>
                  {t(`repairs.status.${r.status}`)}
                </StatusPill>
                <span className="hotline-pop__date">{formatDate(r.createdAt, i18n.language, branch.timeZone)}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
