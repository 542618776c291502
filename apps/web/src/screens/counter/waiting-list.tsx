import { useTranslation } from 'react-i18next';
import type { TicketDto } from '@frontdesk/contracts';
import { Button, ServiceBadge, StatusPill, Icon } from '@frontdesk/ui';
import type { SnapshotService } from '../../lib/live-queue-state';
import { formatElapsed, secondsSince } from '../../lib/time-format';
import { isAged } from './ticket-rules';

interface WaitingListProps {
  tickets: TicketDto[];
  services: Map<string, SnapshotService>;
  agingLimitSeconds: number;
  now: Date;
  disabled: boolean;
  onCallThis: (ticket: TicketDto) => void;
}

/** Everyone waiting for this counter's services, in the order they will be called. */
export function WaitingList({ tickets, services, agingLimitSeconds, now, disabled, onCallThis }: WaitingListProps) {
  const { t } = useTranslation();
  const longest = tickets.reduce((max, ticket) => Math.max(max, secondsSince(ticket.createdAt, now) ?? 0), 0);
  return (
    <section className="waiting-list" aria-labelledby="waiting-title">
      <header className="waiting-list__head">
        <h2 id="waiting-title" className="panel-title">
          {t('counter.waitingList')} <span className="waiting-list__count tabular">{tickets.length}</span>
        </h2>
        {tickets.length > 0 && (
          <span className="waiting-list__longest">
            {t('counter.longestWait')} <strong className="tabular">{formatElapsed(longest)}</strong>
          </span>
        )}
      </header>
      {tickets.length === 0 ? (
        <p className="waiting-list__empty">{t('counter.nobodyWaitingList')}</p>
      ) : (
        <ol className="waiting-list__rows">
          {tickets.map((ticket, index) => {
            const waited = secondsSince(ticket.createdAt, now) ?? 0;
            const aged = isAged(ticket, { agingLimitSeconds }, now);
            const service = services.get(ticket.serviceId);
            return (
              <li key={ticket.id} className={`waiting-row ${ticket.priority === 'priority' ? 'waiting-row--priority' : ''} ${aged ? 'waiting-row--aged' : ''}`}>
                <span className="waiting-row__pos tabular">{index + 1}</span>
                <ServiceBadge code={service?.code ?? ticket.serviceCode} size="sm" />
                <span className="waiting-row__number tabular">{ticket.number}</span>
                <span className="waiting-row__tags">
                  {ticket.priority === 'priority' && <StatusPill tone="success">{t('counter.priority')}</StatusPill>}
                  {aged && <StatusPill tone="warning">{t('counter.aged')}</StatusPill>}
                  {ticket.phoneMasked && (
                    <span className="waiting-row__phone">
                      <Icon name="phone" /> {ticket.phoneMasked}
                    </span>
                  )}
                </span>
                <span className={`waiting-row__waited tabular ${aged ? 'waiting-row__waited--long' : ''}`} title={t('counter.timers.waited')}>
                  {formatElapsed(waited)}
                </span>
                <Button size="sm" variant="ghost" disabled={disabled} onClick={() => onCallThis(ticket)}>
                  {t('counter.callThis')}
                </Button>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
