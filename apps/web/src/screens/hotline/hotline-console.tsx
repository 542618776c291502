import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { BranchDto, HotlineCallDto, HotlineMetrics } from '@frontdesk/contracts';
import { StatTile, StatusPill, useNow, type Tone } from '@frontdesk/ui';
import { LiveIndicator } from '../../components/live-indicator';
import { ErrorBanner, ScreenLoading } from '../../components/screen-state';
import { StaffBar } from '../../components/staff-bar';
import type { ApiClient } from '../../lib/api-client';
import { formatElapsed, secondsSince } from '../../lib/time-format';
import { CallbackForm } from './callback-form';
import { CallbackList } from './callback-list';
import { ScreenPop } from './screen-pop';
import { useHotlineBoard } from './use-hotline-board';

const AGENT_TONE: Record<string, Tone> = { available: 'success', on_call: 'call', wrap_up: 'warning', paused: 'neutral', offline: 'neutral' };

/** The oldest wait keeps growing between events: from the waiting calls and the clock, else the pushed figure. */
function oldestWait(calls: HotlineCallDto[], queue: string | null, now: Date, pushed: number): number {
  const mine = calls.filter((c) => !queue || c.queue === queue);
  if (mine.length === 0) return pushed;
  return Math.max(...mine.map((c) => secondsSince(c.queuedAt, now) ?? 0));
}

const percent = (v: number | null) => (v === null ? '—' : String(Math.round(v * 100)));

function MetricTiles({ m, oldestWaitSeconds }: { m: HotlineMetrics; oldestWaitSeconds: number }) {
  const { t } = useTranslation();
  const slTone: Tone = m.serviceLevel === null ? 'neutral' : m.serviceLevel * 100 >= m.settings.serviceLevelTargetPercent ? 'success' : 'danger';
  return (
    <div className="hotline-tiles">
      <StatTile label={t('hotline.metrics.waiting')} value={m.waiting} tone={m.waiting > 0 ? 'call' : 'neutral'} />
      <StatTile
        label={t('hotline.metrics.oldestWait')}
        value={formatElapsed(oldestWaitSeconds)}
        tone={oldestWaitSeconds > m.settings.holdAlertSeconds ? 'danger' : oldestWaitSeconds > m.settings.serviceLevelSeconds ? 'warning' : 'neutral'}
      />
      <StatTile
        label={t('hotline.metrics.serviceLevel', { seconds: m.settings.serviceLevelSeconds })}
        value={percent(m.serviceLevel)}
        unit="%"
        tone={slTone}
        footnote={t('hotline.metrics.target', { target: m.settings.serviceLevelTargetPercent })}
      />
      <StatTile label={t('hotline.metrics.asa')} value={m.asa === null ? '—' : Math.round(m.asa)} unit={t('hotline.seconds')} />
      <StatTile label={t('hotline.metrics.abandonRate')} value={percent(m.abandonRate)} unit="%" footnote={t('hotline.metrics.counts', { answered: m.answered, abandoned: m.abandoned })} />
      <StatTile
        label={t('hotline.metrics.agents')}
        value={m.agents.available}
        footnote={t('hotline.metrics.agentsDetail', { onCall: m.agents.onCall, wrapUp: m.agents.wrapUp, paused: m.agents.paused })}
        tone={m.agents.available === 0 && m.waiting > 0 ? 'danger' : 'success'}
      />
    </div>
  );
}

function CallRow({ call, now, selected, onSelect, extra }: { call: HotlineCallDto; now: Date; selected: boolean; onSelect: () => void; extra?: ReactNode }) {
  const { t } = useTranslation();
  const wait = call.status === 'waiting' ? secondsSince(call.queuedAt, now) : secondsSince(call.answeredAt, now);
  return (
    <li>
      <button type="button" className={['hotline-call', selected ? 'hotline-call--selected' : ''].join(' ')} onClick={onSelect}>
        <span className="hotline-call__number tabular">{call.callerNumber ?? t('hotline.unknownNumber')}</span>
        <span className="hotline-call__queue">{call.queue}</span>
        {extra}
        <span className={['hotline-call__wait', 'tabular', call.status === 'waiting' && (wait ?? 0) > 15 ? 'hotline-call__wait--late' : ''].join(' ')}>{formatElapsed(wait ?? 0)}</span>
      </button>
    </li>
  );
}

