import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import type { DataSource, EntityManager } from 'typeorm';
import {
  KPI_DEFINITIONS,
  type BreakdownResponse,
  type Breakdown,
  type KpiKey,
  type KpiResponse,
  type KpiTargets,
  type KpiTargetsResponse,
  type KpiValue,
  type HotlineSettings,
  type ReplayResponse,
  type Principal,
  type SeriesBucket,
  type SeriesMetric,
  type SeriesResponse,
  type StaffingLine,
  type StaffingResponse,
} from '@frontdesk/contracts';
import { HotlineRepository, ManagerRepository, type KpiValues, type LocalRange, type ManagerBranch } from '@frontdesk/db';
import { holdsCounter, hotlineMetrics, kpiStatus, lobbyKpisAt, localDay, serversForAverageWait, serversForServiceLevel } from '@frontdesk/domain';
import { assertBranchAccess } from '../auth/branch-access';
import { badRequest, notFound } from '../common/http-errors';

/** Arrival rates and handling times for staffing advice are measured over the last hour. */
const MEASURED_OVER_MINUTES = 60;
/** The longest range a chart may ask for, so one request cannot scan years of a branch. */
const MAX_RANGE_DAYS = 400;
const MAX_POINTS = 20_000;
const BUCKET_MINUTES: Record<SeriesBucket, number> = { '15m': 15, '30m': 30, '1h': 60, '1d': 1440 };

