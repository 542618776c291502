import { useTranslation } from 'react-i18next';
import type { CounterDto } from '@frontdesk/contracts';
import { StatusPill } from '@frontdesk/ui';

const STATUS_TONE = { open: 'success', paused: 'warning', closed: 'neutral' } as const;

/** "Which desk am I at?" — asked once, then remembered on this computer. */
export function CounterPicker({ counters, currentUserId, onPick }: { counters: CounterDto[]; currentUserId: string | null; onPick: (id: string) => void }) {
  const { t } = useTranslation();
  return (
    <main className="counter-pick">
      <h1>{t('counter.chooseCounter')}</h1>
      <p className="counter-pick__hint">{t('counter.chooseCounterHint')}</p>
      {counters.length === 0 && <p>{t('counter.noCounters')}</p>}
      <div className="counter-pick__grid">
        {[...counters]
          .sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }))
          .map((counter) => {
            const takenByOther = counter.userId !== null && counter.userId !== currentUserId && counter.status !== 'closed';
            return (
              <button key={counter.id} type="button" className="counter-pick__card" onClick={() => onPick(counter.id)}>
                <span className="counter-pick__name">{counter.name}</span>
                <StatusPill tone={STATUS_TONE[counter.status]}>{t(`counterStatus.${counter.status}`)}</StatusPill>
                <span className="counter-pick__meta">
                  {t('counter.servicesCount', { count: counter.services.length })}
                  {counter.ticket ? ` · ${counter.ticket.number}` : ''}
                </span>
                {takenByOther && <span className="counter-pick__warning">{t('counter.inUseByOther')}</span>}
              </button>
            );
          })}
      </div>
    </main>
  );
}