/** The agent's console: own state, the numbers, the queue, the caller on the line, callbacks and a message form. */
export function HotlineConsole({ branch, api, token, agentId, branchSwitch }: { branch: BranchDto; api: ApiClient; token: string | null; agentId: string | null; branchSwitch: ReactNode }) {
  const { t } = useTranslation();
  const now = useNow(1000);
  const live = useHotlineBoard(api, branch.id, token);
  const [selected, setSelected] = useState<string | null>(null);
  const [queue, setQueue] = useState<string | null>(null);
  const board = live.board;
  const me = board?.agents.find((a) => a.agentId === agentId) ?? null;
  const myCall = board?.activeCalls.find((c) => c.agentId === agentId) ?? null;

  // The screen pop follows the call this agent answers, unless another call was picked by hand.
  useEffect(() => {
    if (myCall) setSelected(myCall.callId);
  }, [myCall?.callId]); // eslint-disable-line react-hooks/exhaustive-deps

  const allCalls = [...(board?.activeCalls ?? []), ...(board?.waitingCalls ?? [])];
  const popped = allCalls.find((c) => c.callId === selected) ?? null;
  const metrics = board ? (queue ? (board.queues.find((q) => q.queue === queue) ?? board.metrics) : board.metrics) : null;

  return (
    <div className="hotline-page">
      <StaffBar title={t('hotline.title')}>
        {branchSwitch}
        <Link className="fd-btn fd-btn--ghost fd-btn--sm" to="/callbacks">
          {t('callbacksConsole.title')}
        </Link>
        <LiveIndicator connection={live.connection} timeZone={branch.timeZone} />
      </StaffBar>
      {live.loadError ? <ErrorBanner error={live.loadError} /> : null}
      {!board || !metrics ? (
        <ScreenLoading />
      ) : (
        <main className="hotline-main">
          <section className="hotline-head">
            <div className="hotline-me">
              <span className="hotline-me__label">{t('hotline.myState', { agent: agentId ?? '—' })}</span>
              <StatusPill tone={AGENT_TONE[me?.state ?? 'offline']}>{t(`hotline.agentState.${me?.state ?? 'offline'}`)}</StatusPill>
              <span className="hotline-me__hint">{t('hotline.stateFromPhone')}</span>
            </div>
            <div className="hotline-queues" role="tablist">
              {[null, ...board.queues.map((q) => q.queue)].map((q) => (
                <button key={q ?? '*'} type="button" role="tab" aria-selected={queue === q} className={['hotline-queue-tab', queue === q ? 'hotline-queue-tab--on' : ''].join(' ')} onClick={() => setQueue(q)}>
                  {q ?? t('hotline.allQueues')}
                </button>
              ))}
            </div>
          </section>
          <MetricTiles m={metrics} oldestWaitSeconds={oldestWait(board.waitingCalls, queue, now, metrics.oldestWaitSeconds)} />
          <div className="hotline-columns">
            <section className="hotline-panel">
              <h2>{t('hotline.onTheLine', { count: board.activeCalls.length })}</h2>
              <ul className="hotline-calls">
                {board.activeCalls.map((c) => (
                  <CallRow key={c.callId} call={c} now={now} selected={selected === c.callId} onSelect={() => setSelected(c.callId)} extra={<span className="hotline-call__agent">{c.agentId}</span>} />
                ))}
              </ul>
              <h2>{t('hotline.inQueue', { count: board.waitingCalls.length })}</h2>
              {board.waitingCalls.length === 0 && <p className="hotline-empty">{t('hotline.noneWaiting')}</p>}
              <ul className="hotline-calls">
                {board.waitingCalls
                  .filter((c) => !queue || c.queue === queue)
                  .map((c) => (
                    <CallRow key={c.callId} call={c} now={now} selected={selected === c.callId} onSelect={() => setSelected(c.callId)} />
                  ))}
              </ul>
            </section>
            <section className="hotline-panel">
              <ScreenPop api={api} branch={branch} call={popped} />
              <CallbackForm api={api} branchId={branch.id} timeZone={branch.timeZone} call={popped} onCreated={live.reloadCallbacks} />
            </section>
            <section className="hotline-panel">
              <CallbackList api={api} branch={branch} callbacks={live.callbacks} now={now} onChanged={live.reloadCallbacks} />
            </section>
          </div>
        </main>
      )}
    </div>
  );
}
