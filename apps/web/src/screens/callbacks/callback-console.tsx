import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { BranchDto, CallbackDto, CallbackOutcome } from '@frontdesk/contracts';
import { Button, useNow } from '@frontdesk/ui';
import { LiveIndicator } from '../../components/live-indicator';
import { ErrorBanner, ScreenLoading } from '../../components/screen-state';
import { StaffBar } from '../../components/staff-bar';
import type { ApiClient } from '../../lib/api-client';
import { formatDate, formatTime } from '../../lib/time-format';
import { useCallbacks } from './use-callbacks';

import { COLUMNS, columnOf, type Column } from './callback-columns';

const OUTCOMES: CallbackOutcome[] = ['reached_satisfied', 'reached_unsatisfied', 'unreachable', 'wrong_number'];

function CallbackCard({ c, column, branch, api, onChanged }: { c: CallbackDto; column: Column; branch: BranchDto; api: ApiClient; onChanged: () => void }) {
  const { t, i18n } = useTranslation();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const complete = async (outcome: CallbackOutcome) => {
    setBusy(true);
    setError(null);
    try {
      await api.post(`/api/callbacks/${c.id}/complete`, note.trim() ? { outcome, note: note.trim() } : { outcome });
      setNote('');
      onChanged();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <li className={`cb-card cb-card--${column}`} data-testid="callback-card" data-callback-id={c.id}>
      <div className="cb-card__head">
        <span className="cb-card__name">{c.name ?? t('callbacksConsole.noName')}</span>
        <span className="cb-card__phone tabular">{c.phone}</span>
      </div>
      <div className="cb-card__meta">
        <span className="cb-card__reason">{t(`hotline.callbacks.reason.${c.reason}`)}</span>
        {c.repairOrderNo && <span className="cb-card__order tabular">{c.repairOrderNo}</span>}
        <span className="tabular">
          {t('callbacksConsole.dueAt', { date: formatDate(c.dueAt, i18n.language === 'zh' ? 'zh-CN' : 'en-GB', branch.timeZone), time: formatTime(c.dueAt, branch.timeZone) })}
        </span>
        <span>{t('hotline.callbacks.attempts', { count: c.attempts })}</span>
      </div>
      {c.note && <div className="cb-card__note">{c.note}</div>}
      {c.status === 'done' ? (
        <div className="cb-card__outcome">
          {t(`hotline.callbacks.outcome.${c.outcome ?? 'reached_satisfied'}`)}
          {c.completedAt && ` · ${formatTime(c.completedAt, branch.timeZone)}`}
        </div>
      ) : (
        <>
          <input className="input cb-card__input" value={note} maxLength={2000} placeholder={t('callbacksConsole.notePlaceholder')} aria-label={t('callbacksConsole.note')} onChange={(e) => setNote(e.target.value)} />
          <div className="cb-card__actions">
            {OUTCOMES.map((o) => (
              <Button key={o} size="sm" variant={o === 'reached_satisfied' ? 'success' : o === 'reached_unsatisfied' ? 'danger' : 'secondary'} disabled={busy} onClick={() => void complete(o)}>
                {t(`hotline.callbacks.outcome.${o}`)}
              </Button>
            ))}
          </div>
          {error && <p className="field__error">{error}</p>}
        </>
      )}
    </li>
  );
}

/** The callback console: due now, overdue (past due + 15 min, red), scheduled and done, live. */
export function CallbackConsole({ branch, api, token, branchSwitch }: { branch: BranchDto; api: ApiClient; token: string | null; branchSwitch: ReactNode }) {
  const { t } = useTranslation();
  const now = useNow(5000);
  const live = useCallbacks(api, branch.id, token);
  const byColumn = new Map<Column, CallbackDto[]>(COLUMNS.map((c) => [c, []]));
  for (const c of live.callbacks) byColumn.get(columnOf(c, now))!.push(c);
  // Done: the latest first; the others by due time.
  byColumn.get('done')!.sort((a, b) => (b.completedAt ?? '').localeCompare(a.completedAt ?? ''));
  return (
    <div className="cb-page">
      <StaffBar title={t('callbacksConsole.title')}>
        {branchSwitch}
        <LiveIndicator connection={live.connection} timeZone={branch.timeZone} />
      </StaffBar>
      {live.loadError ? <ErrorBanner error={live.loadError} /> : null}
      {!live.loaded ? (
        <ScreenLoading />
      ) : (
        <main className="cb-columns">
          {COLUMNS.map((col) => {
            const items = byColumn.get(col)!;
            return (
              <section key={col} className={`cb-column cb-column--${col}`} data-testid={`column-${col}`}>
                <h2>
                  {t(`callbacksConsole.column.${col}`)} <span className={['cb-column__count', 'tabular', items.length ? 'cb-column__count--some' : ''].join(' ')}>{items.length}</span>
                </h2>
                {items.length === 0 && <p className="cb-empty">{t(`callbacksConsole.empty.${col}`)}</p>}
                <ul>
                  {items.map((c) => (
                    <CallbackCard key={c.id} c={c} column={col} branch={branch} api={api} onChanged={live.reload} />
                  ))}
                </ul>
              </section>
            );
          })}
        </main>
      )}
    </div>
  );
}
