import { useTranslation } from 'react-i18next';
import type { BranchDto, CustomerAuditListDto } from '@frontdesk/contracts';
import { ErrorBanner } from '../../components/screen-state';
import type { ApiClient } from '../../lib/api-client';
import { LOCALE_OF, useLanguage } from '../../lib/i18n';
import { formatDate, formatTime } from '../../lib/time-format';
import { useApiGet } from '../../lib/use-resource';
import { auditRouteLabelKey } from './audit-routes';

/** Admins only: who viewed or changed customer records of the branch in the last 7 days (phones masked by the API). */
export function AuditPanel({ api, branch }: { api: ApiClient; branch: BranchDto }) {
  const { t } = useTranslation();
  const [language] = useLanguage();
  const audit = useApiGet<CustomerAuditListDto>(api, `/api/audit?branchId=${branch.id}&limit=100`);
  const rows = audit.data?.items ?? [];

  return (
    <section className="admin-card admin-card--wide" aria-labelledby="audit-title">
      <header className="admin-card__head">
        <h2 id="audit-title">{t('admin.audit.title')}</h2>
        <p>{t('admin.audit.lead')}</p>
      </header>
      {audit.error !== null && <ErrorBanner error={audit.error} onRetry={audit.reload} />}
      <table className="admin-table" data-testid="audit-table">
        <thead>
          <tr>
            <th>{t('admin.audit.at')}</th>
            <th>{t('admin.audit.who')}</th>
            <th>{t('admin.audit.action')}</th>
            <th>{t('admin.audit.phone')}</th>
            <th>{t('admin.audit.route')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((e) => {
            const label = auditRouteLabelKey(e.route);
            return (
              <tr key={e.id}>
                <td>{`${formatDate(e.at, LOCALE_OF[language], branch.timeZone)} ${formatTime(e.at, branch.timeZone)}`}</td>
                <td className="admin-table__strong">
                  {e.actor.username} <span className="admin-table__muted">({t(`roles.${e.actor.role}`, { defaultValue: e.actor.role })})</span>
                </td>
                <td>{t(`admin.audit.actions.${e.action}`)}</td>
                <td>{e.phoneMasked ?? '—'}</td>
                <td>
                  {label !== null && <span className="admin-table__strong">{t(label)} </span>}
                  <code className="admin-table__muted">{e.route}</code>
                </td>
              </tr>
            );
          })}
          {audit.data && rows.length === 0 && (
            <tr>
              <td colSpan={5} className="admin-table__empty">
                {t('admin.audit.none')}
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}