@Injectable()
export class ManagerService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repo: ManagerRepository,
    private readonly hotline: HotlineRepository,
  ) {}

  private async branchOf(p: Principal, branchId: string): Promise<ManagerBranch> {
    assertBranchAccess(p, branchId);
    const b = await this.repo.branch(this.ds.manager, branchId);
    if (!b) throw notFound('branch', branchId);
    return b;
  }

  /** Every tile for the branch's current local day, read in one snapshot with the seq it reflects. */
  async kpis(p: Principal, branchId: string): Promise<KpiResponse> {
    const branch = await this.branchOf(p, branchId);
    return this.ds.transaction('REPEATABLE READ', (em) => this.kpisIn(em, branch));
  }

  /** The tiles of every branch the manager can see, for the comparison table. */
  async allBranches(p: Principal): Promise<{ branches: { branchId: string; code: string; nameEn: string; nameZh: string; kpis: KpiResponse }[] }> {
    const rows: { id: string; code: string; name_en: string; name_zh: string }[] = await this.ds.query(
      `SELECT id, code, name_en, name_zh FROM branches ORDER BY code`,
    );
    const mine = rows.filter((r) => p.kind === 'user' && (p.role === 'admin' || p.branchIds.includes(r.id)));
    const out = [];
    for (const r of mine) {
      out.push({ branchId: r.id, code: r.code, nameEn: r.name_en, nameZh: r.name_zh, kpis: await this.kpis(p, r.id) });
    }
    return { branches: out };
  }

  private async kpisIn(em: EntityManager, branch: ManagerBranch): Promise<KpiResponse> {
    const [{ now }]: { now: Date }[] = await em.query(`SELECT now() AS now`);
    const seqRows: { last_seq: string }[] = await em.query(`SELECT last_seq FROM branch_event_seq WHERE branch_id = $1`, [branch.id]);
    const day = localDay(now, branch.timeZone);
    const range = dayRange(day, branch.timeZone);
    const hotlineBranch = await this.hotline.branch(em, branch.id);
    const settings = hotlineBranch!.settings;
    const since = new Date(now.getTime() - settings.serviceLevelWindowMinutes * 60_000);
    const [calls, agents] = [await this.hotline.recentCalls(em, branch.id, day, since), await this.hotline.agents(em, branch.id)];
    const h = hotlineMetrics({ calls, agents, now, timeZone: branch.timeZone, settings });
    const values: KpiValues = {
      ...(await this.repo.lobby(em, branch.id, day, now)),
      'hotline.sl': h.serviceLevel,
      'hotline.asa': h.asa,
      'hotline.abandon.rate': h.abandonRate,
      'hotline.oldest.wait': h.oldestWaitSeconds,
      'hotline.agents.available': h.agents.available,
      'hotline.agents.on_call': h.agents.onCall,
      'hotline.agents.wrap_up': h.agents.wrapUp,
      'hotline.agents.paused': h.agents.paused,
      ...(await this.repo.repairs(em, branch.id, range, now)),
      ...(await this.repo.callbacks(em, branch.id, range, now)),
      ...(await this.repo.sms(em, branch.id, range)),
    };
    const kpis = this.tiles(branch, values, settings);
    return { seq: Number(seqRows[0]?.last_seq ?? 0), at: now.toISOString(), localDay: day, timeZone: branch.timeZone, kpis };
  }

  /** Values to tiles: every registered KPI, its target (branch's own, else hotline settings, else default) and colour. */
  private tiles(branch: ManagerBranch, values: KpiValues, settings: HotlineSettings, only?: (key: KpiKey) => boolean): KpiValue[] {
    // The hotline's own settings are its default targets, so the tile and the hotline alerts agree.
    const hotlineDefaults: Partial<Record<KpiKey, number>> = {
      'hotline.sl': settings.serviceLevelTargetPercent / 100,
      'hotline.oldest.wait': settings.holdAlertSeconds,
    };
    return KPI_DEFINITIONS.filter((d) => !only || only(d.key)).map((d) => {
      const available = d.key in values;
      const value = available ? round(values[d.key] ?? null) : null;
      const target = branch.targets[d.key] ?? hotlineDefaults[d.key] ?? ('target' in d ? d.target : undefined);
      return { key: d.key, value, unit: d.unit, ...(target !== undefined ? { target } : {}), status: kpiStatus(value, target, d.direction), available };
    });
  }

  /** A past instant of the branch rebuilt from the event log (day replay). */
  async replay(p: Principal, branchId: string, atLocal: string): Promise<ReplayResponse> {
    const branch = await this.branchOf(p, branchId);
    const at = DateTime.fromISO(atLocal, { zone: branch.timeZone });
    if (!at.isValid) throw badRequest('at', `not a valid date-time: ${atLocal}`);
    if (at.toMillis() > Date.now() + 60_000) throw badRequest('at', 'must not be in the future');
    const instant = at.toJSDate();
    const day = at.toISODate();
    const em = this.ds.manager;
    const src = await this.repo.replaySource(em, branch.id, at.startOf('day').toJSDate(), instant, day);
    const settings = (await this.hotline.branch(em, branch.id))!.settings;
    const h = hotlineMetrics({ calls: src.calls, agents: src.agents, now: instant, timeZone: branch.timeZone, settings });
    const values: KpiValues = {
      ...lobbyKpisAt(src.tickets, instant),
      'hotline.sl': h.serviceLevel,
      'hotline.asa': h.asa,
      'hotline.abandon.rate': h.abandonRate,
      'hotline.oldest.wait': h.oldestWaitSeconds,
      'hotline.agents.available': h.agents.available,
      'hotline.agents.on_call': h.agents.onCall,
      'hotline.agents.wrap_up': h.agents.wrapUp,
      'hotline.agents.paused': h.agents.paused,
    };
    const services: { id: string; code: string; name_zh: string; name_en: string }[] = await em.query(
      `SELECT id, code, name_zh, name_en FROM services WHERE branch_id = $1 ORDER BY sort, code`,
      [branch.id],
    );
    const byCreation = [...src.tickets].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    return {
      at: at.toISO({ suppressMilliseconds: true }),
      localDay: day,
      timeZone: branch.timeZone,
      seq: src.seq,
      kpis: this.tiles(branch, values, settings, (k) => k in values),
      lobby: {
        services: services.map((s) => ({
          serviceId: s.id,
          code: s.code,
          name: { zh: s.name_zh, en: s.name_en },
          waiting: byCreation.filter((t) => t.serviceId === s.id && t.status === 'waiting').map((t) => t.number),
        })),
        counters: src.counters.map((c) => ({
          id: c.id,
          name: c.name,
          status: c.status,
          ticket: src.tickets.find((t) => t.counterId === c.id && holdsCounter(t.status))?.number ?? null,
        })),
      },
    };
  }

  async targets(p: Principal, branchId: string): Promise<KpiTargetsResponse> {
    const b = await this.branchOf(p, branchId);
    return { branchId, targets: b.targets };
  }

  async updateTargets(p: Principal, branchId: string, patch: KpiTargets): Promise<KpiTargetsResponse> {
    await this.branchOf(p, branchId);
    for (const [key, value] of Object.entries(patch)) {
      const def = KPI_DEFINITIONS.find((d) => d.key === key);
      if (def?.unit === 'ratio' && value !== null && value !== undefined && value > 1) throw badRequest(key, 'a rate target is a share between 0 and 1');
    }
    return { branchId, targets: await this.repo.updateTargets(this.ds.manager, branchId, patch) };
  }

  async series(p: Principal, branchId: string, q: { metric: SeriesMetric; bucket: SeriesBucket; from?: string; to?: string }): Promise<SeriesResponse> {
    const branch = await this.branchOf(p, branchId);
    const range = this.rangeOf(branch, q.from, q.to);
    const minutes = DateTime.fromISO(range.to).diff(DateTime.fromISO(range.from), 'minutes').minutes;
    if (minutes / BUCKET_MINUTES[q.bucket] > MAX_POINTS) throw badRequest('bucket', `too many ${q.bucket} buckets for this range; choose a larger bucket`);
    const hotlineBranch = await this.hotline.branch(this.ds.manager, branch.id);
    const points = await this.repo.series(this.ds.manager, branch.id, q.metric, q.bucket, range, {
      serviceLevelSeconds: hotlineBranch!.settings.serviceLevelSeconds,
    });
    return {
      metric: q.metric,
      bucket: q.bucket,
      timeZone: branch.timeZone,
      from: localIso(range.from, branch.timeZone),
      to: localIso(range.to, branch.timeZone),
      // Day buckets come as local dates, shorter ones as instants: either way `t` carries the branch's offset then.
      points: points.map((pt) => ({
        t: pt.t.endsWith('Z') ? DateTime.fromISO(pt.t).setZone(branch.timeZone).toISO({ suppressMilliseconds: true })! : localIso(pt.t, branch.timeZone),
        value: round(pt.value),
      })),
    };
  }

  async breakdown(p: Principal, branchId: string, q: { kind: Breakdown; from?: string; to?: string }): Promise<BreakdownResponse> {
    const branch = await this.branchOf(p, branchId);
    const range = this.rangeOf(branch, q.from, q.to);
    const rows = await this.repo.breakdown(this.ds.manager, branch.id, q.kind, range);
    return { kind: q.kind, from: localIso(range.from, branch.timeZone), to: localIso(range.to, branch.timeZone), rows };
  }

  /** Counters per service and hotline agents needed over the next hour, from the last hour's load. */
  async staffing(p: Principal, branchId: string): Promise<StaffingResponse> {
    const branch = await this.branchOf(p, branchId);
    const em = this.ds.manager;
    const [{ now }]: { now: Date }[] = await em.query(`SELECT now() AS now`);
    const perHour = 60 / MEASURED_OVER_MINUTES;
    const waitTarget = branch.targets['lobby.wait.avg'] ?? KPI_DEFINITIONS.find((d) => d.key === 'lobby.wait.avg')!.target;
    const lines: StaffingLine[] = (await this.repo.lobbyLoad(em, branch.id, now, MEASURED_OVER_MINUTES)).map((s) => {
      const arrivalsPerHour = s.arrivals * perHour;
      return {
        key: `lobby:${s.code}`,
        label: `${s.code} ${s.nameEn}`,
        code: s.code,
        names: { zh: s.nameZh, en: s.nameEn },
        arrivalsPerHour,
        handleSeconds: Math.round(s.handleSeconds),
        target: { averageWaitSeconds: waitTarget },
        needed: serversForAverageWait({ arrivalsPerHour, handleSeconds: s.handleSeconds, targetWaitSeconds: waitTarget }),
        openNow: s.openNow,
      };
    });
    const hb = (await this.hotline.branch(em, branch.id))!;
    const load = await this.repo.hotlineLoad(em, branch.id, now, MEASURED_OVER_MINUTES);
    {
      const level = branch.targets['hotline.sl'] ?? hb.settings.serviceLevelTargetPercent / 100;
      const handleSeconds = load.handleSeconds ?? 180;
      const arrivalsPerHour = load.arrivals * perHour;
      lines.push({
        key: 'hotline',
        label: 'Hotline',
        arrivalsPerHour,
        handleSeconds: Math.round(handleSeconds),
        target: { serviceLevel: level, thresholdSeconds: hb.settings.serviceLevelSeconds },
        needed: serversForServiceLevel({ arrivalsPerHour, handleSeconds, thresholdSeconds: hb.settings.serviceLevelSeconds, targetLevel: level }),
        openNow: load.openNow,
      });
    }
    return { at: now.toISOString(), horizon: '1h', measuredOverMinutes: MEASURED_OVER_MINUTES, lines };
  }

  /** Local range from the query: a bare date is that whole day; defaults are today. */
  private rangeOf(branch: ManagerBranch, from?: string, to?: string): LocalRange {
    const zone = branch.timeZone;
    const today = DateTime.now().setZone(zone).startOf('day');
    const parse = (s: string, field: string) => {
      const d = DateTime.fromISO(s, { zone });
      if (!d.isValid) throw badRequest(field, `not a valid date: ${s}`);
      return d;
    };
    const lo = from ? parse(from, 'from') : today;
    const hi = to
      ? to.length === 10
        ? parse(to, 'to').plus({ days: 1 })
        : parse(to, 'to')
      : from && from.length === 10
        ? lo.plus({ days: 1 })
        : today.plus({ days: 1 });
    if (hi <= lo) throw badRequest('to', 'must be after from');
    if (hi.diff(lo, 'days').days > MAX_RANGE_DAYS) throw badRequest('to', `a range is at most ${MAX_RANGE_DAYS} days`);
    const fmt = (d: DateTime) => d.toFormat("yyyy-MM-dd'T'HH:mm:ss");
    return { timeZone: zone, from: fmt(lo), to: fmt(hi) };
  }
}

export function dayRange(day: string, timeZone: string): LocalRange {
  const lo = DateTime.fromISO(day, { zone: timeZone });
  return { timeZone, from: lo.toFormat("yyyy-MM-dd'T'HH:mm:ss"), to: lo.plus({ days: 1 }).toFormat("yyyy-MM-dd'T'HH:mm:ss") };
}

/** A wall-clock timestamp of the branch as ISO with its offset (that instant's offset, DST included). */
function localIso(local: string, timeZone: string): string {
  return DateTime.fromISO(local, { zone: timeZone }).toISO({ suppressMilliseconds: true })!;
}

function round(v: number | null): number | null {
  return v === null ? null : Math.round(v * 10_000) / 10_000;
}
