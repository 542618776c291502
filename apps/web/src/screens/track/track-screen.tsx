import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import type { Language, PublicLiveEvent, LiveEvent, TrackDto } from '@frontdesk/contracts';
import { Button, Icon, StatusPill, type Tone } from '@frontdesk/ui';
import { LanguageSwitch } from '../../components/language-switch';
import { LiveIndicator } from '../../components/live-indicator';
import { ScreenError, ScreenLoading } from '../../components/screen-state';
import { isApiError, publicApi } from '../../lib/api-client';
import { counterLabel } from '../../lib/counter-name';
import { chooseLanguage, storedLanguage, useLanguage } from '../../lib/i18n';
import { otherText, pickText } from '../../lib/i18n-text';
import { useLiveSocket } from '../../lib/live-socket';
import { useAnnouncer } from '../../lib/use-announcer';
import { useApiGet } from '../../lib/use-resource';
import { formatTime, waitMinutes } from '../../lib/time-format';
import './track.css';

/**
 * TrackDto as we read it. `serviceId` and `timeZone` are not in the contract yet;
 * when the API adds them we filter events by service and show branch-local times.
 */
type TrackView = TrackDto & { serviceId?: string; timeZone?: string };

const REFETCH_DEBOUNCE_MS = 300;
const POLL_WHEN_LIVE_MS = 120_000;
const POLL_WHEN_DOWN_MS = 20_000;

const STATUS_TONE: Record<TrackDto['status'], Tone> = {
  waiting: 'brand',
  called: 'call',
  serving: 'success',
  done: 'neutral',
  no_show: 'danger',
  cancelled: 'neutral',
};

export function TrackScreen() {
  const { ticketId = '' } = useParams();
  const { t } = useTranslation();
  const track = useApiGet<TrackView>(publicApi, `/api/tickets/${encodeURIComponent(ticketId)}/track`);

  // A phone follows its own language unless the person chose one here.
  useEffect(() => {
    if (!storedLanguage()) {
      const preferred: Language = navigator.language.toLowerCase().startsWith('zh') ? 'zh' : 'en';
      chooseLanguage(preferred, false);
    }
  }, []);

  if (!track.data) {
    if (track.error) {
      const notFound = isApiError(track.error) && track.error.status === 404;
      return notFound ? (
        <div className="track">
          <TrackHeader />
          <main className="track__main">
            <div className="track-card track-card--muted">
              <h1 className="track-card__headline">{t('track.notFound')}</h1>
              <p>{t('track.notFoundHint')}</p>
            </div>
          </main>
        </div>
      ) : (
        <ScreenError error={track.error} onRetry={track.reload} />
      );
    }
    return <ScreenLoading />;
  }
  return <LiveTrack ticketId={ticketId} track={track.data} reload={track.reload} refreshing={track.loading} />;
}

function TrackHeader({ branch }: { branch?: TrackView['branchName'] }) {
  const [language] = useLanguage();
  return (
    <header className="track__header">
      <span className="track__branch">{branch ? pickText(branch, language) : 'Frontdesk Live'}</span>
      <LanguageSwitch />
    </header>
  );
}

