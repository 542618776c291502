import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BranchDto, CallbackDto, CallbackOutcome } from '@frontdesk/contracts';
import { Button, StatusPill, type Tone } from '@frontdesk/ui';
import type { ApiClient } from '../../lib/api-client';
import { formatTime } from '../../lib/time-format';

const STATUS_TONE: Record<CallbackDto['status'], Tone> = { scheduled: 'neutral', due: 'warning', overdue: 'danger', done: 'success' };
const OUTCOMES: CallbackOutcome[] = ['reached_satisfied', 'reached_unsatisfied', 'unreachable', 'wrong_number'];

/** Callbacks not done yet, due ones first; each outcome is one press. */
export function CallbackList({ api, branch, callbacks, now, onChanged }: { api: ApiClient; branch: BranchDto; callbacks: CallbackDto[]; now: Date; onChanged: () => void }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const sorted = [...callbacks].sort((a, b) => a.dueAt.localeCompare(b.dueAt));

  const complete = async (id: string, outcome: CallbackOutcome) => {
    setBusy(id);
    setError(null);
    try {
      await api.post(`/api/callbacks/${id}/complete`, { outcome });
      onChanged();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="hotline-callbacks">
      <h2>{t('hotline.callbacks.title', { count: sorted.length })}</h2>
      {error && <p className="field__error">{error}</p>}
      {sorted.length === 0 && <p className="hotline-empty">{t('hotline.callbacks.none')}</p>}
      <ul>
        {sorted.map((c) => {
          const status = c.status !== 'done' && Date.parse(c.onTimeBy) < now.getTime() ? 'overdue' : c.status !== 'done' && Date.parse(c.dueAt) <= now.getTime() ? 'due' : c.status;
          return (
            <li key={c.id} className="hotline-callback">
              <div className="hotline-callback__head">
                <span className="tabular hotline-callback__phone">{c.phone}</span>
                {c.name && <span>{c.name}</span>}
                <StatusPill tone={STATUS_TONE[status]}>{t(`hotline.callbacks.status.${status}`)}</StatusPill>
              </div>
              <div className="hotline-callback__meta">
                {t(`hotline.callbacks.reason.${c.reason}`)} · {t('hotline.callbacks.due', { time: formatTime(c.dueAt, branch.timeZone) })}
                {c.attempts > 0 && ` · ${t('hotline.callbacks.attempts', { count: c.attempts })}`}
              </div>
              {c.note && <div className="hotline-callback__note">{c.note}</div>}
              <div className="hotline-callback__actions">
                {OUTCOMES.map((o) => (
                  <Button key={o} size="sm" variant={o === 'reached_satisfied' ? 'success' : 'secondary'} disabled={busy === c.id} onClick={() => void complete(c.id, o)}>
                    {t(`hotline.callbacks.outcome.${o}`)}
                  </Button>
                ))}
              </div>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
