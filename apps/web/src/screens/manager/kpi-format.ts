import type en from '../../i18n/en.json';
import type { KpiValue } from '@frontdesk/contracts';

/** A KPI's value as the tile shows it: minutes for waits, hours for turnaround, percent for rates. */
export function formatKpi(k: Pick<KpiValue, 'key' | 'unit'>, v: number | null | undefined): { value: string; unit: string } {
  if (v === null || v === undefined) return { value: '—', unit: '' };
  switch (k.unit) {
    case 'ratio':
      return { value: String(Math.round(v * 1000) / 10), unit: '%' };
    case 'seconds':
      if (v >= 86400 * 2 || k.key === 'repairs.turnaround.avg') return { value: (v / 3600).toFixed(1), unit: 'h' };
      if (v >= 120) return { value: (v / 60).toFixed(1), unit: 'min' };
      return { value: String(Math.round(v)), unit: 's' };
    case 'score':
      return { value: v.toFixed(2), unit: '' };
    default:
      return { value: String(Math.round(v)), unit: '' };
  }
}

type Manager = (typeof en)['manager'];
/** i18n key of a KPI's label (dots of the key become underscores: i18next nests on dots). */
export const kpiLabelKey = (key: string) => `manager.kpi.${key.replace(/\./g, '_')}` as `manager.kpi.${keyof Manager['kpi']}`;
export const repairStateKey = (state: string) => `manager.repairStates.${state}` as `manager.repairStates.${keyof Manager['repairStates']}`;
export const breakdownTitleKey = (kind: string) => `manager.charts.${kind.replace(/\./g, '_')}` as `manager.charts.${keyof Manager['charts']}`;
