import type { Language, PublicTicketDto } from '@frontdesk/contracts';
import { ServiceBadge } from '@frontdesk/ui';
import { counterLabel } from '../../lib/counter-name';
import { fixedT } from '../../lib/i18n';
import { pickText } from '../../lib/i18n-text';
import type { SnapshotService } from '../../lib/live-queue-state';

interface NowCallingProps {
  ticket: PublicTicketDto | null;
  service: SnapshotService | undefined;
  primary: Language;
  flashing: boolean;
}

/** The promise the lobby relies on: the number being called and where to go, readable from five metres. */
export function NowCalling({ ticket, service, primary, flashing }: NowCallingProps) {
  const secondary: Language = primary === 'zh' ? 'en' : 'zh';
  const tp = fixedT(primary);
  const ts = fixedT(secondary);
  return (
    <section className={`now-calling ${flashing ? 'now-calling--flash' : ''}`} aria-live="assertive" aria-atomic="true">
      <header className="now-calling__label">
        <span>{tp('display.nowCalling')}</span>
        <span className="now-calling__label-alt">{ts('display.nowCalling')}</span>
      </header>
      {ticket ? (
        <div className="now-calling__body">
          <div className="now-calling__number tabular">{ticket.number}</div>
          <div className="now-calling__target">
            <span className="now-calling__arrow" aria-hidden="true">
              →
            </span>
            <span className="now-calling__counter">{counterLabel(ticket.counterName, primary)}</span>
            <span className="now-calling__counter-alt">{counterLabel(ticket.counterName, secondary)}</span>
          </div>
          {service && (
            <div className="now-calling__service">
              <ServiceBadge code={service.code} size="md" />
              <span>{pickText(service.name, primary)}</span>
              <span className="now-calling__service-alt">{pickText(service.name, secondary)}</span>
              {ticket.recallCount > 0 && <span className="now-calling__recall">{tp('display.recall', { count: ticket.recallCount })}</span>}
            </div>
          )}
        </div>
      ) : (
        <div className="now-calling__empty">
          <span>{tp('display.noCallsYet')}</span>
          <span className="now-calling__empty-alt">{ts('display.noCallsYet')}</span>
        </div>
      )}
    </section>
  );
}
