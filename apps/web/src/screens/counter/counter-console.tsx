import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { BranchDto, CounterDto, ServiceDto, TicketDto } from '@frontdesk/contracts';
import { Button, ServiceBadge, StatusPill, useNow } from '@frontdesk/ui';
import { LiveIndicator } from '../../components/live-indicator';
import { ErrorBanner } from '../../components/screen-state';
import { StaffBar } from '../../components/staff-bar';
import { useToast } from '../../components/toast';
import type { ApiClient } from '../../lib/api-client';
import { useLanguage } from '../../lib/i18n';
import { pickText } from '../../lib/i18n-text';
import type { SnapshotService, StaffQueueState } from '../../lib/live-queue-state';
import { useActionRunner } from '../../lib/use-action-runner';
import { useLiveQueue } from '../../lib/use-live-queue';
import { useApiGet } from '../../lib/use-resource';
import { clearSession, loadSession } from '../../lib/session-store';
import { CallReasonDialog, ConfirmDialog, PauseDialog, TransferDialog } from './counter-dialogs';
import { CounterRepairs } from './counter-repairs';
import { CurrentTicket, type ConsoleAction } from './current-ticket';
import { canCallNext, canDo, counterActions, isPauseReasonCode, orderWaiting } from './ticket-rules';
import { WaitingList } from './waiting-list';

interface CounterConsoleProps {
  branch: BranchDto;
  initialCounter: CounterDto;
  initialCounters: CounterDto[];
  api: ApiClient;
  token: string | null;
  branchSwitch: ReactNode;
  onSwitchCounter: () => void;
}

type OpenDialog = { kind: 'pause' } | { kind: 'transfer' } | { kind: 'callThis'; ticket: TicketDto } | { kind: 'confirm'; action: 'noShow' | 'cancel' } | null;

/**
 * What an action's HTTP answer told us, shown until the live stream moves on
 * (so the console reacts at once even if the socket is slow or down).
 */
interface ActionEcho {
  seq: number | null;
  ticket?: TicketDto | null;
  counter?: CounterDto;
}

const AT_COUNTER = new Set(['called', 'serving']);

function ticketFrom(result: unknown): TicketDto | undefined {
  if (!result || typeof result !== 'object') {
    return undefined;
  }
  const candidate = 'ticket' in result ? result.ticket : result;
  if (candidate && typeof candidate === 'object' && 'id' in candidate && 'number' in candidate && 'status' in candidate) {
    return candidate as TicketDto;
  }
  return undefined;
}

function counterFrom(result: unknown): CounterDto | undefined {
  if (!result || typeof result !== 'object') {
    return undefined;
  }
  const candidate = 'counter' in result ? result.counter : result;
  if (candidate && typeof candidate === 'object' && 'services' in candidate && 'status' in candidate && 'name' in candidate) {
    return candidate as CounterDto;
  }
  return undefined;
}

function ticketAtCounter(state: StaffQueueState | null, counter: CounterDto): TicketDto | null {
  const fromTickets = state?.tickets.find((t) => t.counterId === counter.id && AT_COUNTER.has(t.status));
  return fromTickets ?? counter.ticket ?? null;
}

function servicesOf(live: SnapshotService[] | undefined, catalogue: ServiceDto[] | undefined): SnapshotService[] {
  if (live && live.length > 0) {
    return live;
  }
  return (catalogue ?? []).map((s) => ({
    serviceId: s.id,
    code: s.code,
    name: s.name,
    open: s.open,
    waiting: 0,
    longestWaitSeconds: 0,
    estimatedWaitSeconds: null,
    openCounters: 0,
  }));
}

