import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import type { BranchDto, PublicTicketDto } from '@frontdesk/contracts';
import { Clock, Icon, ServiceTile } from '@frontdesk/ui';
import { LanguageSwitch } from '../../components/language-switch';
import { LiveIndicator } from '../../components/live-indicator';
import { CenteredMessage, ScreenError, ScreenLoading } from '../../components/screen-state';
import { callAnnouncement } from '../../lib/announcer';
import { isApiError, type ApiClient } from '../../lib/api-client';
import { fixedT, LOCALE_OF, useBranchDefaultLanguage, useLanguage } from '../../lib/i18n';
import { pickText } from '../../lib/i18n-text';
import { isTicketChange, type QueueEvent } from '../../lib/live-queue-state';
import type { EventSource } from '../../lib/live-queue-sync';
import { useAnnouncer } from '../../lib/use-announcer';
import { useDeviceBranch } from '../../lib/use-device-branch';
import { useLiveQueue } from '../../lib/use-live-queue';
import { waitMinutes } from '../../lib/time-format';
import { NowCalling } from './now-calling';
import { ReadyBoard } from './ready-board';
import { useReadyBoard } from './ready-board-state';
import { RecentCalls } from './recent-calls';
import { SoundGate } from './sound-gate';
import './display.css';

const FLASH_MS = 6_000;
/** A call caught up through a replay is still announced if it is this fresh. */
const ANNOUNCE_REPLAYED_WITHIN_MS = 60_000;
// Six rows leave the lower right to the ready-for-pickup board.
const RECENT_ROWS = 6;

export function DisplayScreen() {
  const { t } = useTranslation();
  const { branchCode = '' } = useParams();
  const { token, branch, api } = useDeviceBranch('display', branchCode);

  let content;
  if (!token) {
    content = <CenteredMessage tone="warning" title={t('device.notSetUpTitle')} message={t('device.notSetUpDisplay')} />;
  } else if (branch.error) {
    const status = isApiError(branch.error) ? branch.error.status : null;
    content = (
      <ScreenError
        error={branch.error}
        onRetry={branch.reload}
        extra={status === 401 || status === 403 ? t('device.tokenRejected') : status === 404 ? t('device.unknownBranch', { code: branchCode }) : undefined}
      />
    );
  } else if (!branch.data) {
    content = <ScreenLoading />;
  } else {
    return <WallDisplay branch={branch.data} token={token} api={api} />;
  }
  return (
    <div className="display-shell" data-theme="dark">
      {content}
    </div>
  );
}

