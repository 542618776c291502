import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { BranchDto, PaymentMethod, RepairDto, RepairListDto, RepairSummaryDto, Role } from '@frontdesk/contracts';
import { PAYMENT_METHODS } from '@frontdesk/contracts';
import { MAX_PICKUP_ATTEMPTS } from '@frontdesk/domain';
import { Button, Dialog, StatusPill } from '@frontdesk/ui';
import { ErrorBanner } from '../../components/screen-state';
import { isApiError, type ApiClient } from '../../lib/api-client';
import { LOCALE_OF, useLanguage } from '../../lib/i18n';
import { useActionRunner } from '../../lib/use-action-runner';
import { STATUS_TONE, WARRANTY_TONE, formatMoney, parseMoney } from '../repairs/repair-model';
import { formatDateTime } from '../repairs/zoned-time';

interface RepairPickupProps {
  open: boolean;
  branch: BranchDto;
  api: ApiClient;
  role: Role | null;
  onClose: () => void;
  onDone?: (message: string) => void;
  /** Open straight on this order (a kiosk fast-lane ticket linked to it was called here). */
  repair?: { id: string; orderNo: string } | null;
}

type Step = { kind: 'find' } | { kind: 'order'; repair: RepairSummaryDto } | { kind: 'survey'; repair: RepairSummaryDto };

/** Owes money at pickup: out-of-warranty work with an approved quote, not yet paid. */
function owes(repair: RepairSummaryDto): boolean {
  return repair.quote !== null && repair.quote.decision === 'approved' && repair.payment === null;
}

/**
 * Pickup at the counter: find the order, check the pickup code from the slip (five wrong codes lock
 * it until a manager unlocks it), take payment for out-of-warranty work, then the satisfaction card.
 */
