import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { DateTime } from 'luxon';
import type { AlertDto, BranchDto, KpiResponse, StaffingResponse } from '@frontdesk/contracts';
import { Button, Clock } from '@frontdesk/ui';
import { LiveIndicator } from '../../components/live-indicator';
import { CenteredMessage, ErrorBanner, ScreenError, ScreenLoading } from '../../components/screen-state';
import { StaffBar } from '../../components/staff-bar';
import type { ApiClient } from '../../lib/api-client';
import { useLanguage } from '../../lib/i18n';
import { pickText } from '../../lib/i18n-text';
import { loadSession, useUserApi } from '../../lib/session-store';
import { useApiGet } from '../../lib/use-resource';
import { BranchSwitch, useStaffBranch } from '../../lib/use-staff-branch';
import { AlertFeed } from './alert-feed';
import { BranchComparison, type BranchKpis } from './branch-comparison';
import { DayReplay } from './day-replay';
import { KpiTiles } from './kpi-tiles';
import { BreakdownChart, HotlineChart, LobbyChart, type ChartRange } from './manager-charts';
import { StaffingPanel } from './staffing-panel';
import { useManagerLive } from './use-manager-live';
import './manager.css';

/** /manager, for managers and admins: one branch's KPIs, alerts, charts and staffing, live. `?wall=1` for a big screen. */
export function ManagerScreen() {
  const { t } = useTranslation();
  const api = useUserApi();
  const [params] = useSearchParams();
  const wall = params.get('wall') === '1';
  const { branches, visible, branch, choose } = useStaffBranch(api, 'frontdesk.managerBranch', params.get('branch'));

  if (branches.error) return <ScreenError error={branches.error} onRetry={branches.reload} />;
  if (!branches.data) return <ScreenLoading />;
  if (!branch) return <CenteredMessage tone="warning" title={t('manager.title')} message={t('counter.noBranches')} />;
  const branchSwitch = <BranchSwitch branch={branch} visible={visible} onChoose={choose} />;
  return <ManagerView key={branch.id} api={api} branch={branch} wall={wall} branchSwitch={branchSwitch} several={visible.length > 1} onPick={choose} />;
}

function todayIn(zone: string) {
  return DateTime.now().setZone(zone).toISODate()!;
}

function ManagerView({
  api,
  branch,
  wall,
  branchSwitch,
  several,
  onPick,
}: {
  api: ApiClient;
  branch: BranchDto;
  wall: boolean;
  branchSwitch: React.ReactNode;
  several: boolean;
  onPick: (id: string) => void;
}) {
  const { t } = useTranslation();
  const [language] = useLanguage();
  const token = loadSession()?.accessToken ?? null;
  const live = useManagerLive(branch.id, token);
  const today = todayIn(branch.timeZone);
  const [from, setFrom] = useState(today);
  const [to, setTo] = useState(today);
  const [replay, setReplay] = useState(false);
  const range: ChartRange = {
    from,
    to: to < from ? from : to,
    today: from === today && to === today,
    lastWeek: DateTime.fromISO(from).minus({ days: 7 }).toISODate()!,
  };
  const kpis = useApiGet<KpiResponse>(api, `/api/branches/${branch.id}/kpis`);
  const alerts = useApiGet<AlertDto[]>(api, `/api/alerts?branchId=${branch.id}&state=open`);
  const staffing = useApiGet<StaffingResponse>(api, `/api/branches/${branch.id}/staffing?horizon=1h`);
  const comparison = useApiGet<{ branches: BranchKpis[] }>(api, several && !wall ? '/api/manager/branches' : null);
  const { reload: reloadKpis } = kpis;
  const { reload: reloadAlerts } = alerts;
  const { reload: reloadStaffing } = staffing;
  useEffect(() => {
    if (live.round === 0) return;
    reloadKpis();
    reloadAlerts();
    reloadStaffing();
  }, [live.round, reloadKpis, reloadAlerts, reloadStaffing]);

  const chartProps = { api, branchId: branch.id, range, round: range.today ? live.round : 0, token };
  const charts = (
    <div className="mgr-charts">
      <LobbyChart {...chartProps} metric="lobby.arrivals" />
      <LobbyChart {...chartProps} metric="lobby.wait.avg" />
      <HotlineChart {...chartProps} />
      <BreakdownChart {...chartProps} kind="repairs.pipeline" />
      {!wall && (
        <>
          <BreakdownChart {...chartProps} kind="repairs.turnaround" />
          <BreakdownChart {...chartProps} kind="lobby.counter.throughput" />
          <BreakdownChart {...chartProps} kind="hotline.agent.throughput" />
        </>
      )}
    </div>
  );

  const body = (
    <>
      {kpis.error ? <ErrorBanner error={kpis.error} onRetry={kpis.reload} /> : null}
      <div className="mgr-top">
        <div className="mgr-top__tiles">{kpis.data ? <KpiTiles data={kpis.data} /> : <ScreenLoading />}</div>
        <div className="mgr-top__side">
          <AlertFeed api={api} alerts={alerts.data ?? []} timeZone={branch.timeZone} onChanged={alerts.reload} />
          <StaffingPanel data={staffing.data} />
        </div>
      </div>
      {!wall && (
        <div className="mgr-range" role="group" aria-label={t('manager.range.title')}>
          <label>
            {t('manager.range.from')} <input type="date" name="from" value={from} max={today} onChange={(e) => e.target.value && setFrom(e.target.value)} />
          </label>
          <label>
            {t('manager.range.to')} <input type="date" name="to" value={to} max={today} onChange={(e) => e.target.value && setTo(e.target.value)} />
          </label>
          <Button
            size="sm"
            variant="ghost"
            onClick={() => {
              setFrom(today);
              setTo(today);
            }}
          >
            {t('manager.range.today')}
          </Button>
          <span className="mgr-muted">{range.today ? t('manager.range.todayHint') : t('manager.range.pastHint', { zone: branch.timeZone })}</span>
        </div>
      )}
      {charts}
      {!wall && (
        <div>
          <Button size="sm" variant="secondary" onClick={() => setReplay((r) => !r)}>
            {replay ? t('manager.replay.close') : t('manager.replay.open')}
          </Button>
        </div>
      )}
      {!wall && replay && <DayReplay api={api} branchId={branch.id} timeZone={branch.timeZone} />}
      {several && !wall && comparison.data && <BranchComparison rows={comparison.data.branches} language={language} onPick={onPick} />}
    </>
  );

  if (wall) {
    return (
      <div className="mgr-page mgr-page--wall" data-theme="dark">
        <header className="mgr-wall-head">
          <span className="mgr-wall-head__title">
            {pickText(branch.name, language)} · {t('manager.title')}
          </span>
          <LiveIndicator connection={live.connection} timeZone={branch.timeZone} />
          <Clock timeZone={branch.timeZone} />
        </header>
        <main className="mgr-main">{body}</main>
      </div>
    );
  }
  return (
    <div className="mgr-page">
      <StaffBar title={t('manager.title')}>
        {branchSwitch}
        <LiveIndicator connection={live.connection} timeZone={branch.timeZone} size="sm" />
        <a className="mgr-link" href={`/manager?wall=1&branch=${branch.id}`} target="_blank" rel="noreferrer">
          {t('manager.wallLink')}
        </a>
      </StaffBar>
      {live.liveError && <ErrorBanner error={live.liveError} />}
      <main className="mgr-main">{body}</main>
    </div>
  );
}