export function CounterConsole({ branch, initialCounter, initialCounters, api, token, branchSwitch, onSwitchCounter }: CounterConsoleProps) {
  const { t } = useTranslation();
  const [language] = useLanguage();
  const now = useNow(1000);
  const live = useLiveQueue({ branchId: branch.id, view: 'staff', token });
  const catalogue = useApiGet<ServiceDto[]>(api, `/api/branches/${branch.id}/services`);
  const { busy, failure, run, dismiss } = useActionRunner();
  const [toast, showToast] = useToast();
  const [dialog, setDialog] = useState<OpenDialog>(null);
  const [echo, setEcho] = useState<ActionEcho | null>(null);

  // Signed out or disabled elsewhere: drop the session; the guard then shows the login.
  const revoked = live.connection.revoked;
  useEffect(() => {
    if (revoked) {
      clearSession();
    }
  }, [revoked]);

  const state = live.state;
  const liveSeq = state?.seq ?? null;
  const echoCurrent = echo !== null && echo.seq === liveSeq;
  const counter: CounterDto = (echoCurrent && echo.counter) || state?.counters.find((c) => c.id === initialCounter.id) || initialCounter;
  const ticket: TicketDto | null = echoCurrent && echo.ticket !== undefined ? echo.ticket : ticketAtCounter(state, counter);

  const services = useMemo(() => servicesOf(state?.services, catalogue.data), [state?.services, catalogue.data]);
  const serviceById = useMemo(() => new Map(services.map((s) => [s.serviceId, s])), [services]);
  const settings = branch.queueSettings;
  const minuteNow = Math.floor(now.getTime() / 60_000);
  const waiting = useMemo(
    () =>
      orderWaiting(
        (state?.tickets ?? []).filter((t) => t.status === 'waiting' && counter.services.includes(t.serviceId)),
        { agingLimitSeconds: settings.agingLimitSeconds },
        new Date(minuteNow * 60_000),
      ),
    [state?.tickets, counter.services, settings.agingLimitSeconds, minuteNow],
  );

  const remember = useCallback(
    (result: unknown) => {
      const nextTicket = ticketFrom(result);
      const nextCounter = counterFrom(result);
      setEcho({
        seq: liveSeq,
        ...(nextTicket ? { ticket: AT_COUNTER.has(nextTicket.status) && nextTicket.counterId === counter.id ? nextTicket : null } : {}),
        ...(nextCounter ? { counter: nextCounter } : {}),
      });
    },
    [liveSeq, counter.id],
  );

  const post = useCallback(
    async (path: string, body?: unknown) => {
      const result = await api.post<unknown>(path, body);
      remember(result);
    },
    [api, remember],
  );

  const callNext = useCallback(() => {
    // The API refuses a call while this counter has a customer (409, in English): say what to do, in the screen's language.
    if (ticket && !canCallNext(ticket)) {
      showToast(t('counter.finishCurrentFirst', { number: ticket.number, status: t(`ticketStatus.${ticket.status}`) }));
      return;
    }
    void run('callNext', async () => {
      const response = await api.send<{ ticket: TicketDto }>('POST', `/api/counters/${counter.id}/call-next`);
      if (response.status === 204 || !response.data) {
        showToast(t('counter.nobodyWaiting'));
        return;
      }
      remember(response.data);
    });
  }, [run, api, counter.id, remember, showToast, t, ticket]);

  const ticketAction = useCallback(
    (action: 'recall' | 'serve' | 'finish' | 'no-show' | 'cancel', name: ConsoleAction) => {
      if (!ticket) {
        return;
      }
      const id = ticket.id;
      void run(name, () => post(`/api/tickets/${id}/${action}`));
    },
    [run, post, ticket],
  );

  const finish = useCallback(() => {
    if (ticket && canDo(ticket, 'finish')) {
      ticketAction('finish', 'finish');
    } else if (ticket) {
      showToast(t('counter.finishNotYet'));
    }
  }, [ticket, ticketAction, showToast, t]);

  const onAction = (action: ConsoleAction) => {
    switch (action) {
      case 'callNext':
        return callNext();
      case 'recall':
        return ticketAction('recall', 'recall');
      case 'serve':
        return ticketAction('serve', 'serve');
      case 'finish':
        return finish();
      case 'noShow':
      case 'cancel':
        return setDialog({ kind: 'confirm', action });
      case 'transfer':
        return setDialog({ kind: 'transfer' });
    }
  };

  // F1 / Space = call next, F4 / Enter = finish. Space and Enter only when no
  // control has focus, so they never steal a button's or a field's own key.
  const shortcuts = useRef({ callNext, finish, blocked: false });
  useEffect(() => {
    shortcuts.current = { callNext, finish, blocked: dialog !== null };
  }, [callNext, finish, dialog]);
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      // Any open modal (the repair intake and pickup too) owns the keyboard.
      const modalOpen = document.querySelector('dialog[open]') !== null;
      if (event.repeat || event.altKey || event.ctrlKey || event.metaKey || shortcuts.current.blocked || modalOpen) {
        return;
      }
      const target = event.target instanceof HTMLElement ? event.target : null;
      const onControl = target?.closest('input, textarea, select, button, a, [contenteditable="true"], [role="button"]') != null;
      if (event.key === 'F1' || (event.key === ' ' && !onControl)) {
        event.preventDefault();
        shortcuts.current.callNext();
      } else if (event.key === 'F4' || (event.key === 'Enter' && !onControl)) {
        event.preventDefault();
        shortcuts.current.finish();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

  const counterStatusAction = (action: 'open' | 'close') => {
    void run(action, () => post(`/api/counters/${counter.id}/${action}`));
  };

  const pauseLabel = counter.pauseReason
    ? isPauseReasonCode(counter.pauseReason)
      ? t(`counter.pauseReasons.${counter.pauseReason}`)
      : counter.pauseReason
    : null;
  const others = (state?.counters ?? initialCounters).filter((c) => c.id !== counter.id);

  return (
    <div className="counter-page">
      <StaffBar title={t('counter.title')}>
        {branchSwitch}
        <LiveIndicator connection={live.connection} timeZone={branch.timeZone} />
      </StaffBar>

      <div className={`counter-status counter-status--${counter.status}`}>
        <div className="counter-status__name">
          <span className="counter-status__title">{counter.name}</span>
          <StatusPill tone={counter.status === 'open' ? 'success' : counter.status === 'paused' ? 'warning' : 'neutral'}>
            {t(`counterStatus.${counter.status}`)}
            {counter.status === 'paused' && pauseLabel ? ` · ${pauseLabel}` : ''}
          </StatusPill>
          <span className="counter-status__services">
            {counter.services.map((id) => {
              const s = serviceById.get(id);
              return s ? (
                <span key={id} className="counter-status__service" title={pickText(s.name, language)}>
                  <ServiceBadge code={s.code} size="sm" /> {pickText(s.name, language)}
                </span>
              ) : null;
            })}
          </span>
        </div>
        <div className="counter-status__actions">
          {counterActions(counter.status).map((action) =>
            action === 'pause' ? (
              <Button key={action} variant="warning" busy={busy === 'pause'} disabled={busy !== null} onClick={() => setDialog({ kind: 'pause' })}>
                {t('counter.pause')}
              </Button>
            ) : (
              <Button
                key={action}
                variant={action === 'open' ? 'primary' : 'secondary'}
                busy={busy === action}
                disabled={busy !== null}
                onClick={() => counterStatusAction(action)}
              >
                {action === 'open' ? (counter.status === 'paused' ? t('counter.resume') : t('counter.open')) : t('counter.close')}
              </Button>
            ),
          )}
          <Button variant="ghost" onClick={onSwitchCounter}>
            {t('counter.switchCounter')}
          </Button>
        </div>
      </div>

      {(failure || live.error) && (
        <div className="counter-alerts">
          {failure && <ErrorBanner error={failure.error} onRetry={failure.retry} onDismiss={dismiss} />}
          {live.error && (
            <div className="error-banner" role="alert">
              <strong>{t('counter.liveRefused')}</strong>
              <span className="error-banner__detail">{live.error.message}</span>
            </div>
          )}
        </div>
      )}
      {counter.status !== 'open' && !ticket && (
        <p className="counter-paused-note">{counter.status === 'paused' ? t('counter.pausedNote') : t('counter.closedNote')}</p>
      )}

      <CounterRepairs branch={branch} api={api} ticket={ticket} role={loadSession()?.user.role ?? null} />

      <main className="counter-main">
        <CurrentTicket
          ticket={ticket}
          service={ticket ? serviceById.get(ticket.serviceId) : undefined}
          settings={settings}
          now={now}
          busy={busy}
          waitingCount={waiting.length}
          onAction={onAction}
        />
        <WaitingList
          tickets={waiting}
          services={serviceById}
          agingLimitSeconds={settings.agingLimitSeconds}
          now={now}
          disabled={busy !== null}
          onCallThis={(target) => setDialog({ kind: 'callThis', ticket: target })}
        />
      </main>

      <section className="counter-others" aria-label={t('counter.otherCounters')}>
        <span className="counter-others__label">{t('counter.otherCounters')}</span>
        {others.map((c) => (
          <span key={c.id} className={`counter-chip counter-chip--${c.status}`}>
            <strong>{c.name}</strong>
            <span>{c.ticket ? c.ticket.number : t(`counterStatus.${c.status}`)}</span>
          </span>
        ))}
      </section>

      <PauseDialog
        open={dialog?.kind === 'pause'}
        onClose={() => setDialog(null)}
        onConfirm={(reason) => {
          setDialog(null);
          void run('pause', () => post(`/api/counters/${counter.id}/pause`, { reason }));
        }}
      />
      <TransferDialog
        ticket={dialog?.kind === 'transfer' ? ticket : null}
        services={services}
        onClose={() => setDialog(null)}
        onConfirm={(serviceId) => {
          setDialog(null);
          if (ticket) {
            const id = ticket.id;
            void run('transfer', () => post(`/api/tickets/${id}/transfer`, { serviceId }));
          }
        }}
      />
      <CallReasonDialog
        ticket={dialog?.kind === 'callThis' ? dialog.ticket : null}
        onClose={() => setDialog(null)}
        onConfirm={(reason) => {
          if (dialog?.kind !== 'callThis') {
            return;
          }
          const target = dialog.ticket.id;
          setDialog(null);
          void run('callThis', () => post(`/api/counters/${counter.id}/call/${target}`, { reason }));
        }}
      />
      <ConfirmDialog
        open={dialog?.kind === 'confirm'}
        title={
          dialog?.kind === 'confirm' && dialog.action === 'cancel'
            ? t('counter.confirmCancelTitle', { number: ticket?.number ?? '' })
            : t('counter.confirmNoShowTitle', { number: ticket?.number ?? '' })
        }
        body={dialog?.kind === 'confirm' && dialog.action === 'cancel' ? t('counter.confirmCancel') : t('counter.confirmNoShow')}
        confirmLabel={dialog?.kind === 'confirm' && dialog.action === 'cancel' ? t('counter.cancelTicket') : t('counter.noShow')}
        onClose={() => setDialog(null)}
        onConfirm={() => {
          if (dialog?.kind !== 'confirm') {
            return;
          }
          const action = dialog.action;
          setDialog(null);
          ticketAction(action === 'cancel' ? 'cancel' : 'no-show', action);
        }}
      />
      {toast}
    </div>
  );
}
