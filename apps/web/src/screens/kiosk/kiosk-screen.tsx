import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import type { BranchDto, CreateTicketRequest, IssuedTicketDto, PickupTicketRequest, ServiceDto } from '@frontdesk/contracts';
import { Button, Clock } from '@frontdesk/ui';
import { LanguageSwitch } from '../../components/language-switch';
import { LiveIndicator } from '../../components/live-indicator';
import { CenteredMessage, ScreenError, ScreenLoading } from '../../components/screen-state';
import { isApiError, type ApiClient } from '../../lib/api-client';
import { describeError } from '../../lib/error-message';
import { chooseLanguage, currentLanguage, LOCALE_OF, useLanguage } from '../../lib/i18n';
import { otherText, pickText } from '../../lib/i18n-text';
import { forgetPendingKeys } from '../../lib/idempotency-keys';
import { useDeviceBranch } from '../../lib/use-device-branch';
import { useIdleTimer } from '../../lib/use-idle-timer';
import { useLiveQueue } from '../../lib/use-live-queue';
import { useApiGet } from '../../lib/use-resource';
import { IssuedTicket } from './issued-ticket';
import { kioskServices, type KioskService } from './kiosk-service';
import { PickupForm, type PickupEntry } from './pickup-form';
import { PrintedTicket } from './printed-ticket';
import { ServiceChooser } from './service-chooser';
import { TicketOptions } from './ticket-options';
import './kiosk.css';

type Step =
  | { kind: 'choose' }
  | { kind: 'options'; service: KioskService }
  | { kind: 'issuing'; service: KioskService }
  | { kind: 'issued'; ticket: IssuedTicketDto }
  | { kind: 'pickup'; busy: boolean; error: unknown }
  | { kind: 'failed'; service: KioskService; error: unknown };

/** Seconds the issued ticket stays on screen before the kiosk is ready for the next person. */
const TICKET_SCREEN_SECONDS = 15;
const IDLE_RESET_MS = 60_000;
const SERVICES_REFRESH_MS = 60_000;

export function KioskScreen() {
  const { t } = useTranslation();
  const { branchCode = '' } = useParams();
  const { token, api, branch } = useDeviceBranch('kiosk', branchCode);

  if (!token) {
    return <CenteredMessage tone="warning" title={t('device.notSetUpTitle')} message={t('device.notSetUpKiosk')} />;
  }
  if (branch.error) {
    const status = isApiError(branch.error) ? branch.error.status : null;
    return (
      <ScreenError
        error={branch.error}
        onRetry={branch.reload}
        extra={status === 401 || status === 403 ? t('device.tokenRejected') : status === 404 ? t('device.unknownBranch', { code: branchCode }) : undefined}
      />
    );
  }
  if (!branch.data) {
    return <ScreenLoading />;
  }
  return <Kiosk branch={branch.data} api={api} token={token} />;
}

