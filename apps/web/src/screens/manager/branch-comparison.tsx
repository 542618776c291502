import { useTranslation } from 'react-i18next';
import type { KpiResponse } from '@frontdesk/contracts';
import type { Language } from '@frontdesk/contracts';
import { formatKpi, kpiLabelKey } from './kpi-format';

const COLUMNS = [
  'lobby.waiting',
  'lobby.wait.avg',
  'lobby.wait.p90',
  'hotline.sl',
  'hotline.abandon.rate',
  'repairs.open',
  'repairs.overdue',
  'callbacks.overdue',
  'satisfaction.avg',
] as const;

export interface BranchKpis {
  branchId: string;
  code: string;
  nameEn: string;
  nameZh: string;
  kpis: KpiResponse;
}

/** For managers of several branches: the key tiles of each branch side by side, breaches in red. */
export function BranchComparison({ rows, language, onPick }: { rows: BranchKpis[]; language: Language; onPick: (id: string) => void }) {
  const { t } = useTranslation();
  return (
    <section className="mgr-panel" aria-label={t('manager.compare.title')}>
      <header className="mgr-panel__head">
        <h2>{t('manager.compare.title')}</h2>
      </header>
      <div className="mgr-table-wrap">
        <table className="mgr-table">
          <thead>
            <tr>
              <th>{t('manager.compare.branch')}</th>
              {COLUMNS.map((c) => (
                <th key={c}>{t(kpiLabelKey(c))}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.branchId} data-compare-branch={r.code}>
                <td>
                  <button type="button" className="mgr-link" onClick={() => onPick(r.branchId)}>
                    {language === 'zh' ? r.nameZh : r.nameEn}
                  </button>
                </td>
                {COLUMNS.map((c) => {
                  const k = r.kpis.kpis.find((x) => x.key === c);
                  const f = k ? formatKpi(k, k.value) : { value: '—', unit: '' };
                  return (
                    <td key={c} className={`tabular mgr-cell--${k?.status ?? 'ok'}`}>
                      {f.value} {f.unit}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
