import { useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { normalizeOrderNo, parsePickupScan } from '@frontdesk/domain';
import { Button } from '@frontdesk/ui';
import { isApiError } from '../../lib/api-client';
import { PhoneKeypad } from './phone-keypad';

export interface PickupEntry {
  orderNo: string;
  pickupCode: string;
}

interface PickupFormProps {
  busy: boolean;
  error: unknown;
  onSubmit: (entry: PickupEntry) => void;
  onBack: () => void;
}

type Field = 'orderNo' | 'pickupCode';

const ORDER_NO = /^R[0-9]{8}-[0-9]{4,}$/;
const CODE = /^[0-9]{6}$/;

/**
 * The fast lane: order number and 6-digit pickup code from the pickup SMS, typed on the keypad or read by a USB
 * scanner (it types `FDL-PICKUP:<orderNo>:<code>` and Enter into the focused field; see docs/notifications.md).
 */
export function PickupForm({ busy, error, onSubmit, onBack }: PickupFormProps) {
  const { t } = useTranslation();
  const [orderNo, setOrderNo] = useState('');
  const [code, setCode] = useState('');
  const [field, setField] = useState<Field>('orderNo');
  const codeInput = useRef<HTMLInputElement>(null);
  const normalized = normalizeOrderNo(orderNo);
  const ready = ORDER_NO.test(normalized) && CODE.test(code);

  const submit = () => {
    if (ready && !busy) onSubmit({ orderNo: normalized, pickupCode: code });
  };

  // A scanner types the whole payload, character by character, into the focused field: the text is kept as typed
  // until it holds both parts, then split into the two fields (Enter, which scanners send last, submits).
  const takeTyped = (target: Field, value: string) => {
    const scanned = /[^0-9\s]/.test(value) ? parsePickupScan(value) : null;
    if (scanned && (target === 'orderNo' || value.includes(':'))) {
      setOrderNo(scanned.orderNo);
      setCode(scanned.pickupCode);
    } else if (target === 'orderNo') setOrderNo(value.toUpperCase().slice(0, 64));
    else setCode(value.replace(/[^0-9]/g, '').slice(0, 6));
  };

  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    const scanned = parsePickupScan(e.currentTarget.value);
    if (scanned && !busy) onSubmit(scanned);
    else if (ready) submit();
    else if (field === 'orderNo') codeInput.current?.focus();
  };

  const message = error ? pickupErrorText(error, t) : null;
  const keypadValue = field === 'orderNo' ? orderNo.replace(/[^0-9]/g, '') : code;
  const onKeypad = (digits: string) => {
    if (field === 'pickupCode') setCode(digits.slice(0, 6));
    else setOrderNo(digits.slice(0, 12));
  };

  return (
    <section className="kiosk-options kiosk-pickup" aria-labelledby="kiosk-pickup-title">
      <div className="kiosk-panel kiosk-panel--phone">
        <h1 id="kiosk-pickup-title" className="kiosk-panel__title">
          {t('kiosk.pickup.title')}
        </h1>
        <p className="kiosk-panel__hint">{t('kiosk.pickup.hint')}</p>
        <PhoneKeypad value={keypadValue} onChange={onKeypad} />
      </div>
      <div className="kiosk-options__side">
        <div className="kiosk-panel kiosk-pickup__fields">
          <label className="kiosk-pickup__label" htmlFor="kiosk-pickup-order">
            {t('kiosk.pickup.orderNo')}
          </label>
          <input
            id="kiosk-pickup-order"
            className={`kiosk-pickup__input ${field === 'orderNo' ? 'kiosk-pickup__input--active' : ''}`}
            inputMode="none"
            autoComplete="off"
            autoFocus
            placeholder="R20260101-0001"
            value={orderNo}
            onFocus={() => setField('orderNo')}
            onChange={(e) => takeTyped('orderNo', e.target.value)}
            onKeyDown={onKey}
          />
          <label className="kiosk-pickup__label" htmlFor="kiosk-pickup-code">
            {t('kiosk.pickup.code')}
          </label>
          <input
            id="kiosk-pickup-code"
            ref={codeInput}
            className={`kiosk-pickup__input kiosk-pickup__input--code ${field === 'pickupCode' ? 'kiosk-pickup__input--active' : ''}`}
            inputMode="none"
            autoComplete="off"
            placeholder="••••••"
            value={code}
            onFocus={() => setField('pickupCode')}
            onChange={(e) => takeTyped('pickupCode', e.target.value)}
            onKeyDown={onKey}
          />
          <p className="kiosk-panel__note">{t('kiosk.pickup.scanHint')}</p>
          {message && (
            <p className="kiosk-panel__error" role="alert">
              {message}
            </p>
          )}
        </div>
        <div className="kiosk-options__actions">
          <Button size="xl" variant="primary" block onClick={submit} disabled={!ready || busy} className="kiosk-options__submit">
            {busy ? t('kiosk.issuing') : t('kiosk.pickup.submit')}
          </Button>
          <Button size="xl" variant="secondary" block onClick={onBack}>
            {t('kiosk.back')}
          </Button>
        </div>
      </div>
    </section>
  );
}

/** Plain words for each refusal of the fast lane; the API's own message stays out of a customer's sight. */
function pickupErrorText(error: unknown, t: TFunction): string {
  if (!isApiError(error) || error.outcomeUnknown) return t('kiosk.errors.network');
  const message = error.body?.message ?? '';
  switch (error.status) {
    case 400:
    case 403:
      return t('kiosk.pickup.errors.noMatch');
    case 423:
      return t('kiosk.pickup.errors.locked');
    case 409:
      return /clos|no pickup service/i.test(message) ? t('kiosk.pickup.errors.serviceClosed') : t('kiosk.pickup.errors.notReady');
    case 429:
      return t('kiosk.errors.waitAMoment');
    default:
      return t('kiosk.errors.tryAgain');
  }
}