function Kiosk({ branch, api, token }: { branch: BranchDto; api: ApiClient; token: string }) {
  const { t } = useTranslation();
  const [language] = useLanguage();
  const catalogue = useApiGet<ServiceDto[]>(api, `/api/branches/${branch.id}/services`);
  const live = useLiveQueue({ branchId: branch.id, view: 'display', token });
  const services = kioskServices(catalogue.data ?? [], live.state?.services);

  const [step, setStep] = useState<Step>({ kind: 'choose' });
  const [phone, setPhone] = useState('');
  const [priority, setPriority] = useState(false);
  const [secondsLeft, setSecondsLeft] = useState(TICKET_SCREEN_SECONDS);
  const [printRequest, setPrintRequest] = useState(0);

  // A shared kiosk starts every customer in the branch's language.
  const resetLanguage = useCallback(() => chooseLanguage(branch.defaultLanguage, false), [branch.defaultLanguage]);
  useEffect(resetLanguage, [resetLanguage]);

  const reset = useCallback(() => {
    setStep({ kind: 'choose' });
    setPhone('');
    setPriority(false);
    forgetPendingKeys();
    resetLanguage();
  }, [resetLanguage]);

  // Openings and closings also arrive through the live snapshot; this is the fallback.
  const reloadCatalogue = catalogue.reload;
  useEffect(() => {
    const timer = setInterval(reloadCatalogue, SERVICES_REFRESH_MS);
    return () => clearInterval(timer);
  }, [reloadCatalogue]);

  useIdleTimer(IDLE_RESET_MS, reset, step.kind === 'options' || step.kind === 'failed' || step.kind === 'pickup');

  const issue = async (service: KioskService) => {
    setStep({ kind: 'issuing', service });
    const body: CreateTicketRequest = {
      serviceId: service.id,
      priority: priority ? 'priority' : 'normal',
      language: currentLanguage(),
      ...(phone ? { phone } : {}),
    };
    try {
      const ticket = await api.post<IssuedTicketDto>(`/api/branches/${branch.id}/tickets`, body, {
        // Same customer pressing "Try again" = same ticket, whatever the language toggle says now.
        idempotencyScope: `ticket:${branch.id}:${service.id}:${phone}:${body.priority}`,
      });
      setSecondsLeft(TICKET_SCREEN_SECONDS);
      setPrintRequest((n) => n + 1);
      setStep({ kind: 'issued', ticket });
    } catch (error) {
      setStep({ kind: 'failed', service, error });
      if (isApiError(error) && !error.outcomeUnknown) {
        reloadCatalogue();
      }
    }
  };

  // The fast lane: refusals stay on the form, so a mistyped code is fixed where it was typed.
  const issuePickup = async (entry: PickupEntry) => {
    setStep({ kind: 'pickup', busy: true, error: null });
    const body: PickupTicketRequest = { ...entry, language: currentLanguage() };
    try {
      const ticket = await api.post<IssuedTicketDto>(`/api/branches/${branch.id}/tickets/pickup`, body, {
        idempotencyScope: `pickup-ticket:${branch.id}:${entry.orderNo}:${entry.pickupCode}`,
      });
      setSecondsLeft(TICKET_SCREEN_SECONDS);
      setPrintRequest((n) => n + 1);
      setStep({ kind: 'issued', ticket });
    } catch (error) {
      setStep({ kind: 'pickup', busy: false, error });
    }
  };

  // PrintedTicket prints itself; here we only count down to the start screen.
  const issuedId = step.kind === 'issued' ? step.ticket.id : null;
  useEffect(() => {
    if (!issuedId) {
      return;
    }
    const tick = setInterval(() => setSecondsLeft((s) => Math.max(0, s - 1)), 1000);
    return () => clearInterval(tick);
  }, [issuedId]);
  useEffect(() => {
    if (step.kind === 'issued' && secondsLeft === 0) {
      reset();
    }
  }, [step.kind, secondsLeft, reset]);

  if (live.connection.revoked) {
    return <CenteredMessage tone="danger" title={t('device.revokedTitle')} message={t('device.revoked')} detail={live.connection.revoked} />;
  }

  return (
    <div className="kiosk">
      <header className="kiosk__header">
        <div className="kiosk__branch">
          <span className="brand-mark">A1</span>
          <div>
            <div className="kiosk__branch-name">{pickText(branch.name, language)}</div>
            <div className="kiosk__branch-alt">{otherText(branch.name, language)}</div>
          </div>
        </div>
        <Clock timeZone={branch.timeZone} locale={LOCALE_OF[language]} className="kiosk__clock" />
        <LanguageSwitch size="lg" remember={false} />
      </header>

      <main className="kiosk__main">
        {step.kind === 'choose' &&
          (catalogue.error && !catalogue.data ? (
            <KioskProblem error={catalogue.error} onRetry={catalogue.reload} />
          ) : !catalogue.data ? (
            <ScreenLoading />
          ) : (
            <ServiceChooser
              services={services}
              onChoose={(service) => setStep({ kind: 'options', service })}
              onPickup={services.some((s) => s.code === 'B') ? () => setStep({ kind: 'pickup', busy: false, error: null }) : undefined}
            />
          ))}
        {step.kind === 'options' && (
          <TicketOptions
            service={services.find((s) => s.id === step.service.id) ?? step.service}
            phone={phone}
            priority={priority}
            onPhoneChange={setPhone}
            onPriorityChange={setPriority}
            onBack={reset}
            onSubmit={() => void issue(step.service)}
          />
        )}
        {step.kind === 'pickup' && <PickupForm busy={step.busy} error={step.error} onSubmit={(entry) => void issuePickup(entry)} onBack={reset} />}
        {step.kind === 'issuing' && (
          <div className="kiosk-issuing" role="status">
            <div className="screen-state__spinner" aria-hidden="true" />
            <p>{t('kiosk.issuing')}</p>
          </div>
        )}
        {step.kind === 'issued' && (
          <>
            <IssuedTicket
              ticket={step.ticket}
              timeZone={branch.timeZone}
              secondsLeft={secondsLeft}
              onDone={reset}
              onPrintAgain={() => setPrintRequest((n) => n + 1)}
            />
            <PrintedTicket ticket={step.ticket} timeZone={branch.timeZone} printRequest={printRequest} />
          </>
        )}
        {step.kind === 'failed' && (
          <KioskProblem
            error={step.error}
            serviceClosed={services.some((s) => s.id === step.service.id && !s.open)}
            onRetry={() => void issue(step.service)}
            onBack={reset}
          />
        )}
      </main>

      <footer className="kiosk__footer">
        <span>{t('kiosk.help')}</span>
        <LiveIndicator connection={live.connection} timeZone={branch.timeZone} />
      </footer>
    </div>
  );
}

interface KioskProblemProps {
  error: unknown;
  serviceClosed?: boolean;
  onRetry: () => void;
  onBack?: () => void;
}

/** Failures in words a customer understands, with the way forward. */
function KioskProblem({ error, serviceClosed = false, onRetry, onBack }: KioskProblemProps) {
  const { t } = useTranslation();
  const plain = describeError(error, t);
  const status = isApiError(error) ? error.status : null;
  let title = plain.title;
  let advice = t('kiosk.errors.tryAgain');
  if (serviceClosed || (status === 409 && /clos/i.test(plain.detail ?? ''))) {
    title = t('kiosk.errors.serviceClosed');
    advice = t('kiosk.errors.chooseAnother');
  } else if (isApiError(error) && error.outcomeUnknown) {
    title = t('kiosk.errors.network');
    advice = t('kiosk.errors.networkAdvice');
  } else if (status === 401 || status === 403) {
    title = t('kiosk.errors.notAuthorised');
    advice = t('kiosk.askStaff');
  } else if (status === 429) {
    advice = t('kiosk.errors.waitAMoment');
  }
  const canRetry = !serviceClosed && plain.retryable;
  return (
    <section className="kiosk-problem" role="alert">
      <div className="kiosk-problem__icon" aria-hidden="true">
        !
      </div>
      <h1 className="kiosk-problem__title">{title}</h1>
      <p className="kiosk-problem__advice">{advice}</p>
      {plain.detail && <p className="kiosk-problem__detail">{plain.detail}</p>}
      <div className="kiosk-problem__actions">
        {onBack && (
          <Button size="xl" variant="secondary" onClick={onBack}>
            {t('kiosk.backToStart')}
          </Button>
        )}
        {canRetry && (
          <Button size="xl" variant="primary" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        )}
      </div>
    </section>
  );
}
