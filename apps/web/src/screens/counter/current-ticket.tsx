import type { MouseEvent, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { QueueSettings, TicketDto } from '@frontdesk/contracts';
import { Button, ServiceBadge, StatusPill, type Tone, Icon } from '@frontdesk/ui';
import { useLanguage } from '../../lib/i18n';
import { pickText } from '../../lib/i18n-text';
import type { SnapshotService } from '../../lib/live-queue-state';
import { formatElapsed, secondsSince } from '../../lib/time-format';
import { canDo, noShowState, recallState } from './ticket-rules';

export type ConsoleAction = 'callNext' | 'recall' | 'serve' | 'finish' | 'noShow' | 'transfer' | 'cancel';

const STATUS_TONE: Partial<Record<TicketDto['status'], Tone>> = { called: 'call', serving: 'success', waiting: 'brand' };

interface CurrentTicketProps {
  ticket: TicketDto | null;
  service: SnapshotService | undefined;
  settings: QueueSettings;
  now: Date;
  busy: string | null;
  waitingCount: number;
  onAction: (action: ConsoleAction) => void;
}

/** Clicked buttons give focus back to the page so Space/Enter stay the console shortcuts. */
function releaseFocus(event: MouseEvent<HTMLButtonElement>) {
  event.currentTarget.blur();
}

function Timer({ label, seconds, emphasis = false }: { label: string; seconds: number | null; emphasis?: boolean }) {
  return (
    <div className={`ticket-timer ${emphasis ? 'ticket-timer--active' : ''}`}>
      <span className="ticket-timer__label">{label}</span>
      <span className="ticket-timer__value tabular">{seconds === null ? '—' : formatElapsed(seconds)}</span>
    </div>
  );
}

export function CurrentTicket({ ticket, service, settings, now, busy, waitingCount, onAction }: CurrentTicketProps) {
  const { t } = useTranslation();
  const [language] = useLanguage();
  const button = (action: ConsoleAction, node: ReactNode, props: Parameters<typeof Button>[0] = {}) => (
    <Button
      {...props}
      busy={busy === action}
      disabled={props.disabled || (busy !== null && busy !== action)}
      onClick={(event) => {
        releaseFocus(event);
        onAction(action);
      }}
    >
      {node}
    </Button>
  );

  const callNext = button('callNext', t('counter.callNext'), {
    variant: ticket ? 'secondary' : 'primary',
    size: ticket ? 'lg' : 'xl',
    shortcut: 'F1 / Space',
    block: true,
  });

  if (!ticket) {
    return (
      <section className="current-ticket current-ticket--empty" aria-labelledby="current-ticket-title">
        <h2 id="current-ticket-title" className="panel-title">
          {t('counter.currentTicket')}
        </h2>
        <div className="current-ticket__empty">
          <p className="current-ticket__empty-title">{t('counter.noTicket')}</p>
          <p className="current-ticket__empty-hint">{t('counter.waitingForYou', { count: waitingCount })}</p>
        </div>
        {callNext}
      </section>
    );
  }

  const waited = ticket.calledAt ? Math.max(0, (Date.parse(ticket.calledAt) - Date.parse(ticket.createdAt)) / 1000) : secondsSince(ticket.createdAt, now);
  const sinceCalled = ticket.calledAt
    ? ticket.servingAt
      ? (Date.parse(ticket.servingAt) - Date.parse(ticket.calledAt)) / 1000
      : secondsSince(ticket.calledAt, now)
    : null;
  const serving = ticket.servingAt ? secondsSince(ticket.servingAt, now) : null;
  // The same rules the API applies (libs/domain): recalls are limited and spaced, and
  // no-show is possible only once the recalls are used and the customer had time to come.
  const recall = recallState(ticket, settings, now);
  const noShow = noShowState(ticket, settings, now);
  const recallsLeft = Math.max(0, settings.maxRecalls - ticket.recallCount);
  const isCalled = ticket.status === 'called';

  return (
    <section className={`current-ticket current-ticket--${ticket.status}`} aria-labelledby="current-ticket-title">
      <div className="current-ticket__head">
        <h2 id="current-ticket-title" className="panel-title">
          {t('counter.currentTicket')}
        </h2>
        <StatusPill tone={STATUS_TONE[ticket.status] ?? 'neutral'}>{t(`ticketStatus.${ticket.status}`)}</StatusPill>
      </div>

      <div className="current-ticket__identity">
        <span className="current-ticket__number tabular">{ticket.number}</span>
        <div className="current-ticket__facts">
          {service && (
            <span className="current-ticket__service">
              <ServiceBadge code={service.code} size="sm" /> {pickText(service.name, language)}
            </span>
          )}
          {ticket.priority === 'priority' && <StatusPill tone="success">{t('counter.priority')}</StatusPill>}
          {ticket.recallCount > 0 && <StatusPill tone="warning">{t('counter.recalled', { count: ticket.recallCount })}</StatusPill>}
          {ticket.phoneMasked && (
            <span className="current-ticket__phone">
              <Icon name="phone" /> {ticket.phoneMasked}
            </span>
          )}
          {ticket.callReason && <span className="current-ticket__reason">{t('counter.calledBecause', { reason: ticket.callReason })}</span>}
        </div>
      </div>

      <div className="current-ticket__timers">
        <Timer label={t('counter.timers.waited')} seconds={waited} />
        <Timer label={t('counter.timers.sinceCalled')} seconds={sinceCalled} emphasis={ticket.status === 'called'} />
        <Timer label={t('counter.timers.serving')} seconds={serving} emphasis={ticket.status === 'serving'} />
      </div>

      <div className="current-ticket__primary">
        {ticket.status === 'called' && button('serve', t('counter.startServing'), { variant: 'success', size: 'xl', block: true })}
        {ticket.status === 'serving' && button('finish', t('counter.finish'), { variant: 'success', size: 'xl', block: true, shortcut: 'F4 / Enter' })}
      </div>

      <div className="current-ticket__secondary">
        {button('recall', isCalled && recall.kind === 'wait' ? t('counter.recallIn', { count: recall.seconds }) : t('counter.recall', { count: recallsLeft }), {
          disabled: !canDo(ticket, 'recall') || recall.kind !== 'ok',
          size: 'lg',
        })}
        {button('noShow', isCalled && noShow.kind === 'wait' ? t('counter.noShowIn', { count: noShow.seconds }) : t('counter.noShow'), {
          disabled: !canDo(ticket, 'no-show') || noShow.kind !== 'ok',
          size: 'lg',
          variant: 'warning',
        })}
        {button('transfer', t('counter.transfer'), { disabled: !canDo(ticket, 'transfer'), size: 'lg' })}
        {button('cancel', t('counter.cancelTicket'), { disabled: !canDo(ticket, 'cancel'), size: 'lg', variant: 'danger' })}
      </div>
      {isCalled && noShow.kind === 'blocked' && <p className="current-ticket__hint">{t('counter.noShowAfterRecalls', { count: recallsLeft })}</p>}
      {isCalled && recallsLeft === 0 && noShow.kind !== 'blocked' && <p className="current-ticket__hint">{t('counter.noRecallsLeft')}</p>}

      <div className="current-ticket__next">{callNext}</div>
    </section>
  );
}
