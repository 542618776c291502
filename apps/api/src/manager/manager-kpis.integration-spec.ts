import { DateTime } from 'luxon';
import type { KpiResponse, KpiValue, ReplayResponse, SeriesResponse, StaffingResponse } from '@frontdesk/contracts';
import { client, postHotlineEvents, startApi, type TestApi } from '../test-support/test-app';
import { login, makeBranch } from '../test-support/factories';
import { signHotlineBody } from '../hotline/hotline-signature';
import { intake } from '../repairs/repair-test-data';

const SECRET = 'manager-secret';

/** The zone where the most of today has passed, so a simulated day fits in it whatever the test's hour. */
function zoneWithLongestDay(): { zone: string; elapsedSeconds: number } {
  const zones = ['Asia/Shanghai', 'Europe/London', 'America/New_York', 'Pacific/Honolulu', 'Pacific/Kiritimati', 'Asia/Kolkata', 'America/Los_Angeles'];
  return zones
    .map((zone) => ({ zone, elapsedSeconds: DateTime.now().setZone(zone).diff(DateTime.now().setZone(zone).startOf('day'), 'seconds').seconds }))
    .sort((a, b) => b.elapsedSeconds - a.elapsedSeconds)[0];
}

const kpi = (r: Pick<KpiResponse, 'kpis'>, key: string): KpiValue => {
  const k = r.kpis.find((x) => x.key === key);
  if (!k) throw new Error(`no tile ${key}`);
  return k;
};