export function RepairPickup({ open, branch, api, role, onClose, onDone, repair: linked = null }: RepairPickupProps) {
  const { t } = useTranslation();
  const [language] = useLanguage();
  const locale = LOCALE_OF[language];
  const { busy, failure, run, dismiss } = useActionRunner();
  const [step, setStep] = useState<Step>({ kind: 'find' });
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<RepairSummaryDto[] | null>(null);
  const [code, setCode] = useState('');
  const [wrong, setWrong] = useState<string | null>(null);
  const [amount, setAmount] = useState('');
  const [method, setMethod] = useState<PaymentMethod>('wechat');
  const [score, setScore] = useState<number | null>(null);
  const [comment, setComment] = useState('');
  const canUnlock = role === 'manager' || role === 'admin';

  const reset = () => {
    setStep({ kind: 'find' });
    setQuery('');
    setFound(null);
    setCode('');
    setWrong(null);
    setScore(null);
    setComment('');
    dismiss();
  };
  const close = () => {
    reset();
    onClose();
  };
  const choose = (repair: RepairSummaryDto) => {
    setStep({ kind: 'order', repair });
    setCode('');
    setWrong(null);
    setAmount(repair.quote ? (repair.quote.amount / 100).toFixed(2) : '');
  };

  const find = (event: FormEvent) => {
    event.preventDefault();
    const q = query.trim();
    if (!q) {
      return;
    }
    void run('find', async () => {
      const list = await api.get<RepairListDto>(`/api/repairs?branchId=${branch.id}&q=${encodeURIComponent(q)}&pageSize=20`);
      setFound(list.items);
      const ready = list.items.filter((r) => r.status === 'ready_for_pickup');
      if (ready.length === 1 && ready[0]) {
        choose(ready[0]);
      }
    });
  };

  const refresh = async (id: string): Promise<RepairSummaryDto> => {
    const repair = await api.get<RepairDto>(`/api/repairs/${id}`);
    setStep({ kind: 'order', repair });
    return repair;
  };

  // The linked order is loaded once per opening; the search stays filled in case the receptionist goes back to it.
  const linkedId = open ? (linked?.id ?? null) : null;
  const linkedOrderNo = linked?.orderNo ?? '';
  useEffect(() => {
    if (!linkedId) {
      return;
    }
    setQuery(linkedOrderNo);
    void run('find', async () => {
      await refresh(linkedId);
    });
    // refresh and run are stable enough for a load on open; re-running on their identity would reload in a loop.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [linkedId, linkedOrderNo]);

  const pickup = (repair: RepairSummaryDto) => {
    const pay = owes(repair) ? parseMoney(amount) : null;
    void run('pickup', async () => {
      try {
        const result = await api.post<RepairDto>(`/api/repairs/${repair.id}/pickup`, {
          pickupCode: code.trim(),
          ...(pay !== null && repair.quote ? { payment: { amount: pay, currency: repair.quote.currency, method } } : {}),
        });
        setWrong(null);
        setStep({ kind: 'survey', repair: result });
        onDone?.(t('repairs.pickup.handedOver', { orderNo: repair.orderNo }));
      } catch (error) {
        if (isApiError(error) && (error.status === 403 || error.status === 423)) {
          // A wrong code: how many tries are left (or the lock) comes from the order itself.
          const now = await refresh(repair.id);
          setCode('');
          setWrong(
            now.pickup.locked
              ? t('repairs.pickup.locked')
              : t('repairs.pickup.wrongCode', { count: Math.max(0, MAX_PICKUP_ATTEMPTS - now.pickup.failedAttempts) }),
          );
          return;
        }
        throw error;
      }
    });
  };

  const unlock = (repair: RepairSummaryDto) =>
    void run('unlock', async () => {
      await api.post<RepairDto>(`/api/repairs/${repair.id}/unlock-pickup`);
      await refresh(repair.id);
      setWrong(null);
    });

  const saveSurvey = (repair: RepairSummaryDto) =>
    void run('survey', async () => {
      if (score === null) {
        return;
      }
      await api.post(`/api/repairs/${repair.id}/survey`, { score, ...(comment.trim() ? { comment: comment.trim() } : {}) });
      onDone?.(t('repairs.pickup.surveySaved'));
      close();
    });

  let body;
  let actions;
  if (step.kind === 'find') {
    body = (
      <form className="pickup-find" onSubmit={find}>
        <label className="field pickup-find__field">
          <span className="field__label">{t('repairs.pickup.find')}</span>
          <input
            className="input"
            name="orderNo"
            value={query}
            placeholder={t('repairs.pickup.findPlaceholder')}
            onChange={(e) => setQuery(e.target.value)}
            autoFocus
          />
        </label>
        <Button type="submit" variant="primary" busy={busy === 'find'}>
          {t('repairs.pickup.search')}
        </Button>
        {found && found.length === 0 && <p className="field__error pickup-find__wide">{t('repairs.pickup.notFound')}</p>}
        {found && found.length > 0 && (
          <div className="pickup-find__list pickup-find__wide">
            {found.map((r) => (
              <button key={r.id} type="button" className="transfer-option" onClick={() => choose(r)}>
                <span className="transfer-option__name tabular">{r.orderNo}</span>
                <StatusPill tone={STATUS_TONE[r.status]}>{t(`repairs.status.${r.status}`)}</StatusPill>
                <span className="transfer-option__meta">
                  {r.device.brand} {r.device.model} · {r.customer.name}
                </span>
              </button>
            ))}
          </div>
        )}
      </form>
    );
    actions = <Button onClick={close}>{t('common.cancel')}</Button>;
  } else if (step.kind === 'order') {
    const repair = step.repair;
    const ready = repair.status === 'ready_for_pickup';
    const mustPay = owes(repair);
    const payAmount = parseMoney(amount);
    body = (
      <div className="pickup-order">
        <div className="pickup-order__head">
          <span className="pickup-order__no tabular">{repair.orderNo}</span>
          <StatusPill tone={STATUS_TONE[repair.status]}>{t(`repairs.status.${repair.status}`)}</StatusPill>
          <StatusPill tone={WARRANTY_TONE[repair.warranty.status]}>{t(`repairs.warranty.${repair.warranty.status}`)}</StatusPill>
        </div>
        <p className="pickup-order__facts">
          {repair.device.brand} {repair.device.model} · {repair.customer.name} {repair.customer.phoneMasked}
          <br />
          {repair.readyAt ? `${t('repairs.lookup.readyAt')} ${formatDateTime(repair.readyAt, locale, branch.timeZone)}` : ''}
        </p>
        {!ready && <p className="field__error">{t('repairs.pickup.notReady', { status: t(`repairs.status.${repair.status}`) })}</p>}
        {repair.pickup.locked ? (
          <div className="repair-locked" role="alert" data-testid="pickup-locked">
            <strong>{t('repairs.pickup.locked')}</strong>
            {canUnlock ? (
              <Button size="sm" variant="warning" busy={busy === 'unlock'} onClick={() => unlock(repair)}>
                {t('repairs.pickup.unlock')}
              </Button>
            ) : (
              <span>{t('repairs.pickup.askManager')}</span>
            )}
          </div>
        ) : (
          ready && (
            <>
              <label className="field">
                <span className="field__label">{t('repairs.pickup.code')}</span>
                <input
                  className="input pickup-order__code tabular"
                  name="pickupCode"
                  inputMode="numeric"
                  autoComplete="off"
                  value={code}
                  maxLength={32}
                  aria-invalid={wrong !== null}
                  onChange={(e) => setCode(e.target.value)}
                  autoFocus
                />
                {wrong && (
                  <span className="field__error" data-testid="pickup-wrong">
                    {wrong}
                  </span>
                )}
              </label>
              {mustPay && repair.quote && (
                <fieldset className="intake__group pickup-order__pay">
                  <legend>
                    {t('repairs.pickup.pay')} · {formatMoney(repair.quote.amount, repair.quote.currency, locale)}
                  </legend>
                  <label className="field">
                    <span className="field__label">{t('repairs.pickup.amount')}</span>
                    <input
                      className="input"
                      name="amount"
                      inputMode="decimal"
                      value={amount}
                      aria-invalid={payAmount === null}
                      onChange={(e) => setAmount(e.target.value)}
                    />
                  </label>
                  <label className="field">
                    <span className="field__label">{t('repairs.pickup.method')}</span>
                    <select className="select" value={method} onChange={(e) => setMethod(e.target.value as PaymentMethod)}>
                      {PAYMENT_METHODS.map((m) => (
                        <option key={m} value={m}>
                          {t(`repairs.payment.${m}`)}
                        </option>
                      ))}
                    </select>
                  </label>
                </fieldset>
              )}
            </>
          )
        )}
      </div>
    );
    actions = (
      <>
        <Button onClick={reset}>{t('common.cancel')}</Button>
        <Button
          variant="success"
          busy={busy === 'pickup'}
          disabled={!ready || repair.pickup.locked || !code.trim() || busy !== null || (mustPay && payAmount === null)}
          onClick={() => pickup(repair)}
        >
          {t('repairs.pickup.confirm')}
        </Button>
      </>
    );
  } else {
    const repair = step.repair;
    body = (
      <div className="pickup-survey">
        <p className="dialog-lead">{t('repairs.pickup.handedOver', { orderNo: repair.orderNo })}</p>
        <span className="field__label">{t('repairs.pickup.score')}</span>
        <div className="pickup-survey__scores" role="radiogroup" aria-label={t('repairs.pickup.score')}>
          {[1, 2, 3, 4, 5].map((value) => (
            <button
              key={value}
              type="button"
              role="radio"
              aria-checked={score === value}
              className={`pickup-survey__score ${score !== null && value <= score ? 'pickup-survey__score--on' : ''}`}
              onClick={() => setScore(value)}
            >
              {value}★
            </button>
          ))}
        </div>
        <label className="field">
          <span className="field__label">{t('repairs.pickup.comment')}</span>
          <textarea className="textarea" name="comment" rows={2} maxLength={1000} value={comment} onChange={(e) => setComment(e.target.value)} />
        </label>
      </div>
    );
    actions = (
      <>
        <Button onClick={close}>{t('repairs.pickup.skip')}</Button>
        <Button variant="primary" busy={busy === 'survey'} disabled={score === null || busy !== null} onClick={() => saveSurvey(repair)}>
          {t('repairs.pickup.saveSurvey')}
        </Button>
      </>
    );
  }

  return (
    <Dialog open={open} onClose={close} title={t('repairs.pickup.title')} size="md" actions={actions}>
      {failure && <ErrorBanner error={failure.error} onRetry={failure.retry} onDismiss={dismiss} />}
      {body}
    </Dialog>
  );
}
