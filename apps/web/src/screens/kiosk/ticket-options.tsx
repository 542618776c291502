import { useTranslation } from 'react-i18next';
import { Button, ServiceBadge } from '@frontdesk/ui';
import { useLanguage } from '../../lib/i18n';
import { otherText, pickText } from '../../lib/i18n-text';
import type { KioskService } from './kiosk-service';
import { formatPhoneForDisplay, isPlausiblePhone, PhoneKeypad } from './phone-keypad';
import { QueueFigures } from './service-chooser';

interface TicketOptionsProps {
  service: KioskService;
  phone: string;
  priority: boolean;
  onPhoneChange: (phone: string) => void;
  onPriorityChange: (priority: boolean) => void;
  onSubmit: () => void;
  onBack: () => void;
}

/**
 * Step two: optional phone for an SMS, the priority toggle, then print. Laid
 * out to fit one screen with every touch target at least 120 px tall.
 */
export function TicketOptions({ service, phone, priority, onPhoneChange, onPriorityChange, onSubmit, onBack }: TicketOptionsProps) {
  const { t } = useTranslation();
  const [language] = useLanguage();
  const phoneInvalid = phone.length > 0 && !isPlausiblePhone(phone);

  return (
    <section className="kiosk-options" aria-labelledby="kiosk-options-title">
      <div className="kiosk-panel kiosk-panel--phone">
        <h2 className="kiosk-panel__title">{t('kiosk.phone.title')}</h2>
        <p className="kiosk-panel__hint">{t('kiosk.phone.hint')}</p>
        <output className={`kiosk-phone ${phoneInvalid ? 'kiosk-phone--invalid' : ''}`} aria-live="polite">
          {phone ? formatPhoneForDisplay(phone) : <span className="kiosk-phone__placeholder">{t('kiosk.phone.placeholder')}</span>}
        </output>
        {phoneInvalid && <p className="kiosk-panel__error">{t('kiosk.phone.invalid')}</p>}
        <PhoneKeypad value={phone} onChange={onPhoneChange} />
      </div>

      <div className="kiosk-options__side">
        <div className="kiosk-options__summary">
          <ServiceBadge code={service.code} size="lg" />
          <div className="kiosk-options__names">
            <h1 id="kiosk-options-title" className="kiosk-options__service">
              {pickText(service.name, language)}
            </h1>
            <p className="kiosk-options__service-alt">{otherText(service.name, language)}</p>
          </div>
          <QueueFigures service={service} />
        </div>

        <div className="kiosk-panel kiosk-panel--priority">
          <h2 className="kiosk-panel__title">{t('kiosk.priority.title')}</h2>
          <p className="kiosk-panel__hint">{t('kiosk.priority.hint')}</p>
          <button type="button" className="kiosk-priority" aria-pressed={priority} onClick={() => onPriorityChange(!priority)}>
            <span className="kiosk-priority__switch" aria-hidden="true">
              <span className="kiosk-priority__knob" />
            </span>
            <span className="kiosk-priority__label">{priority ? t('kiosk.priority.on') : t('kiosk.priority.off')}</span>
          </button>
          <p className="kiosk-panel__note">{t('kiosk.priority.note')}</p>
        </div>

        <div className="kiosk-options__actions">
          <Button size="xl" variant="primary" block onClick={onSubmit} disabled={phoneInvalid} className="kiosk-options__submit">
            {phone ? t('kiosk.getTicketWithSms') : t('kiosk.getTicket')}
          </Button>
          <Button size="xl" variant="secondary" block onClick={onBack}>
            {t('kiosk.back')}
          </Button>
        </div>
      </div>
    </section>
  );
}
