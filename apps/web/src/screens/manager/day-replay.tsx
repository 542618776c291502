import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DateTime } from 'luxon';
import type { ReplayResponse } from '@frontdesk/contracts';
import { Button, ServiceBadge, StatusPill } from '@frontdesk/ui';
import type { ApiClient } from '../../lib/api-client';
import { useLanguage } from '../../lib/i18n';
import { pickText } from '../../lib/i18n-text';
import { useApiGet } from '../../lib/use-resource';
import { KpiTiles } from './kpi-tiles';

const STEP_MINUTES = 5;
const PLAY_EVERY_MS = 600;

/** Pick a past day and scrub through it: tiles and the lobby as they stood, rebuilt from the event log. */
export function DayReplay({ api, branchId, timeZone }: { api: ApiClient; branchId: string; timeZone: string }) {
  const { t } = useTranslation();
  const [language] = useLanguage();
  // Today's replay ends at the moment the panel opened (to the second): the slider's end then stays put, and
  // its value is the live tiles' value at that moment.
  const [openedAt] = useState(() => DateTime.now().setZone(timeZone).startOf('second'));
  const yesterday = openedAt.minus({ days: 1 }).toISODate()!;
  const today = openedAt.toISODate()!;
  const [day, setDay] = useState(yesterday);
  const [minute, setMinute] = useState(12 * 60);
  const [shown, setShown] = useState(minute);
  const [playing, setPlaying] = useState(false);
  const lastMinute = day === today ? openedAt.hour * 60 + openedAt.minute : 24 * 60 - 1;
  // A range input only takes multiples of its step: round its end up, so today's end (any minute) can be reached.
  const sliderMax = day === today ? Math.ceil(lastMinute / STEP_MINUTES) * STEP_MINUTES : 24 * 60 - STEP_MINUTES;

  // Fetch once the slider rests, not for every pixel of a drag.
  useEffect(() => {
    const timer = setTimeout(() => setShown(minute), 200);
    return () => clearTimeout(timer);
  }, [minute]);
  useEffect(() => {
    if (!playing) return;
    const timer = setInterval(() => setMinute((m) => (m + STEP_MINUTES > sliderMax ? m : m + STEP_MINUTES)), PLAY_EVERY_MS);
    return () => clearInterval(timer);
  }, [playing, sliderMax]);

  const local = day === today && shown >= lastMinute ? openedAt : DateTime.fromISO(day, { zone: timeZone }).plus({ minutes: Math.min(shown, lastMinute) });
  const res = useApiGet<ReplayResponse>(api, `/api/branches/${branchId}/replay?at=${local.toFormat("yyyy-MM-dd'T'HH:mm:ss")}`);
  const atEnd = day === today && minute >= lastMinute;
  const label = atEnd
    ? openedAt.toFormat('HH:mm:ss')
    : DateTime.fromISO(day, { zone: timeZone })
        .plus({ minutes: Math.min(minute, sliderMax) })
        .toFormat('HH:mm');

  return (
    <section className="mgr-panel mgr-replay" aria-label={t('manager.replay.title')}>
      <header className="mgr-panel__head">
        <h2>{t('manager.replay.title')}</h2>
        <span className="mgr-muted">{t('manager.replay.hint')}</span>
      </header>
      <div className="mgr-replay__controls">
        <input type="date" name="replay-day" value={day} max={today} onChange={(e) => e.target.value && setDay(e.target.value)} />
        <Button size="sm" variant="secondary" onClick={() => setPlaying((p) => !p)}>
          {playing ? t('manager.replay.pause') : t('manager.replay.play')}
        </Button>
        <input
          type="range"
          name="replay-minute"
          min={0}
          max={sliderMax}
          step={STEP_MINUTES}
          value={Math.min(minute, sliderMax)}
          onChange={(e) => setMinute(Number(e.target.value))}
          aria-label={t('manager.replay.time')}
        />
        <span className="mgr-replay__time tabular" data-replay-time={label}>
          {label}
        </span>
      </div>
      {res.data && (
        <div className="mgr-replay__body">
          <KpiTiles data={res.data} />
          <div className="mgr-replay__lobby">
            <h3 className="mgr-group__title">{t('manager.replay.lobby')}</h3>
            <ul className="mgr-replay__counters">
              {res.data.lobby.counters.map((c) => (
                <li key={c.id} data-replay-counter={c.name}>
                  <span>{c.name}</span>
                  <StatusPill tone={c.status === 'open' ? 'success' : c.status === 'paused' ? 'warning' : 'neutral'}>
                    {t(`counterStatus.${c.status}`)}
                  </StatusPill>
                  <span className="tabular mgr-strong">{c.ticket ?? '—'}</span>
                </li>
              ))}
            </ul>
            <ul className="mgr-replay__services">
              {res.data.lobby.services.map((s) => (
                <li key={s.serviceId}>
                  <ServiceBadge code={s.code} />
                  <span className="mgr-replay__service-name">{pickText(s.name, language)}</span>
                  <span className="tabular">{s.waiting.length ? s.waiting.join(' ') : '—'}</span>
                </li>
              ))}
            </ul>
          </div>
        </div>
      )}
    </section>
  );
}