describe('manager KPIs over a simulated day equal SQL recomputations from the stored events', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(async () => {
    await api.close();
  });

  it('a branch with no traffic today shows zeros (and no rate where nothing was measured), never an error', async () => {
    const b = await makeBranch(api.ds, { timeZone: 'Asia/Shanghai' });
    const manager = client(api.url, await login(api.url, b.users.manager));
    const res = await manager.get<KpiResponse>(`/branches/${b.id}/kpis`);
    expect(res.status).toBe(200);
    expect(res.body.localDay).toBe(DateTime.now().setZone('Asia/Shanghai').toISODate());
    for (const key of [
      'lobby.waiting',
      'lobby.wait.longest',
      'repairs.open',
      'repairs.overdue',
      'repairs.uncollected',
      'callbacks.due',
      'callbacks.overdue',
      'hotline.oldest.wait',
    ]) {
      expect(kpi(res.body, key)).toMatchObject({ value: 0, status: 'ok', available: true });
    }
    for (const key of ['lobby.wait.avg', 'lobby.noshow.rate', 'hotline.sl', 'hotline.asa', 'repairs.repeat.rate', 'satisfaction.avg']) {
      expect(kpi(res.body, key)).toMatchObject({ value: null, status: 'ok' });
    }
    expect(kpi(res.body, 'sms.sent')).toMatchObject({ value: 0, status: 'ok', available: true });
    expect(kpi(res.body, 'sms.failed')).toMatchObject({ value: 0, status: 'ok', available: true });
    const series = await manager.get<SeriesResponse>(`/branches/${b.id}/series?metric=lobby.arrivals&bucket=15m`);
    expect(series.status).toBe(200);
    expect(series.body.points).toHaveLength(96);
    expect(series.body.points.every((p) => p.value === 0)).toBe(true);
    expect(series.body.points[0].t).toBe(`${DateTime.now().setZone('Asia/Shanghai').toISODate()}T00:00:00+08:00`);
    expect(series.body.points[36].t).toMatch(/T09:00:00\+08:00$/);
  });

  it('lobby, hotline, repair, callback and satisfaction tiles of a simulated day', async () => {
    const { zone, elapsedSeconds } = zoneWithLongestDay();
    expect(elapsedSeconds).toBeGreaterThan(3 * 3600);
    const b = await makeBranch(api.ds, {
      timeZone: zone,
      counters: [
        ['A', 'B'],
        ['A', 'C'],
        ['B', 'D'],
      ],
      settings: { maxRecalls: 0, recallCooldownSeconds: 0 },
    });
    await api.ds.query(`UPDATE branches SET hotline_secret = $2 WHERE id = $1`, [b.id, SECRET]);
    const manager = client(api.url, await login(api.url, b.users.manager));
    const desk = client(api.url, await login(api.url, b.users.frontdesk));
    const kiosk = client(api.url, b.kioskToken);

    // Lobby: 14 tickets; two counters work through part of the queue, two customers do not show up.
    for (let i = 0; i < 14; i++) {
      const r = await kiosk.post(`/branches/${b.id}/tickets`, { serviceId: b.services[(['A', 'B', 'C'] as const)[i % 3]] }, kiosk.key());
      expect(r.status).toBe(201);
    }
    for (const c of b.counters.slice(0, 2)) expect((await desk.post(`/counters/${c}/open`, {})).status).toBeLessThan(300);
    for (let round = 0; round < 4; round++) {
      for (const c of b.counters.slice(0, 2)) {
        const called = await desk.post(`/counters/${c}/call-next`, {}, desk.key());
        expect(called.status).toBeLessThan(300);
        const id = called.body.ticket.id as string;
        const act = round === 1 ? 'no-show' : 'finish';
        if (act === 'finish') expect((await desk.post(`/tickets/${id}/serve`, {}, desk.key())).status).toBeLessThan(300);
        expect((await desk.post(`/tickets/${id}/${act}`, {}, desk.key())).status).toBeLessThan(300);
      }
    }

    // Hotline: calls spread over the last three hours, sent as the telephone system would.
    const now = Date.now();
    const events: Record<string, unknown>[] = [];
    for (let i = 0; i < 40; i++) {
      const q = now - 60_000 - i * 250_000;
      const wait = (i * 7919) % 60_000;
      events.push({ id: `c${i}-q`, type: 'call_queued', callId: `c${i}`, queue: 'repair', at: new Date(q).toISOString() });
      if (i % 4 === 0) events.push({ id: `c${i}-x`, type: 'call_abandoned', callId: `c${i}`, queue: 'repair', at: new Date(q + wait).toISOString() });
      else events.push({ id: `c${i}-a`, type: 'call_answered', callId: `c${i}`, queue: 'repair', agentId: `ag${i % 3}`, at: new Date(q + wait).toISOString() });
    }
    events.push({ id: 'w-q', type: 'call_queued', callId: 'w', queue: 'repair', at: new Date(now - 42_000).toISOString() });
    events.push({ id: 's-1', type: 'agent_state', agentId: 'ag0', queue: 'repair', state: 'available', at: new Date(now - 1000).toISOString() });
    events.push({ id: 's-2', type: 'agent_state', agentId: 'ag1', queue: 'repair', state: 'paused', at: new Date(now - 1000).toISOString() });
    const sent = await postHotlineEvents(api.url, SECRET, b.id, events);
    expect(sent.status).toBe(202);

    // Repairs: five intakes today; two are ready, one is overdue, one is a repeat of an earlier repair of the device.
    const ids: string[] = [];
    const repeatImei = intake().device.imei;
    for (let i = 0; i < 5; i++) {
      const body = intake(
        i === 4
          ? { device: { brand: 'Huawei', model: 'P60', imei: repeatImei } }
          : i === 3
            ? { device: { brand: 'Huawei', model: 'P60', imei: repeatImei } }
            : {},
      );
      const r = await desk.post(`/branches/${b.id}/repairs`, body, desk.key());
      expect(r.status).toBe(201);
      ids.push(r.body.repair?.id ?? r.body.id);
    }
    await api.ds.query(`UPDATE repairs SET promised_at = now() - interval '1 hour' WHERE id = $1`, [ids[0]]);
    await api.ds.query(`UPDATE repairs SET status = 'ready_for_pickup', ready_at = now() WHERE id = ANY($1::uuid[])`, [ids.slice(1, 3)]);
    await api.ds.query(`UPDATE repairs SET survey_score = s, survey_at = now() FROM (VALUES ($1::uuid, 5), ($2::uuid, 3)) v(id, s) WHERE repairs.id = v.id`, [
      ids[1],
      ids[2],
    ]);
    // Callbacks: one done on time, one done late, one overdue, one due later today.
    await api.ds.query(
      `INSERT INTO callbacks (branch_id, phone, due_at, reason, status, completed_at) VALUES
         ($1, '+8613800000001', now() - interval '50 minutes', 'promised', 'done', now() - interval '40 minutes'),
         ($1, '+8613800000002', now() - interval '50 minutes', 'promised', 'done', now() - interval '20 minutes'),
         ($1, '+8613800000003', now() - interval '30 minutes', 'follow_up', 'due', NULL),
         ($1, '+8613800000004', now() + interval '1 minute', 'follow_up', 'scheduled', NULL)`,
      [b.id],
    );

    const res = await manager.get<KpiResponse>(`/branches/${b.id}/kpis`);
    expect(res.status).toBe(200);
    const got = res.body;

    // Lobby, from the ticket events: each ticket's creation, its first call and its latest state.
    const [lobby] = await api.ds.query(
      `WITH e AS (SELECT data->'ticket'->>'id' AS id, type, seq, (data->'ticket'->>'createdAt')::timestamptz AS created, data->'ticket'->>'status' AS status,
                         (data->'ticket'->>'estimatedWaitSecondsAtIssue')::int AS est, at FROM events WHERE branch_id = $1 AND type LIKE 'ticket.%'),
            t AS (SELECT id, min(created) AS created, min(at) FILTER (WHERE type = 'ticket.called') AS called_ev,
                         (array_agg(status ORDER BY seq DESC))[1] AS status, bool_or(type = 'ticket.no_show') AS no_show, min(est) AS est FROM e GROUP BY id),
            c AS (SELECT e.id, min((data->'ticket'->>'calledAt')::timestamptz) AS called FROM events ev JOIN LATERAL (SELECT ev.data->'ticket'->>'id' AS id) e ON true
                   WHERE ev.branch_id = $1 AND ev.type = 'ticket.called' GROUP BY e.id)
       SELECT count(*) FILTER (WHERE t.status = 'waiting')::int AS waiting,
              avg(extract(epoch FROM c.called - t.created))::float AS wait_avg,
              percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM c.called - t.created))::float AS p90,
              extract(epoch FROM now() - min(t.created) FILTER (WHERE t.status = 'waiting'))::float AS longest,
              (count(*) FILTER (WHERE t.no_show))::float / NULLIF(count(c.called), 0) AS noshow,
              avg(abs(round(extract(epoch FROM c.called - t.created)) - t.est)) FILTER (WHERE c.called IS NOT NULL)::float AS est_err
         FROM t LEFT JOIN c ON c.id = t.id`,
      [b.id],
    );
    expect(kpi(got, 'lobby.waiting').value).toBe(6);
    expect(lobby.waiting).toBe(6);
    expect(kpi(got, 'lobby.wait.avg').value).toBeCloseTo(lobby.wait_avg, 3);
    expect(kpi(got, 'lobby.wait.p90').value).toBeCloseTo(lobby.p90, 3);
    expect(Math.abs(kpi(got, 'lobby.wait.longest').value! - lobby.longest)).toBeLessThan(3);
    expect(kpi(got, 'lobby.noshow.rate').value).toBeCloseTo(lobby.noshow, 4);
    expect(lobby.noshow).toBeCloseTo(2 / 8, 9);
    expect(Math.abs(kpi(got, 'lobby.estimate.error').value! - lobby.est_err)).toBeLessThanOrEqual(1);

    // Hotline, from the telephone system's stored events (DOMAIN.md: 15 s threshold, 5 s short abandons).
    const [hot] = await api.ds.query(
      `WITH c AS (SELECT call_id, min(at) FILTER (WHERE type = 'call_queued') AS q, min(at) FILTER (WHERE type = 'call_answered') AS a,
                         min(at) FILTER (WHERE type IN ('call_abandoned','call_ended')) AS gone
                    FROM hotline_events WHERE branch_id = $1 AND type <> 'agent_state' GROUP BY call_id),
            t AS (SELECT *, CASE WHEN a IS NOT NULL THEN 'answered' WHEN gone IS NOT NULL THEN CASE WHEN extract(epoch FROM gone - q) > 5 THEN 'abandoned' ELSE 'short' END ELSE 'waiting' END AS st,
                         extract(epoch FROM a - q) AS w FROM c)
       SELECT (count(*) FILTER (WHERE st = 'answered' AND w <= 15))::float / NULLIF(count(*) FILTER (WHERE st IN ('answered','abandoned')), 0) AS sl,
              avg(w) FILTER (WHERE st = 'answered')::float AS asa,
              (count(*) FILTER (WHERE st = 'abandoned'))::float / NULLIF(count(*) FILTER (WHERE st IN ('answered','abandoned')), 0) AS ar,
              extract(epoch FROM now() - min(q) FILTER (WHERE st = 'waiting'))::float AS oldest
         FROM t WHERE (q AT TIME ZONE $2)::date = (now() AT TIME ZONE $2)::date`,
      [b.id, zone],
    );
    expect(kpi(got, 'hotline.sl').value).toBeCloseTo(hot.sl, 3);
    expect(kpi(got, 'hotline.asa').value).toBeCloseTo(hot.asa, 3);
    expect(kpi(got, 'hotline.abandon.rate').value).toBeCloseTo(hot.ar, 3);
    expect(Math.abs(kpi(got, 'hotline.oldest.wait').value! - hot.oldest)).toBeLessThan(3);
    expect(kpi(got, 'hotline.oldest.wait').status).toBe('breach'); // 42 s against the 30 s hold alert
    expect(kpi(got, 'hotline.agents.available').value).toBe(1);
    expect(kpi(got, 'hotline.agents.paused').value).toBe(1);

    // Repairs, from the repair events (latest state per repair) and the rows' own instants.
    const [rep] = await api.ds.query(
      `WITH r AS (SELECT id, status, promised_at, ready_at, created_at, device_key, survey_score FROM repairs WHERE branch_id = $1)
       SELECT count(*) FILTER (WHERE status NOT IN ('ready_for_pickup','picked_up','returned_unrepaired','cancelled'))::int AS open,
              count(*) FILTER (WHERE status NOT IN ('ready_for_pickup','picked_up','returned_unrepaired','cancelled') AND promised_at < now())::int AS overdue,
              avg(extract(epoch FROM ready_at - created_at)) FILTER (WHERE ready_at IS NOT NULL)::float AS turnaround,
              (SELECT count(*) FROM r x WHERE EXISTS (SELECT 1 FROM repairs y WHERE y.device_key = x.device_key AND y.created_at < x.created_at AND y.created_at > x.created_at - interval '90 days'))::float / count(*) AS repeat_rate,
              avg(survey_score)::float AS sat_avg, avg((survey_score >= 4)::int)::float AS sat_share
         FROM r`,
      [b.id],
    );
    const [created] = await api.ds.query(`SELECT count(*)::int AS n FROM events WHERE branch_id = $1 AND type = 'repair.created'`, [b.id]);
    expect(created.n).toBe(5);
    expect(kpi(got, 'repairs.open').value).toBe(rep.open);
    expect(rep.open).toBe(3);
    expect(kpi(got, 'repairs.open.received').value).toBe(3);
    expect(kpi(got, 'repairs.overdue')).toMatchObject({ value: 1, status: 'breach' });
    expect(kpi(got, 'repairs.turnaround.avg').value).toBeCloseTo(rep.turnaround, 2);
    expect(kpi(got, 'repairs.uncollected').value).toBe(0);
    expect(kpi(got, 'repairs.repeat.rate').value).toBeCloseTo(rep.repeat_rate, 4);
    expect(rep.repeat_rate).toBeCloseTo(1 / 5, 9);
    expect(kpi(got, 'satisfaction.avg').value).toBeCloseTo(4, 9);
    expect(kpi(got, 'satisfaction.share')).toMatchObject({ value: 0.5, status: 'breach' });

    // The repair board's own KPI endpoint counts the same figures.
    const board = (await manager.get(`/branches/${b.id}/repair-kpis`)).body;
    expect(kpi(got, 'repairs.overdue').value).toBe(board.overdue);
    expect(kpi(got, 'repairs.uncollected').value).toBe(board.uncollected);
    expect(kpi(got, 'repairs.repeat.rate').value).toBeCloseTo(board.repeatRate, 4);
    expect(kpi(got, 'satisfaction.avg').value).toBeCloseTo(board.satisfactionAvg, 2);
    expect(Math.abs(kpi(got, 'repairs.turnaround.avg').value! - board.turnaroundSeconds)).toBeLessThanOrEqual(1);

    // Callbacks: three due so far, one done within due + 15 min.
    expect(kpi(got, 'callbacks.due').value).toBe(1);
    expect(kpi(got, 'callbacks.overdue')).toMatchObject({ value: 1, status: 'breach' });
    expect(kpi(got, 'callbacks.ontime.rate').value).toBeCloseTo(1 / 3, 4);

    // SMS: the outbox as the worker leaves it (two sent today, one failed for good today, one sent yesterday, one
    // still waiting); the tiles count today's, in the branch's local day, as an independent query does.
    await api.ds.query(
      `INSERT INTO notifications (branch_id, repair_id, to_phone, language, template, dedupe_key, state, due_at, sent_at, updated_at) VALUES
         ($1, $2, '+8613800138000', 'zh', 'pickup_ready', 'k1', 'sent', now(), now(), now()),
         ($1, $2, '+8613800138000', 'zh', 'pickup_reminder', 'k2', 'sent', now(), now() - interval '1 minute', now()),
         ($1, $2, '+8613800138000', 'en', 'promise_slipped', 'k3', 'failed', now(), NULL, now()),
         ($1, $2, '+8613800138000', 'zh', 'pickup_ready', 'k4', 'sent', now() - interval '1 day', now() - interval '1 day', now() - interval '1 day'),
         ($1, $2, '+8613800138000', 'zh', 'pickup_reminder', 'k5', 'pending', now() + interval '3 days', NULL, now())`,
      [b.id, ids[1]],
    );
    const [sms] = await api.ds.query(
      `SELECT count(*) FILTER (WHERE state = 'sent' AND (sent_at AT TIME ZONE $2)::date = (now() AT TIME ZONE $2)::date)::int AS sent,
              count(*) FILTER (WHERE state = 'failed' AND (updated_at AT TIME ZONE $2)::date = (now() AT TIME ZONE $2)::date)::int AS failed
         FROM notifications WHERE branch_id = $1`,
      [b.id, zone],
    );
    const withSms = (await manager.get<KpiResponse>(`/branches/${b.id}/kpis`)).body;
    expect(kpi(withSms, 'sms.sent')).toMatchObject({ value: sms.sent, available: true });
    expect(sms.sent).toBe(2);
    expect(kpi(withSms, 'sms.failed')).toMatchObject({ value: 1, status: 'breach' });
    expect(sms.failed).toBe(1);
    Object.assign(got, withSms);

    // The numbers after a reload are the same numbers (nothing happened in between).
    const again = await manager.get<KpiResponse>(`/branches/${b.id}/kpis`);
    expect(again.body.seq).toBe(got.seq);
    for (const k of got.kpis.filter((x) => !['lobby.wait.longest', 'hotline.oldest.wait'].includes(x.key))) {
      expect(kpi(again.body, k.key).value).toEqual(k.value);
    }

    // Charts: arrivals by 15 minutes sum to the day's tickets; calls by 30 minutes to the day's calls.
    const arrivals = await manager.get<SeriesResponse>(`/branches/${b.id}/series?metric=lobby.arrivals&bucket=15m`);
    expect(arrivals.body.points.reduce((s, p) => s + (p.value ?? 0), 0)).toBe(14);
    const [callsToday] = await api.ds.query(
      `SELECT count(DISTINCT call_id)::int AS n FROM hotline_events WHERE branch_id = $1 AND type = 'call_queued' AND (at AT TIME ZONE $2)::date = (now() AT TIME ZONE $2)::date`,
      [b.id, zone],
    );
    const calls = await manager.get<SeriesResponse>(`/branches/${b.id}/series?metric=hotline.calls&bucket=30m`);
    expect(calls.body.points).toHaveLength(48);
    expect(calls.body.points.reduce((s, p) => s + (p.value ?? 0), 0)).toBe(callsToday.n);
    const csv = await fetch(`${api.url}/api/branches/${b.id}/series?metric=lobby.arrivals&bucket=1h`, {
      headers: { accept: 'text/csv', authorization: `Bearer ${await login(api.url, b.users.manager)}` },
    });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toBe('t,lobby.arrivals');
    expect(lines).toHaveLength(25);
    expect(lines.slice(1).reduce((s, l) => s + Number(l.split(',')[1]), 0)).toBe(14);

    // Staffing: the six waiting tickets arrived in the last hour; the advice is for at least one counter per busy service.
    const staffing = await manager.get<StaffingResponse>(`/branches/${b.id}/staffing?horizon=1h`);
    expect(staffing.status).toBe(200);
    const a = staffing.body.lines.find((l) => l.key === 'lobby:A')!;
    expect(a.arrivalsPerHour).toBe(5);
    expect(a.needed).toBeGreaterThanOrEqual(1);
    expect(a.openNow).toBe(2);
    const hotline = staffing.body.lines.find((l) => l.key === 'hotline')!;
    expect(hotline.openNow).toBe(1);
    expect(hotline.needed).toBeGreaterThanOrEqual(1);
  });

  it('targets are per branch, change the tile colour, and bad input names the field', async () => {
    const b = await makeBranch(api.ds);
    const manager = client(api.url, await login(api.url, b.users.manager));
    const kiosk = client(api.url, b.kioskToken);
    await kiosk.post(`/branches/${b.id}/tickets`, { serviceId: b.services.A }, kiosk.key());
    expect(kpi((await manager.get<KpiResponse>(`/branches/${b.id}/kpis`)).body, 'lobby.waiting')).toMatchObject({ value: 1, target: 15, status: 'ok' });
    const put = await manager.put(`/branches/${b.id}/kpi-targets`, { targets: { 'lobby.waiting': 0 } });
    expect(put.status).toBe(200);
    expect(put.body.targets).toEqual({ 'lobby.waiting': 0 });
    expect(kpi((await manager.get<KpiResponse>(`/branches/${b.id}/kpis`)).body, 'lobby.waiting')).toMatchObject({ value: 1, target: 0, status: 'breach' });
    const bad = await manager.put(`/branches/${b.id}/kpi-targets`, { targets: { 'lobby.nonsense': 3 } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('targets');
    const rate = await manager.put(`/branches/${b.id}/kpi-targets`, { targets: { 'hotline.sl': 80 } });
    expect(rate.status).toBe(400);
    expect(rate.body.message).toContain('hotline.sl');
    const series = await manager.get(`/branches/${b.id}/series?metric=lobby.arrivals&from=2026-13-01`);
    expect(series.status).toBe(400);
    expect(JSON.stringify(series.body)).toContain('from');
    const metric = await manager.get(`/branches/${b.id}/series?metric=nope`);
    expect(metric.status).toBe(400);
    expect(JSON.stringify(metric.body)).toContain('metric');
    const desk = client(api.url, await login(api.url, b.users.frontdesk));
    expect((await desk.get(`/branches/${b.id}/kpis`)).status).toBe(403);
    const other = await makeBranch(api.ds);
    expect((await manager.get(`/branches/${other.id}/kpis`)).status).toBe(403);
    // The all-branches table holds the manager's own branches only.
    const all = await manager.get(`/manager/branches`);
    expect(all.status).toBe(200);
    expect(all.body.branches.map((x: { branchId: string }) => x.branchId)).toEqual([b.id]);
    expect(all.body.branches[0].kpis.kpis.length).toBeGreaterThan(20);
    expect((await desk.get(`/manager/branches`)).status).toBe(403);
  });

  it('day replay rebuilds the lobby and hotline tiles and the lobby picture at a past instant from the event log', async () => {
    const zone = 'Asia/Shanghai';
    const b = await makeBranch(api.ds, { timeZone: zone, settings: { maxRecalls: 0, recallCooldownSeconds: 0 } });
    await api.ds.query(`UPDATE branches SET hotline_secret = $2 WHERE id = $1`, [b.id, SECRET]);
    const manager = client(api.url, await login(api.url, b.users.manager));
    const desk = client(api.url, await login(api.url, b.users.frontdesk));
    const kiosk = client(api.url, b.kioskToken);
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    // Instants are whole local seconds: wait past a second boundary between the steps.
    const localNow = () => DateTime.now().setZone(zone).startOf('second');
    const fmt = (d: DateTime) => d.toFormat("yyyy-MM-dd'T'HH:mm:ss");

    const t0 = localNow();
    await sleep(1100);
    const numbers: string[] = [];
    for (let i = 0; i < 3; i++) numbers.push((await kiosk.post(`/branches/${b.id}/tickets`, { serviceId: b.services.A }, kiosk.key())).body.number);
    await sleep(1100);
    const t1 = localNow();
    await sleep(1100);
    for (let i = 0; i < 2; i++) await kiosk.post(`/branches/${b.id}/tickets`, { serviceId: b.services.B }, kiosk.key());
    await desk.post(`/counters/${b.counters[0]}/open`, {});
    const first = await desk.post(`/counters/${b.counters[0]}/call-next`, {}, desk.key());
    await desk.post(`/tickets/${first.body.ticket.id}/no-show`, {}, desk.key());
    const second = await desk.post(`/counters/${b.counters[0]}/call-next`, {}, desk.key());
    // Hotline: a call queued two minutes before t2, answered after a minute.
    const t2 = localNow().plus({ seconds: 2 });
    const q = t2.minus({ seconds: 120 }).toJSDate().getTime();
    const events = [
      { id: 'r-q', type: 'call_queued', callId: 'r', queue: 'repair', at: new Date(q).toISOString() },
      { id: 'r-a', type: 'call_answered', callId: 'r', queue: 'repair', agentId: 'ag', at: new Date(q + 60_000).toISOString() },
    ];
    const raw = JSON.stringify({ branchId: b.id, events });
    const ts = String(Math.floor(Date.now() / 1000));
    const res = await fetch(`${api.url}/api/hotline/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-timestamp': ts, 'x-signature': signHotlineBody(SECRET, ts, raw) },
      body: raw,
    });
    expect(res.status).toBe(202);
    await sleep(2200);

    const at = async (d: DateTime) => {
      const r = await manager.get<ReplayResponse>(`/branches/${b.id}/replay?at=${fmt(d)}`);
      expect(r.status).toBe(200);
      return r.body;
    };
    // Before anything: an empty lobby.
    const empty = await at(t0);
    expect(kpi(empty, 'lobby.waiting').value).toBe(0);
    expect(kpi(empty, 'lobby.wait.avg').value).toBeNull();
    expect(empty.lobby.counters.every((c) => c.status === 'closed' && c.ticket === null)).toBe(true);
    // After the first three tickets: three waiting for A, nobody called.
    const early = await at(t1);
    expect(kpi(early, 'lobby.waiting').value).toBe(3);
    expect(early.lobby.services.find((s) => s.code === 'A')!.waiting).toEqual(numbers);
    expect(early.seq).toBeLessThan((await manager.get<KpiResponse>(`/branches/${b.id}/kpis`)).body.seq);
    // Halfway through the call: waiting, not yet answered.
    const mid = await at(t2.minus({ seconds: 90 }));
    expect(kpi(mid, 'hotline.oldest.wait').value).toBe(30);
    expect(kpi(mid, 'hotline.asa').value).toBeNull();
    // Now: the replay equals the live tiles.
    const late = await at(t2);
    const live = (await manager.get<KpiResponse>(`/branches/${b.id}/kpis`)).body;
    for (const key of ['lobby.waiting', 'lobby.wait.avg', 'lobby.wait.p90', 'lobby.noshow.rate', 'hotline.sl', 'hotline.asa', 'hotline.abandon.rate']) {
      const v = kpi(late, key).value;
      if (v === null) expect(kpi(live, key).value).toBeNull();
      else expect(v).toBeCloseTo(kpi(live, key).value!, 2);
    }
    expect(kpi(late, 'lobby.waiting').value).toBe(3);
    expect(kpi(late, 'lobby.noshow.rate').value).toBe(0.5);
    expect(kpi(late, 'hotline.asa').value).toBe(60);
    expect(late.lobby.counters[0]).toMatchObject({ status: 'open', ticket: second.body.ticket.number });
    // A bad instant names the field.
    const bad = await manager.get(`/branches/${b.id}/replay?at=yesterday`);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('at');
  });

  it("buckets are the branch's local time: a DST day has 23 or 25 hourly buckets, each labelled with its offset", async () => {
    const b = await makeBranch(api.ds, { timeZone: 'America/New_York' });
    const manager = client(api.url, await login(api.url, b.users.manager));
    // Two tickets in the two different 01:30s of the night the clocks go back.
    await api.ds.query(
      `INSERT INTO tickets (branch_id, service_id, local_day, day_seq, number, status, created_at, issued_by)
       VALUES ($1, $2, '2026-11-01', 1, 'A001', 'cancelled', '2026-11-01T05:30:00Z', 'test'), ($1, $2, '2026-11-01', 2, 'A002', 'cancelled', '2026-11-01T06:30:00Z', 'test')`,
      [b.id, b.services.A],
    );
    const spring = (await manager.get<SeriesResponse>(`/branches/${b.id}/series?metric=lobby.arrivals&bucket=1h&from=2026-03-08`)).body;
    expect(spring.points).toHaveLength(23);
    expect(spring.points.slice(0, 3).map((p) => p.t)).toEqual(['2026-03-08T00:00:00-05:00', '2026-03-08T01:00:00-05:00', '2026-03-08T03:00:00-04:00']);
    const autumn = (await manager.get<SeriesResponse>(`/branches/${b.id}/series?metric=lobby.arrivals&bucket=1h&from=2026-11-01`)).body;
    expect(autumn.points).toHaveLength(25);
    expect(autumn.points.slice(1, 3)).toEqual([
      { t: '2026-11-01T01:00:00-04:00', value: 1 },
      { t: '2026-11-01T01:00:00-05:00', value: 1 },
    ]);
    const days = (await manager.get<SeriesResponse>(`/branches/${b.id}/series?metric=lobby.arrivals&bucket=1d&from=2026-10-31&to=2026-11-02`)).body;
    expect(days.points).toEqual([
      { t: '2026-10-31T00:00:00-04:00', value: 0 },
      { t: '2026-11-01T00:00:00-04:00', value: 2 },
      { t: '2026-11-02T00:00:00-05:00', value: 0 },
    ]);
  });
});
