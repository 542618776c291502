import { useTranslation } from 'react-i18next';
import { BigButton, ServiceBadge, serviceColor } from '@frontdesk/ui';
import { otherText, pickText } from '../../lib/i18n-text';
import { useLanguage } from '../../lib/i18n';
import { waitMinutes } from '../../lib/time-format';
import type { KioskService } from './kiosk-service';

export function QueueFigures({ service }: { service: KioskService }) {
  const { t } = useTranslation();
  if (service.waiting === null) {
    return null;
  }
  const minutes = waitMinutes(service.estimatedWaitSeconds);
  return (
    <span className="kiosk-figures">
      <span className="kiosk-figures__waiting">
        <strong className="tabular">{service.waiting}</strong> {t('kiosk.waitingUnit', { count: service.waiting })}
      </span>
      <span className="kiosk-figures__estimate">
        {service.waiting === 0 ? t('kiosk.noWait') : minutes === null ? t('kiosk.estimateUnknown') : t('kiosk.estimate', { count: minutes })}
      </span>
    </span>
  );
}

interface ServiceChooserProps {
  services: KioskService[];
  onChoose: (service: KioskService) => void;
  /** The fast lane for customers with a pickup SMS; absent when the branch has no pickup service. */
  onPickup?: () => void;
}

export function ServiceChooser({ services, onChoose, onPickup }: ServiceChooserProps) {
  const { t } = useTranslation();
  const [language] = useLanguage();
  const open = services.filter((service) => service.open);
  const closed = services.filter((service) => !service.open);

  return (
    <section className="kiosk-choose" aria-labelledby="kiosk-choose-title">
      <h1 id="kiosk-choose-title" className="kiosk-heading">
        {t('kiosk.chooseService')}
      </h1>
      {open.length === 0 ? (
        <div className="kiosk-empty">
          <p className="kiosk-empty__title">{t('kiosk.noServicesOpen')}</p>
          <p>{t('kiosk.askStaff')}</p>
        </div>
      ) : (
        <div className="kiosk-services">
          {open.map((service) => (
            <BigButton
              key={service.id}
              tone={serviceColor(service.code)}
              badge={<ServiceBadge code={service.code} size="xl" />}
              title={pickText(service.name, language)}
              subtitle={otherText(service.name, language)}
              aside={<QueueFigures service={service} />}
              onClick={() => onChoose(service)}
              className="kiosk-service"
            />
          ))}
        </div>
      )}
      {onPickup && (
        <BigButton
          tone={serviceColor('B')}
          badge={<span className="kiosk-pickup-entry__icon" aria-hidden="true">✓</span>}
          title={t('kiosk.pickup.entry')}
          subtitle={t('kiosk.pickup.entryHint')}
          onClick={onPickup}
          className="kiosk-service kiosk-pickup-entry"
        />
      )}
      {closed.length > 0 && (
        <p className="kiosk-closed">
          {t('kiosk.closedNow')}: {closed.map((s) => `${s.code} ${pickText(s.name, language)}`).join(' · ')}
        </p>
      )}
    </section>
  );
}