function WallDisplay({ branch, token, api }: { branch: BranchDto; token: string; api: ApiClient }) {
  const { t } = useTranslation();
  useBranchDefaultLanguage(branch.defaultLanguage);
  const [primary] = useLanguage();
  const secondary = primary === 'zh' ? 'en' : 'zh';
  const { announcer, unlocked, speaking } = useAnnouncer();
  const [soundDecision, setSoundDecision] = useState<'pending' | 'skipped' | 'probing'>('probing');
  const [flash, setFlash] = useState<{ number: string; key: number } | null>(null);

  // Kiosk-mode browsers often allow autoplay; ask only when they do not.
  useEffect(() => {
    let cancelled = false;
    void announcer.probeAutoplay().then((ok) => {
      if (!cancelled) {
        setSoundDecision(ok ? 'skipped' : 'pending');
      }
    });
    return () => {
      cancelled = true;
    };
  }, [announcer]);

  const languages = branch.queueSettings.announceLanguages;
  const readyBoard = useReadyBoard(api, branch.id);
  const onReadyEvent = readyBoard.onEvent;
  const onEvent = useCallback(
    (event: QueueEvent, source: EventSource) => {
      onReadyEvent(event);
      if (event.type !== 'ticket.called' && event.type !== 'ticket.recalled') {
        return;
      }
      if (!isTicketChange(event.data)) {
        return;
      }
      if (source === 'replay' && Date.now() - Date.parse(event.at) > ANNOUNCE_REPLAYED_WITHIN_MS) {
        return;
      }
      const ticket: PublicTicketDto = event.data.ticket;
      announcer.announce(callAnnouncement(ticket.number, ticket.counterName, languages));
      setFlash({ number: ticket.number, key: event.seq });
    },
    [announcer, languages, onReadyEvent],
  );

  const live = useLiveQueue({ branchId: branch.id, view: 'display', token, onEvent });
  const reloadReady = readyBoard.reload;
  const isLive = live.connection.status === 'live';
  useEffect(() => {
    if (isLive) {
      reloadReady();
    }
  }, [isLive, reloadReady]);

  useEffect(() => {
    if (!flash) {
      return;
    }
    const timer = setTimeout(() => setFlash(null), FLASH_MS);
    return () => clearTimeout(timer);
  }, [flash]);

  const state = live.state;
  const current = state?.recentCalls[0] ?? null;
  const earlier = state?.recentCalls.slice(1, RECENT_ROWS + 1) ?? [];
  const services = useMemo(() => [...(state?.services ?? [])].sort((a, b) => a.code.localeCompare(b.code)), [state?.services]);
  const currentService = current ? services.find((s) => s.serviceId === current.serviceId) : undefined;
  const tp = fixedT(primary);
  const ts = fixedT(secondary);
  const stale = live.connection.status === 'offline';

  if (live.connection.revoked) {
    return (
      <div className="display-shell" data-theme="dark">
        <CenteredMessage tone="danger" title={t('device.revokedTitle')} message={t('device.revoked')} detail={live.connection.revoked} />
      </div>
    );
  }

  return (
    <div className={`display display--with-ready ${stale ? 'display--stale' : ''} ${soundDecision === 'pending' ? 'display--gated' : ''}`} data-theme="dark">
      <header className="display__header">
        <div className="display__branch">
          <span className="brand-mark">A1</span>
          <div>
            <div className="display__branch-name">{pickText(branch.name, primary)}</div>
            <div className="display__branch-alt">{pickText(branch.name, secondary)}</div>
          </div>
        </div>
        <LiveIndicator connection={live.connection} timeZone={branch.timeZone} size="lg" />
        <Clock timeZone={branch.timeZone} locale={LOCALE_OF[primary]} className="display__clock" />
      </header>

      <NowCalling ticket={current} service={currentService} primary={primary} flashing={flash !== null && flash.number === current?.number} />

      <RecentCalls calls={earlier} rows={RECENT_ROWS} primary={primary} timeZone={branch.timeZone} flashNumber={flash?.number ?? null} />

      <ReadyBoard ready={readyBoard.ready} primary={primary} />

      <section className="display__services" aria-label={tp('display.services')}>
        {services.map((service) => {
          const minutes = waitMinutes(service.estimatedWaitSeconds);
          return (
            <ServiceTile
              key={service.serviceId}
              code={service.code}
              title={pickText(service.name, primary)}
              subtitle={pickText(service.name, secondary)}
              muted={!service.open}
              note={!service.open ? `${tp('display.closed')} · ${ts('display.closed')}` : undefined}
              stats={[
                { label: `${tp('display.waiting')} ${ts('display.waiting')}`, value: service.waiting },
                {
                  label: `${tp('display.estimate')} ${ts('display.estimate')}`,
                  value: service.waiting === 0 ? '0' : minutes === null ? '—' : minutes,
                  unit: minutes === null && service.waiting !== 0 ? undefined : tp('common.minutesShort'),
                },
              ]}
            />
          );
        })}
        {!state && <div className="display__loading">{tp('common.loading')}</div>}
      </section>

      <footer className="display__footer">
        <span className="display__notice">
          {tp('display.notice')} <span className="display__notice-alt">{ts('display.notice')}</span>
        </span>
        {stale && <span className="display__stale-note">{tp('display.stale')}</span>}
        {live.error && <span className="display__stale-note">{live.error.message}</span>}
        <button
          type="button"
          className={`display__sound ${unlocked ? 'display__sound--on' : ''}`}
          onClick={() => void announcer.unlock()}
          title={unlocked ? tp('display.sound.on') : tp('display.sound.off')}
        >
          <Icon name={unlocked ? 'speaker' : 'speakerOff'} className={speaking ? 'display__sound-icon--speaking' : undefined} />{' '}
          {unlocked ? tp('display.sound.on') : tp('display.sound.off')}
        </button>
        <LanguageSwitch />
      </footer>

      {soundDecision === 'pending' && !unlocked && (
        <SoundGate
          onEnable={() => {
            void announcer.unlock().then(() => setSoundDecision('skipped'));
          }}
          onSkip={() => setSoundDecision('skipped')}
        />
      )}
    </div>
  );
}
