import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AlertDto } from '@frontdesk/contracts';
import { Button, StatusPill } from '@frontdesk/ui';
import type { ApiClient } from '../../lib/api-client';
import { formatTime } from '../../lib/time-format';
import { alertText } from './alert-text';

const SOUND_KEY = 'frontdesk.managerAlertSound';

function soundPreference(): boolean {
  try {
    return window.localStorage.getItem(SOUND_KEY) === '1';
  } catch {
    return false;
  }
}

/** Two short tones: enough to turn a head at the desk, without the lobby chime's meaning. */
function beep(): void {
  try {
    const ctx = new AudioContext();
    [0, 0.22].forEach((offset, i) => {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.frequency.value = i === 0 ? 880 : 660;
      gain.gain.setValueAtTime(0.2, ctx.currentTime + offset);
      gain.gain.exponentialRampToValueAtTime(0.001, ctx.currentTime + offset + 0.2);
      osc.connect(gain).connect(ctx.destination);
      osc.start(ctx.currentTime + offset);
      osc.stop(ctx.currentTime + offset + 0.2);
    });
    setTimeout(() => void ctx.close(), 800);
  } catch {
    // No audio in this browser: the feed itself still shows the alert.
  }
}

/** Open alerts of the branch, newest first, each with its acknowledge button; optional sound for new ones. */
export function AlertFeed({ api, alerts, timeZone, onChanged }: { api: ApiClient; alerts: AlertDto[]; timeZone: string; onChanged: () => void }) {
  const { t } = useTranslation();
  const [sound, setSound] = useState(soundPreference);
  const [busy, setBusy] = useState<string | null>(null);
  const seen = useRef<Set<string> | null>(null);

  useEffect(() => {
    const ids = new Set(alerts.map((a) => a.id));
    if (seen.current && sound && alerts.some((a) => !seen.current!.has(a.id) && a.state === 'open')) beep();
    seen.current = ids;
  }, [alerts, sound]);

  const toggle = () => {
    const next = !sound;
    setSound(next);
    try {
      window.localStorage.setItem(SOUND_KEY, next ? '1' : '0');
    } catch {
      // The choice lasts for this page only.
    }
    if (next) beep();
  };

  const ack = async (id: string) => {
    setBusy(id);
    try {
      await api.post(`/api/alerts/${id}/ack`);
    } finally {
      setBusy(null);
      onChanged();
    }
  };

  return (
    <section className="mgr-panel mgr-alerts" aria-label={t('manager.alerts.title')}>
      <header className="mgr-panel__head">
        <h2>{t('manager.alerts.title')}</h2>
        <label className="mgr-sound">
          <input type="checkbox" checked={sound} onChange={toggle} /> {t('manager.alerts.sound')}
        </label>
      </header>
      {alerts.length === 0 ? (
        <p className="mgr-empty">{t('manager.alerts.none')}</p>
      ) : (
        <ul className="mgr-alert-list">
          {alerts.map((a) => (
            <li key={a.id} className={`mgr-alert mgr-alert--${a.severity}`} data-alert-kind={a.kind} data-alert-state={a.state}>
              <div className="mgr-alert__body">
                <StatusPill tone={a.severity === 'critical' ? 'danger' : a.severity === 'warning' ? 'warning' : 'neutral'}>
                  {t(`manager.alerts.severity.${a.severity}`)}
                </StatusPill>
                <span className="mgr-alert__message">{alertText(a, t)}</span>
                <span className="mgr-alert__time tabular">{formatTime(a.raisedAt, timeZone)}</span>
              </div>
              {a.state === 'open' ? (
                <Button size="sm" variant="secondary" disabled={busy === a.id} onClick={() => void ack(a.id)}>
                  {t('manager.alerts.ack')}
                </Button>
              ) : (
                <span className="mgr-alert__acked">{t('manager.alerts.acked')}</span>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
