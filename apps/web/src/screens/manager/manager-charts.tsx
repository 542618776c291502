import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, ComposedChart, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Breakdown, BreakdownResponse, SeriesBucket, SeriesMetric, SeriesResponse } from '@frontdesk/contracts';
import { Button } from '@frontdesk/ui';
import type { ApiClient } from '../../lib/api-client';
import { useApiGet } from '../../lib/use-resource';
import { downloadCsv } from './csv-download';
import { breakdownTitleKey, repairStateKey } from './kpi-format';
import { alignByWallClock, wallClock } from './series-align';

export interface ChartRange {
  /** Local dates YYYY-MM-DD, inclusive. */
  from: string;
  to: string;
  /** The range is today alone: lobby charts show last week's same weekday beside it. */
  today: boolean;
  /** Same weekday a week before `from`. */
  lastWeek: string;
}

interface ChartProps {
  api: ApiClient;
  branchId: string;
  range: ChartRange;
  round: number;
  token: string | null;
}

const COLORS = { today: 'var(--color-brand)', lastWeek: 'var(--color-border-strong)', bar: 'var(--color-service-b)', line: 'var(--color-warning)' };

function seriesPath(branchId: string, metric: SeriesMetric, bucket: SeriesBucket, from: string, to: string) {
  return `/api/branches/${branchId}/series?metric=${metric}&bucket=${bucket}&from=${from}&to=${to}`;
}

/** Refetch when the live pulse ticks (events, heartbeat). */
function useRefetchOn(round: number, reload: () => void) {
  useEffect(() => {
    if (round > 0) reload();
  }, [round, reload]);
}

function label(t: string, bucket: SeriesBucket) {
  // `t` carries the branch's offset: its wall-clock part is the local bucket start.
  return bucket === '1d' ? t.slice(5, 10) : wallClock(t);
}

function CsvButton({ path, token, filename }: { path: string; token: string | null; filename: string }) {
  const { t } = useTranslation();
  return (
    <Button size="sm" variant="ghost" onClick={() => void downloadCsv(`${path}&format=csv`, token, filename)} data-csv={filename}>
      {t('manager.charts.csv')}
    </Button>
  );
}

function ChartPanel({ title, csv, children, testId }: { title: string; csv: React.ReactNode; children: React.ReactNode; testId: string }) {
  return (
    <section className="mgr-panel mgr-chart" data-chart={testId} aria-label={title}>
      <header className="mgr-panel__head">
        <h2>{title}</h2>
        {csv}
      </header>
      <div className="mgr-chart__body">{children}</div>
    </section>
  );
}