function LiveTrack({ ticketId, track, reload, refreshing }: { ticketId: string; track: TrackView; reload: () => void; refreshing: boolean }) {
  const { t } = useTranslation();
  const [language] = useLanguage();
  const { socket, connection } = useLiveSocket(null, true);
  const { announcer, unlocked } = useAnnouncer();
  const [updatedAt, setUpdatedAt] = useState(() => new Date());
  const [alertFlash, setAlertFlash] = useState(false);

  const refetchTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const scheduleRefetch = useCallback(() => {
    if (refetchTimer.current) {
      clearTimeout(refetchTimer.current);
    }
    refetchTimer.current = setTimeout(() => {
      refetchTimer.current = null;
      reload();
    }, REFETCH_DEBOUNCE_MS);
  }, [reload]);
  useEffect(
    () => () => {
      if (refetchTimer.current) {
        clearTimeout(refetchTimer.current);
      }
    },
    [],
  );

  useEffect(() => {
    if (!refreshing) {
      setUpdatedAt(new Date());
    }
  }, [refreshing, track]);

  // Which events can change this ticket's picture: its own, and its service's queue.
  const trackRef = useRef(track);
  useEffect(() => {
    trackRef.current = track;
  }, [track]);
  const learnedServiceId = useRef<string | null>(null);

  useEffect(() => {
    if (!socket) {
      return;
    }
    let lastSeq = -1;
    const subscribe = () => {
      socket.emit('subscribe', { view: 'track', ticketId }, (ack) => {
        if (ack.ok) {
          lastSeq = ack.seq;
        }
        // Whatever happened while we were away is in the track endpoint.
        scheduleRefetch();
      });
    };
    const onEvent = (event: LiveEvent | PublicLiveEvent) => {
      lastSeq = Math.max(lastSeq, event.seq);
      const data = event.data as { ticket?: { number: string; serviceId: string } };
      const current = trackRef.current;
      if (data.ticket) {
        if (data.ticket.number === current.number) {
          learnedServiceId.current = data.ticket.serviceId;
        }
        const serviceId = current.serviceId ?? learnedServiceId.current;
        const mine = data.ticket.number === current.number;
        if (!mine && serviceId && data.ticket.serviceId !== serviceId) {
          return;
        }
      }
      scheduleRefetch();
    };
    const onSync = (beacon: { seq: number }) => {
      if (beacon.seq > lastSeq) {
        lastSeq = beacon.seq;
        scheduleRefetch();
      }
    };
    socket.on('connect', subscribe);
    socket.on('event', onEvent);
    socket.on('sync', onSync);
    if (socket.connected) {
      subscribe();
    }
    return () => {
      socket.off('connect', subscribe);
      socket.off('event', onEvent);
      socket.off('sync', onSync);
    };
  }, [socket, ticketId, scheduleRefetch]);

  // Safety net: poll slowly while live, faster while the socket is down.
  const isLive = connection.status === 'live';
  useEffect(() => {
    const timer = setInterval(reload, isLive ? POLL_WHEN_LIVE_MS : POLL_WHEN_DOWN_MS);
    return () => clearInterval(timer);
  }, [reload, isLive]);

  // Being called (or recalled) is the moment this page exists for.
  const callKey = track.status === 'called' ? `${track.calledAt ?? ''}|${track.counter ?? ''}` : null;
  const previousCallKey = useRef<string | null>(callKey);
  useEffect(() => {
    if (callKey && callKey !== previousCallKey.current) {
      navigator.vibrate?.([400, 150, 400, 150, 600]);
      void announcer.chime();
      setAlertFlash(true);
      const timer = setTimeout(() => setAlertFlash(false), 8_000);
      previousCallKey.current = callKey;
      return () => clearTimeout(timer);
    }
    previousCallKey.current = callKey;
    return undefined;
  }, [callKey, announcer]);

  useEffect(() => {
    document.title = track.status === 'called' ? `🔔 ${track.number} — ${counterLabel(track.counter, language)}` : `${track.number} · Frontdesk Live`;
  }, [track.status, track.number, track.counter, language]);

  const minutes = waitMinutes(track.estimatedWaitSeconds);
  const status = track.status;

  return (
    <div className={`track track--${status} ${alertFlash ? 'track--flash' : ''}`}>
      <TrackHeader branch={track.branchName} />
      <main className="track__main">
        <section className="track-card" aria-live="polite">
          <div className="track-card__top">
            <span className="track-card__label">{t('track.yourNumber')}</span>
            <StatusPill tone={STATUS_TONE[status]}>{t(`ticketStatus.${status}`)}</StatusPill>
          </div>
          <p className="track-card__number tabular">{track.number}</p>
          <p className="track-card__service">
            {pickText(track.serviceName, language)}
            <span className="track-card__service-alt">{otherText(track.serviceName, language)}</span>
          </p>

          {status === 'waiting' && (
            <dl className="track-facts">
              <div>
                <dt>{t('track.ahead')}</dt>
                <dd className="tabular">{track.peopleAhead ?? '—'}</dd>
              </div>
              <div>
                <dt>{t('track.estimate')}</dt>
                <dd className="tabular">
                  {minutes === null ? '—' : minutes}
                  {minutes !== null && <span className="track-facts__unit">{t('common.minutesShort')}</span>}
                </dd>
              </div>
              {track.position !== null && (
                <div>
                  <dt>{t('track.position')}</dt>
                  <dd className="tabular">{track.position}</dd>
                </div>
              )}
            </dl>
          )}
          {status === 'waiting' && track.peopleAhead === 0 && <p className="track-card__next">{t('track.youAreNext')}</p>}
        </section>

        {status === 'called' && (
          <section className="track-call" role="alert">
            <p className="track-call__lead">{t('track.calledLead')}</p>
            <p className="track-call__counter">{counterLabel(track.counter, language) || t('track.frontDesk')}</p>
            <p className="track-call__alt">{counterLabel(track.counter, language === 'zh' ? 'en' : 'zh')}</p>
          </section>
        )}
        {status === 'serving' && (
          <section className="track-note track-note--success">
            <p>{t('track.serving', { counter: counterLabel(track.counter, language) })}</p>
          </section>
        )}
        {status === 'done' && (
          <section className="track-note">
            <p>{t('track.done')}</p>
          </section>
        )}
        {status === 'no_show' && (
          <section className="track-note track-note--danger">
            <p>{t('track.noShow')}</p>
          </section>
        )}
        {status === 'cancelled' && (
          <section className="track-note">
            <p>{t('track.cancelled')}</p>
          </section>
        )}

        {(status === 'waiting' || status === 'called') && !unlocked && (
          <Button
            variant="secondary"
            size="lg"
            block
            onClick={() => {
              void announcer.unlock().then(() => announcer.chime());
              navigator.vibrate?.(200);
            }}
          >
            <Icon name="bell" /> {t('track.enableAlerts')}
          </Button>
        )}
        {(status === 'waiting' || status === 'called') && unlocked && (
          <p className="track__alerts-on">
            <Icon name="check" /> {t('track.alertsOn')}
          </p>
        )}

        <footer className="track__footer">
          <span>
            {t('track.takenAt', { time: formatTime(track.createdAt, track.timeZone) })} ·{' '}
            {t('track.updatedAt', { time: formatTime(updatedAt, track.timeZone, true) })}
          </span>
          <LiveIndicator connection={connection} timeZone={track.timeZone} />
        </footer>
      </main>
    </div>
  );
}
