import { useTranslation } from 'react-i18next';
import { KPI_DEFINITIONS, type KpiResponse, type KpiValue } from '@frontdesk/contracts';
import { StatTile, type Tone } from '@frontdesk/ui';
import { formatKpi, kpiLabelKey, repairStateKey } from './kpi-format';

const TONE: Record<KpiValue['status'], Tone> = { ok: 'success', warn: 'warning', breach: 'danger' };
const GROUPS = ['lobby', 'hotline', 'repairs', 'sms', 'callbacks', 'satisfaction'] as const;
/** Shown inside another tile's footnote rather than as tiles of their own. */
const FOLDED = /^(hotline\.agents\.(on_call|wrap_up|paused)|repairs\.open\.)/;

function directionOf(key: string) {
  return KPI_DEFINITIONS.find((d) => d.key === key)?.direction ?? 'lower_better';
}

/** Every KPI as a tile, grouped by capability; amber and red when its target is near or breached. */
export function KpiTiles({ data }: { data: Pick<KpiResponse, 'kpis'> }) {
  const { t } = useTranslation();
  const byKey = new Map(data.kpis.map((k) => [k.key, k]));
  const valueOf = (key: string) => byKey.get(key as KpiValue['key'])?.value ?? 0;
  return (
    <div className="mgr-groups">
      {GROUPS.filter((group) => data.kpis.some((k) => k.key.startsWith(`${group}.`))).map((group) => (
        <section key={group} className="mgr-group" aria-label={t(`manager.groups.${group}`)}>
          <h3 className="mgr-group__title">{t(`manager.groups.${group}`)}</h3>
          <div className="mgr-tiles">
            {data.kpis
              .filter((k) => k.key.startsWith(`${group}.`) && !FOLDED.test(k.key))
              .map((k) => {
                const shown = formatKpi(k, k.value);
                const target = k.target !== undefined ? formatKpi(k, k.target) : null;
                let footnote: string | null = target
                  ? t(directionOf(k.key) === 'higher_better' ? 'manager.targetAtLeast' : 'manager.targetAtMost', {
                      value: `${target.value}${target.unit ? ` ${target.unit}` : ''}`,
                    })
                  : null;
                if (!k.available) footnote = t('manager.notAvailable');
                if (k.key === 'hotline.agents.available') {
                  footnote = t('manager.agentsDetail', {
                    onCall: valueOf('hotline.agents.on_call'),
                    wrapUp: valueOf('hotline.agents.wrap_up'),
                    paused: valueOf('hotline.agents.paused'),
                  });
                }
                if (k.key === 'repairs.open') {
                  footnote = ['received', 'diagnosing', 'awaiting_approval', 'awaiting_parts', 'repairing', 'qa']
                    .map((s) => `${t(repairStateKey(s))} ${valueOf(`repairs.open.${s}`)}`)
                    .join(' · ');
                }
                return (
                  <div key={k.key} data-kpi={k.key} data-status={k.status} data-value={k.value ?? ''} className="mgr-tile">
                    <StatTile
                      label={t(kpiLabelKey(k.key))}
                      value={k.available ? shown.value : t('manager.na')}
                      unit={k.available ? shown.unit : undefined}
                      tone={!k.available || k.value === null || k.target === undefined ? 'neutral' : TONE[k.status]}
                      footnote={footnote}
                    />
                  </div>
                );
              })}
          </div>
        </section>
      ))}
    </div>
  );
}
