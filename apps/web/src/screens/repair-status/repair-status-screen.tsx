import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import type { Language, RepairLookupDto, RepairStatus } from '@frontdesk/contracts';
import { Button, StatusPill } from '@frontdesk/ui';
import { LanguageSwitch } from '../../components/language-switch';
import { ErrorBanner } from '../../components/screen-state';
import { isApiError, publicApi } from '../../lib/api-client';
import { chooseLanguage, LOCALE_OF, storedLanguage, useLanguage } from '../../lib/i18n';
import { pickText } from '../../lib/i18n-text';
import { formatTime } from '../../lib/time-format';
import { STATUS_TONE } from '../repairs/repair-model';
import { formatDateTime } from '../repairs/zoned-time';
import './repair-status.css';

/** The customer's steps; the waiting states sit inside the step they wait in. */
const STEPS = ['received', 'diagnosing', 'repairing', 'qa', 'ready_for_pickup', 'picked_up'] as const;
const STEP_OF: Record<RepairStatus, number> = {
  received: 0,
  diagnosing: 1,
  awaiting_approval: 1,
  awaiting_parts: 2,
  repairing: 2,
  qa: 3,
  ready_for_pickup: 4,
  picked_up: 5,
  returned_unrepaired: 5,
  cancelled: 5,
};
const REFRESH_MS = 60_000;
const LAST4_KEY = 'frontdesk.repairLast4.';

function rememberedLast4(orderNo: string): string {
  try {
    return window.sessionStorage.getItem(LAST4_KEY + orderNo) ?? '';
  } catch {
    return '';
  }
}

/** /r/:orderNo, from the QR code on the repair slip: status and promised time, nothing personal. */
export function RepairStatusScreen() {
  const { orderNo = '' } = useParams();
  const { t } = useTranslation();
  const [language] = useLanguage();
  const [last4, setLast4] = useState(() => rememberedLast4(orderNo));
  const [result, setResult] = useState<RepairLookupDto | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [checkedAt, setCheckedAt] = useState<Date | null>(null);

  // A phone follows its own language unless the person chose one here.
  useEffect(() => {
    if (!storedLanguage()) {
      const preferred: Language = navigator.language.toLowerCase().startsWith('zh') ? 'zh' : 'en';
      chooseLanguage(preferred, false);
    }
  }, []);

  const lookup = async (digits: string) => {
    setBusy(true);
    setError(null);
    try {
      const found = await publicApi.get<RepairLookupDto>(`/api/repairs/lookup?orderNo=${encodeURIComponent(orderNo)}&phoneLast4=${encodeURIComponent(digits)}`);
      setResult(found);
      setCheckedAt(new Date());
      try {
        window.sessionStorage.setItem(LAST4_KEY + orderNo, digits);
      } catch {
        // Asked again after a reload; nothing else is lost.
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  // Digits remembered from earlier in this tab: look up at once, and keep the page fresh.
  useEffect(() => {
    const digits = rememberedLast4(orderNo);
    if (/^\d{4}$/.test(digits)) {
      void lookup(digits);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [orderNo]);
  useEffect(() => {
    if (!result) {
      return;
    }
    const timer = setInterval(() => void lookup(last4), REFRESH_MS);
    return () => clearInterval(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [result !== null, last4]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (/^\d{4}$/.test(last4)) {
      void lookup(last4);
    }
  };
  const notFound = isApiError(error) && (error.status === 404 || error.status === 403);
  const locale = LOCALE_OF[language];

  return (
    <div className="rstatus">
      <header className="rstatus__header">
        <span className="rstatus__branch">{result ? pickText(result.branchName, language) : t('repairs.lookup.title')}</span>
        <LanguageSwitch />
      </header>
      <main className="rstatus__main">
        <section className="rstatus-card">
          <span className="rstatus-card__label">{t('repairs.lookup.order')}</span>
          <div className="rstatus-card__order tabular">{orderNo}</div>
          {result ? (
            <>
              <StatusPill tone={STATUS_TONE[result.status]} className="rstatus-card__status">
                {t(`repairs.status.${result.status}`)}
              </StatusPill>
              {result.status === 'ready_for_pickup' && <p className="rstatus-card__lead rstatus-card__lead--ready">{t('repairs.lookup.readyLead')}</p>}
              {(result.status === 'picked_up' || result.status === 'cancelled' || result.status === 'returned_unrepaired') && (
                <p className="rstatus-card__lead">{t('repairs.lookup.doneLead')}</p>
              )}
              <dl className="rstatus-facts">
                <div>
                  <dt>{t('repairs.lookup.promised')}</dt>
                  <dd>{formatDateTime(result.promisedAt, locale, result.timeZone)}</dd>
                </div>
                {result.readyAt && (
                  <div>
                    <dt>{t('repairs.lookup.readyAt')}</dt>
                    <dd>{formatDateTime(result.readyAt, locale, result.timeZone)}</dd>
                  </div>
                )}
              </dl>
              <ol className="rstatus-steps" aria-label={t('repairs.lookup.progress')}>
                {STEPS.map((step, index) => {
                  const current = STEP_OF[result.status];
                  const state = index < current ? 'done' : index === current ? 'current' : 'todo';
                  return (
                    <li key={step} className={`rstatus-step rstatus-step--${state}`}>
                      <span className="rstatus-step__dot" aria-hidden="true" />
                      <span>{index === current ? t(`repairs.status.${result.status}`) : t(`repairs.status.${step}`)}</span>
                    </li>
                  );
                })}
              </ol>
              <div className="rstatus-card__foot">
                <span>{checkedAt ? t('repairs.lookup.updated', { time: formatTime(checkedAt, result.timeZone) }) : ''}</span>
                <Button size="sm" busy={busy} onClick={() => void lookup(last4)}>
                  {t('repairs.lookup.refresh')}
                </Button>
              </div>
            </>
          ) : (
            <form className="rstatus-form" onSubmit={submit}>
              <label className="field">
                <span className="field__label">{t('repairs.lookup.last4')}</span>
                <input
                  className="input rstatus-form__digits tabular"
                  inputMode="numeric"
                  autoComplete="off"
                  maxLength={4}
                  value={last4}
                  onChange={(e) => setLast4(e.target.value.replace(/\D/g, '').slice(0, 4))}
                  aria-invalid={notFound}
                  autoFocus
                />
              </label>
              <Button type="submit" variant="primary" size="lg" block busy={busy} disabled={!/^\d{4}$/.test(last4)}>
                {t('repairs.lookup.submit')}
              </Button>
              {notFound && <p className="field__error">{t('repairs.lookup.notFound')}</p>}
              {Boolean(error) && !notFound && <ErrorBanner error={error} onRetry={() => void lookup(last4)} />}
            </form>
          )}
        </section>
      </main>
    </div>
  );
}