/** Lobby arrivals or average wait by 15 minutes, today beside the same weekday last week (or by day for a range). */
export function LobbyChart({ api, branchId, range, round, token, metric }: ChartProps & { metric: 'lobby.arrivals' | 'lobby.wait.avg' }) {
  const { t } = useTranslation();
  const bucket: SeriesBucket = range.from === range.to ? '15m' : '1d';
  const path = seriesPath(branchId, metric, bucket, range.from, range.to);
  const main = useApiGet<SeriesResponse>(api, path);
  const before = useApiGet<SeriesResponse>(api, range.from === range.to ? seriesPath(branchId, metric, bucket, range.lastWeek, range.lastWeek) : null);
  useRefetchOn(round, main.reload);
  const scale = metric === 'lobby.wait.avg' ? 1 / 60 : 1;
  const now = Date.now();
  const points = main.data?.points ?? [];
  const lastWeek = alignByWallClock(points, before.data?.points ?? []);
  const rows = points.map((p, i) => ({
    t: label(p.t, bucket),
    // Today's buckets still to come have no value yet: the line stops at now instead of dropping to 0.
    current: p.value === null || Date.parse(p.t) > now ? null : Math.round(p.value * scale * 10) / 10,
    lastWeek: lastWeek[i] != null ? Math.round((lastWeek[i]) * scale * 10) / 10 : null,
  }));
  const title = t(metric === 'lobby.arrivals' ? 'manager.charts.arrivals' : 'manager.charts.wait');
  return (
    <ChartPanel title={title} testId={metric} csv={<CsvButton path={path} token={token} filename={`${metric}-${range.from}.csv`} />}>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={rows} margin={{ top: 8, right: 12, left: 0, bottom: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--color-border)" />
          <XAxis dataKey="t" tick={{ fontSize: 11 }} interval="preserveStartEnd" minTickGap={24} />
          <YAxis tick={{ fontSize: 11 }} width={36} allowDecimals={metric !== 'lobby.arrivals'} />
          <Tooltip />
          <Legend />
          <Line
            type="monotone"
            dataKey="current"
            name={range.today ? t('manager.charts.today') : t('manager.charts.selected')}
            stroke={COLORS.today}
            strokeWidth={2}
            dot={false}
            isAnimationActive={false}
          />
          {range.from === range.to && (
            <Line
              type="monotone"
              dataKey="lastWeek"
              name={t('manager.charts.lastWeek')}
              stroke={COLORS.lastWeek}
              strokeDasharray="4 3"
              dot={false}
              isAnimationActive={false}
            />
          )}
        </LineChart>
      </ResponsiveContainer>
    </ChartPanel>
  );
}

/** Hotline calls (bars) and service level (line, %) by 30 minutes. */
export function HotlineChart({ api, branchId, range, round, token }: ChartProps) {
  const { t } = useTranslation();
  const bucket: SeriesBucket = range.from === range.to ? '30m' : '1d';
  const callsPath = seriesPath(branchId, 'hotline.calls', bucket, range.from, range.to);
  const calls = useApiGet<SeriesResponse>(api, callsPath);
  const sl = useApiGet<SeriesResponse>(api, seriesPath(branchId, 'hotline.sl', bucket, range.from, range.to));
  useRefetchOn(round, calls.reload);
  useRefetchOn(round, sl.reload);
  const rows = (calls.data?.points ?? []).map((p, i) => ({
    t: label(p.t, bucket),
    calls: p.value,
    sl: p.value ? Math.round((sl.data?.points[i]?.value ?? 0) * 100) : null,
  }));
  return (
    <ChartPanel
      title={t('manager.charts.hotline')}
      testId="hotline"
      csv={<CsvButton path={callsPath} token={token} filename={`hotline.calls-${range.from}.csv`} />}
    >
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={rows} margin={{ top: 8, right: 0, left: 0, bottom: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--color-border)" />
          <XAxis dataKey="t" tick={{ fontSize: 11 }} interval="preserveStartEnd" minTickGap={24} />
          <YAxis yAxisId="calls" tick={{ fontSize: 11 }} width={32} allowDecimals={false} />
          <YAxis yAxisId="sl" orientation="right" domain={[0, 100]} tick={{ fontSize: 11 }} width={36} unit="%" />
          <Tooltip />
          <Legend />
          <Bar yAxisId="calls" dataKey="calls" name={t('manager.charts.calls')} fill={COLORS.bar} isAnimationActive={false} />
          <Line
            yAxisId="sl"
            dataKey="sl"
            name={t('manager.charts.sl')}
            stroke={COLORS.line}
            strokeWidth={2}
            dot={false}
            connectNulls
            isAnimationActive={false}
          />
        </ComposedChart>
      </ResponsiveContainer>
    </ChartPanel>
  );
}

/** One bar per label: repair pipeline, turnaround distribution, per-counter and per-agent throughput. */
export function BreakdownChart({ api, branchId, range, round, token, kind }: ChartProps & { kind: Breakdown }) {
  const { t } = useTranslation();
  const path = `/api/branches/${branchId}/breakdown?kind=${kind}&from=${range.from}&to=${range.to}`;
  const res = useApiGet<BreakdownResponse>(api, path);
  useRefetchOn(round, res.reload);
  const rows = (res.data?.rows ?? []).map((r) => ({ label: kind === 'repairs.pipeline' ? t(repairStateKey(r.label)) : r.label, value: r.value }));
  return (
    <ChartPanel title={t(breakdownTitleKey(kind))} testId={kind} csv={<CsvButton path={path} token={token} filename={`${kind}-${range.from}.csv`} />}>
      {rows.length === 0 ? (
        <p className="mgr-empty">{t('manager.charts.empty')}</p>
      ) : (
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={rows} layout="vertical" margin={{ top: 4, right: 16, left: 0, bottom: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="var(--color-border)" />
            <XAxis type="number" tick={{ fontSize: 11 }} allowDecimals={false} />
            <YAxis type="category" dataKey="label" tick={{ fontSize: 11 }} width={110} interval={0} />
            <Tooltip />
            <Bar dataKey="value" name={t('manager.charts.count')} fill={COLORS.today} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      )}
    </ChartPanel>
  );
}
