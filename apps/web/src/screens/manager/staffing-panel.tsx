import { useTranslation } from 'react-i18next';
import type { StaffingResponse } from '@frontdesk/contracts';
import { useLanguage } from '../../lib/i18n';
import { pickText } from '../../lib/i18n-text';

/** Next hour's counters per service and hotline agents beside those open now, with the load they come from. */
export function StaffingPanel({ data }: { data: StaffingResponse | undefined }) {
  const { t } = useTranslation();
  const [language] = useLanguage();
  return (
    <section className="mgr-panel mgr-staffing" aria-label={t('manager.staffing.title')}>
      <header className="mgr-panel__head">
        <h2>{t('manager.staffing.title')}</h2>
        <span className="mgr-muted">{t('manager.staffing.basis', { minutes: data?.measuredOverMinutes ?? 60 })}</span>
      </header>
      <table className="mgr-table">
        <thead>
          <tr>
            <th>{t('manager.staffing.line')}</th>
            <th>{t('manager.staffing.arrivals')}</th>
            <th>{t('manager.staffing.handle')}</th>
            <th>{t('manager.staffing.needed')}</th>
            <th>{t('manager.staffing.open')}</th>
          </tr>
        </thead>
        <tbody>
          {(data?.lines ?? []).map((l) => {
            const short = l.needed > l.openNow;
            return (
              <tr key={l.key} data-staffing={l.key} className={short ? 'mgr-row--short' : ''}>
                <td>{l.key === 'hotline' ? t('manager.staffing.hotline') : `${l.code ?? ''} ${l.names ? pickText(l.names, language) : l.label}`}</td>
                <td className="tabular">{Math.round(l.arrivalsPerHour * 10) / 10}</td>
                <td className="tabular">{Math.round(l.handleSeconds / 6) / 10} min</td>
                <td className="tabular mgr-strong">{l.needed}</td>
                <td className="tabular">
                  {l.openNow}
                  {short && <span className="mgr-short">{t('manager.staffing.openMore', { n: l.needed - l.openNow })}</span>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
