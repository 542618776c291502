import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TicketDto } from '@frontdesk/contracts';
import { Button, Dialog, ServiceBadge } from '@frontdesk/ui';
import { useLanguage } from '../../lib/i18n';
import { pickText } from '../../lib/i18n-text';
import type { SnapshotService } from '../../lib/live-queue-state';
import { CALL_REASONS, PAUSE_REASONS } from './ticket-rules';

interface ReasonPickerProps {
  presets: readonly { value: string; label: string }[];
  value: string;
  other: string;
  onValue: (value: string) => void;
  onOther: (text: string) => void;
  otherLabel: string;
}

const OTHER = '__other__';

function ReasonPicker({ presets, value, other, onValue, onOther, otherLabel }: ReasonPickerProps) {
  const { t } = useTranslation();
  return (
    <div className="reason-picker">
      <div className="choice-grid" role="radiogroup">
        {presets.map((preset) => (
          <button
            key={preset.value}
            type="button"
            role="radio"
            aria-checked={value === preset.value}
            aria-pressed={value === preset.value}
            className="choice"
            onClick={() => onValue(preset.value)}
          >
            {preset.label}
          </button>
        ))}
        <button type="button" role="radio" aria-checked={value === OTHER} aria-pressed={value === OTHER} className="choice" onClick={() => onValue(OTHER)}>
          {t('counter.reasons.other')}
        </button>
      </div>
      {value === OTHER && (
        <label className="field reason-picker__other">
          <span className="field__label">{otherLabel}</span>
          <input className="input" value={other} maxLength={200} autoFocus onChange={(e) => onOther(e.target.value)} />
        </label>
      )}
    </div>
  );
}

function resolveReason(value: string, other: string): string {
  return value === OTHER ? other.trim() : value;
}

export function PauseDialog({ open, onClose, onConfirm }: { open: boolean; onClose: () => void; onConfirm: (reason: string) => void }) {
  const { t } = useTranslation();
  const [value, setValue] = useState<string>('lunch');
  const [other, setOther] = useState('');
  const reason = resolveReason(value, other);
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={t('counter.pauseTitle')}
      actions={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button variant="warning" disabled={!reason} onClick={() => onConfirm(reason)}>
            {t('counter.pause')}
          </Button>
        </>
      }
    >
      <p className="dialog-lead">{t('counter.pauseLead')}</p>
      <ReasonPicker
        presets={PAUSE_REASONS.map((code) => ({ value: code, label: t(`counter.pauseReasons.${code}`) }))}
        value={value}
        other={other}
        onValue={setValue}
        onOther={setOther}
        otherLabel={t('counter.reasons.otherLabel')}
      />
    </Dialog>
  );
}

export function CallReasonDialog({ ticket, onClose, onConfirm }: { ticket: TicketDto | null; onClose: () => void; onConfirm: (reason: string) => void }) {
  const { t } = useTranslation();
  const [value, setValue] = useState<string>('');
  const [other, setOther] = useState('');
  const presets = CALL_REASONS.map((code) => ({ value: t(`counter.callReasons.${code}`), label: t(`counter.callReasons.${code}`) }));
  const reason = resolveReason(value, other);
  return (
    <Dialog
      open={ticket !== null}
      onClose={onClose}
      title={t('counter.callThisTitle', { number: ticket?.number ?? '' })}
      actions={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button variant="primary" disabled={!reason} onClick={() => onConfirm(reason)}>
            {t('counter.callThis')}
          </Button>
        </>
      }
    >
      <p className="dialog-lead">{t('counter.callThisLead')}</p>
      <ReasonPicker presets={presets} value={value} other={other} onValue={setValue} onOther={setOther} otherLabel={t('counter.reasons.otherLabel')} />
    </Dialog>
  );
}

export function TransferDialog({
  ticket,
  services,
  onClose,
  onConfirm,
}: {
  ticket: TicketDto | null;
  services: SnapshotService[];
  onClose: () => void;
  onConfirm: (serviceId: string) => void;
}) {
  const { t } = useTranslation();
  const [language] = useLanguage();
  const targets = services.filter((s) => s.serviceId !== ticket?.serviceId);
  return (
    <Dialog
      open={ticket !== null}
      onClose={onClose}
      title={t('counter.transferTitle', { number: ticket?.number ?? '' })}
      actions={<Button onClick={onClose}>{t('common.cancel')}</Button>}
    >
      <p className="dialog-lead">{t('counter.transferLead')}</p>
      <div className="transfer-list">
        {targets.map((service) => (
          <button key={service.serviceId} type="button" className="transfer-option" onClick={() => onConfirm(service.serviceId)} disabled={!service.open}>
            <ServiceBadge code={service.code} size="lg" />
            <span className="transfer-option__name">
              {pickText(service.name, language)}
              {!service.open && <small> · {t('counterStatus.closed')}</small>}
            </span>
            <span className="transfer-option__meta">{t('counter.waitingCount', { count: service.waiting })}</span>
          </button>
        ))}
        {targets.length === 0 && <p>{t('counter.noTransferTargets')}</p>}
      </div>
    </Dialog>
  );
}

export function ConfirmDialog({
  open,
  title,
  body,
  confirmLabel,
  onClose,
  onConfirm,
}: {
  open: boolean;
  title: string;
  body: string;
  confirmLabel: string;
  onClose: () => void;
  onConfirm: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={title}
      size="sm"
      actions={
        <>
          <Button onClick={onClose} autoFocus>
            {t('common.cancel')}
          </Button>
          <Button variant="danger" onClick={onConfirm}>
            {confirmLabel}
          </Button>
        </>
      }
    >
      <p className="dialog-lead">{body}</p>
    </Dialog>
  );
}
