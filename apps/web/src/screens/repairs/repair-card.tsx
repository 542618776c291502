import { useTranslation } from 'react-i18next';
import type { RepairSummaryDto } from '@frontdesk/contracts';
import { StatusPill } from '@frontdesk/ui';
import { formatTime } from '../../lib/time-format';
import { WARRANTY_TONE } from './repair-model';

interface RepairCardProps {
  repair: RepairSummaryDto;
  overdue: boolean;
  timeZone: string;
  selected: boolean;
  onOpen: () => void;
}

function promisedLabel(iso: string, timeZone: string, now: Date): string {
  const date = new Date(iso);
  const sameDay = date.toLocaleDateString('en-CA', { timeZone }) === now.toLocaleDateString('en-CA', { timeZone });
  const day = date.toLocaleDateString('en-CA', { timeZone, month: '2-digit', day: '2-digit' });
  return sameDay ? formatTime(iso, timeZone) : `${day} ${formatTime(iso, timeZone)}`;
}

/** One repair on the board: order number, device, customer, promise; red when overdue. */
export function RepairCard({ repair, overdue, timeZone, selected, onOpen }: RepairCardProps) {
  const { t } = useTranslation();
  const now = new Date();
  return (
    <button
      type="button"
      className={['repair-card', overdue ? 'repair-card--overdue' : '', selected ? 'repair-card--selected' : '', repair.repeatOf ? 'repair-card--repeat' : '']
        .filter(Boolean)
        .join(' ')}
      onClick={onOpen}
      data-order={repair.orderNo}
    >
      <span className="repair-card__top">
        <span className="repair-card__order tabular">{repair.orderNo}</span>
        {repair.repeatOf && <StatusPill tone="danger">{t('repairs.repeat')}</StatusPill>}
      </span>
      <span className="repair-card__device">
        {repair.device.brand} {repair.device.model}
      </span>
      <span className="repair-card__fault">{repair.fault}</span>
      <span className="repair-card__meta">
        <span>
          {repair.customer.name} · {repair.customer.phoneMasked}
        </span>
      </span>
      <span className="repair-card__foot">
        <StatusPill tone={WARRANTY_TONE[repair.warranty.status]}>{t(`repairs.warranty.${repair.warranty.status}`)}</StatusPill>
        {repair.quote && (
          <StatusPill tone={repair.quote.decision === 'approved' ? 'success' : repair.quote.decision === 'refused' ? 'danger' : 'warning'}>
            {t(`repairs.quoteDecision.${repair.quote.decision}`)}
          </StatusPill>
        )}
        {repair.pickup.locked && <StatusPill tone="danger">{t('repairs.pickup.lockedShort')}</StatusPill>}
        <span className={`repair-card__promise ${overdue ? 'repair-card__promise--late' : ''}`}>
          {overdue ? t('repairs.overdue') : t('repairs.promised')} {promisedLabel(repair.promisedAt, timeZone, now)}
        </span>
      </span>
      <span className="repair-card__tech">{repair.technician ? repair.technician.name : t('repairs.unassigned')}</span>
    </button>
  );
}
