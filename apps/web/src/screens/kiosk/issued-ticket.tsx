import { useTranslation } from 'react-i18next';
import { QRCodeSVG } from 'qrcode.react';
import type { IssuedTicketDto } from '@frontdesk/contracts';
import { Button, ServiceBadge } from '@frontdesk/ui';
import { useLanguage } from '../../lib/i18n';
import { otherText, pickText } from '../../lib/i18n-text';
import { formatTime, waitMinutes } from '../../lib/time-format';
import { absoluteTrackUrl } from './printed-ticket';

interface IssuedTicketProps {
  ticket: IssuedTicketDto;
  timeZone: string;
  secondsLeft: number;
  onDone: () => void;
  onPrintAgain: () => void;
}

/** The ticket on screen, as big as the printout is small. */
export function IssuedTicket({ ticket, timeZone, secondsLeft, onDone, onPrintAgain }: IssuedTicketProps) {
  const { t } = useTranslation();
  const [language] = useLanguage();
  const minutes = waitMinutes(ticket.estimatedWaitSeconds);
  return (
    <section className="kiosk-ticket" aria-labelledby="kiosk-ticket-number" aria-live="assertive">
      <div className="kiosk-ticket__card">
        <p className="kiosk-ticket__label">{t('kiosk.ticket.yourNumber')}</p>
        <p id="kiosk-ticket-number" className="kiosk-ticket__number tabular">
          {ticket.number}
        </p>
        <p className="kiosk-ticket__service">
          <ServiceBadge code={ticket.serviceCode} size="md" />
          <span>{pickText(ticket.serviceName, language)}</span>
          <span className="kiosk-ticket__service-alt">{otherText(ticket.serviceName, language)}</span>
        </p>
        {ticket.repairOrderNo && (
          <p className="kiosk-ticket__order">
            {t('kiosk.pickup.forOrder')} <strong className="tabular">{ticket.repairOrderNo}</strong>
          </p>
        )}
        {ticket.priority === 'priority' && <p className="kiosk-ticket__priority">{t('kiosk.ticket.priority')}</p>}
        <dl className="kiosk-ticket__facts">
          <div>
            <dt>{t('kiosk.ticket.ahead')}</dt>
            <dd className="tabular">{ticket.peopleAhead}</dd>
          </div>
          <div>
            <dt>{t('kiosk.ticket.estimate')}</dt>
            <dd className="tabular">
              {minutes === null ? '—' : minutes}
              {minutes !== null && <span className="kiosk-ticket__unit">{t('common.minutesShort')}</span>}
            </dd>
          </div>
          <div>
            <dt>{t('kiosk.ticket.takenAt')}</dt>
            <dd className="tabular">{formatTime(ticket.createdAt, timeZone)}</dd>
          </div>
        </dl>
      </div>

      <div className="kiosk-ticket__side">
        <div className="kiosk-ticket__qr">
          <QRCodeSVG value={absoluteTrackUrl(ticket.trackUrl)} size={220} level="M" marginSize={2} />
        </div>
        <p className="kiosk-ticket__scan">{t('kiosk.ticket.scan')}</p>
        <p className="kiosk-ticket__take">{t('kiosk.ticket.takePrint')}</p>
        <div className="kiosk-ticket__actions">
          <Button size="xl" variant="primary" block onClick={onDone}>
            {t('kiosk.ticket.done')}
          </Button>
          <Button size="xl" variant="ghost" block onClick={onPrintAgain}>
            {t('kiosk.ticket.printAgain')}
          </Button>
        </div>
        <p className="kiosk-ticket__countdown" aria-live="off">
          {t('kiosk.ticket.returning', { count: secondsLeft })}
        </p>
      </div>
    </section>
  );
}
