import { DateTime } from 'luxon';
import type { KpiResponse, KpiValue, ReplayResponse, SeriesResponse } from '@frontdesk/contracts';
import { client, startApi, type TestApi } from '../../test-support/test-app';
import { login, makeBranch } from '../../test-support/factories';
import { seedDemoHistory } from './demo-history';

const ZONE = 'Asia/Shanghai';
const kpi = (r: Pick<KpiResponse, 'kpis'>, key: string): KpiValue => r.kpis.find((x) => x.key === key)!;

describe('demo history: past days of a new demo branch, as the manager view reads them', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(async () => {
    await api.close();
  });

  it('fills the charts, the day replay and last week, and live events follow its seqs', async () => {
    const b = await makeBranch(api.ds, {
      timeZone: ZONE,
      counters: [
        ['A', 'B'],
        ['A', 'C'],
        ['B', 'D'],
        ['A', 'B', 'C', 'D'],
      ],
    });
    const result = await seedDemoHistory(api.ds, b.id, { days: 8 });
    if (!result.written) throw new Error(result.reason);
    expect(result.days).toBe(8);
    const manager = client(api.url, await login(api.url, b.users.manager));
    const today = DateTime.now().setZone(ZONE).startOf('day');
    const first = today.minus({ days: 8 }).toISODate()!;
    const last = today.minus({ days: 1 }).toISODate()!;

    // Arrivals per day, as the chart has them, are the tickets written for each day; nothing today.
    const perDay: { local_day: string; n: number }[] = await api.ds.query(
      `SELECT to_char(local_day, 'YYYY-MM-DD') AS local_day, count(*)::int AS n FROM tickets WHERE branch_id = $1 GROUP BY local_day ORDER BY local_day`,
      [b.id],
    );
    expect(perDay).toHaveLength(8);
    expect(perDay.reduce((a, d) => a + d.n, 0)).toBe(result.tickets);
    const arrivals = await manager.get<SeriesResponse>(`/branches/${b.id}/series?metric=lobby.arrivals&bucket=1d&from=${first}&to=${last}`);
    expect(arrivals.status).toBe(200);
    expect(arrivals.body.points.map((p) => p.value)).toEqual(perDay.map((d) => d.n));
    expect(Math.min(...perDay.map((d) => d.n))).toBeGreaterThan(60);
    const calls = await manager.get<SeriesResponse>(`/branches/${b.id}/series?metric=hotline.calls&bucket=1d&from=${first}&to=${last}`);
    expect(calls.body.points.every((p) => (p.value ?? 0) > 30)).toBe(true);
    expect((await manager.get<KpiResponse>(`/branches/${b.id}/kpis`)).body.kpis.find((k) => k.key === 'lobby.waiting')!.value).toBe(0);

    // Repairs: every made-up one was collected or returned, the tiles of the last 30 days read them, no callback is late.
    const repairsPerDay: { n: number }[] = await api.ds.query(
      `SELECT count(r.*)::int AS n FROM generate_series($2::date, $3::date, interval '1 day') d
         LEFT JOIN repairs r ON r.branch_id = $1 AND r.local_day = d::date GROUP BY d ORDER BY d`,
      [b.id, first, last],
    );
    expect(repairsPerDay.reduce((a, d) => a + d.n, 0)).toBe(result.repairs);
    const created = await manager.get<SeriesResponse>(`/branches/${b.id}/series?metric=repairs.created&bucket=1d&from=${first}&to=${last}`);
    expect(created.body.points.map((p) => p.value)).toEqual(repairsPerDay.map((d) => d.n));
    const tiles = (await manager.get<KpiResponse>(`/branches/${b.id}/kpis`)).body;
    expect(kpi(tiles, 'repairs.open').value).toBe(0);
    expect(kpi(tiles, 'repairs.uncollected').value).toBe(0);
    expect(kpi(tiles, 'callbacks.overdue').value).toBe(0);
    const [survey]: { avg: number }[] = await api.ds.query(`SELECT avg(survey_score)::float8 AS avg FROM repairs WHERE branch_id = $1`, [b.id]);
    expect(survey.avg).toBeGreaterThan(3);
    expect(kpi(tiles, 'satisfaction.avg').value).toBeCloseTo(survey.avg, 3);
    const [tally]: { follow_ups: number; picked_up: number; abandoned: number; abandoned_calls: number }[] = await api.ds.query(
      `SELECT (SELECT count(*)::int FROM callbacks WHERE branch_id = $1 AND reason = 'follow_up') AS follow_ups,
              (SELECT count(*)::int FROM repairs WHERE branch_id = $1 AND status = 'picked_up') AS picked_up,
              (SELECT count(*)::int FROM callbacks WHERE branch_id = $1 AND reason = 'abandoned') AS abandoned,
              (SELECT count(*)::int FROM hotline_calls WHERE branch_id = $1 AND status = 'abandoned') AS abandoned_calls`,
      [b.id],
    );
    expect(tally.follow_ups).toBe(tally.picked_up);
    expect(tally.abandoned).toBe(tally.abandoned_calls);

    // Who did it, as the API labels people and devices: the kiosk issued, receptionists called and took in, the
    // technician repaired.
    const [kioskDevice]: { id: string }[] = await api.ds.query(`SELECT id FROM devices WHERE branch_id = $1 AND kind = 'kiosk'`, [b.id]);
    const actors: { source: string; actor: string }[] = await api.ds.query(
      `SELECT DISTINCT 'issued' AS source, issued_by AS actor FROM tickets WHERE branch_id = $1
       UNION SELECT DISTINCT 'called', actor FROM events WHERE branch_id = $1 AND type = 'ticket.called'
       UNION SELECT DISTINCT 'repaired', h.actor FROM repair_history h JOIN repairs r ON r.id = h.repair_id
              WHERE r.branch_id = $1 AND h.kind = 'status' AND h.to_value = 'repairing'
       UNION SELECT DISTINCT 'taken in', created_by FROM repairs WHERE branch_id = $1`,
      [b.id],
    );
    const by = (source: string) => actors.filter((a) => a.source === source).map((a) => a.actor.replace(/^user:[0-9a-f-]+:/, 'user:'));
    expect(by('issued')).toEqual([`device:${kioskDevice.id}:kiosk of ${b.code}`]);
    expect(by('called')).toEqual([`user:${b.users.frontdesk}`]);
    expect(by('taken in')).toEqual([`user:${b.users.frontdesk}`]);
    expect(by('repaired')).toEqual([`user:${b.users.technician}`]);

    // A week ago at 11:00: counters open and busy, a queue, waits and a service level, as the log replays them.
    const weekAgo = today.minus({ days: 7 });
    const replay = await manager.get<ReplayResponse>(`/branches/${b.id}/replay?at=${weekAgo.toISODate()}T11:00`);
    expect(replay.status).toBe(200);
    expect(replay.body.lobby.counters.filter((c) => c.status === 'open').length).toBeGreaterThanOrEqual(3);
    expect(replay.body.lobby.counters.some((c) => c.ticket !== null)).toBe(true);
    const [sql]: { avg: number }[] = await api.ds.query(
      `SELECT avg(extract(epoch FROM first_called_at - created_at))::float8 AS avg FROM tickets
        WHERE branch_id = $1 AND local_day = $2::date AND first_called_at <= $3`,
      [b.id, weekAgo.toISODate(), weekAgo.set({ hour: 11 }).toJSDate()],
    );
    expect(kpi(replay.body, 'lobby.wait.avg').value).toBeCloseTo(sql.avg, 3);
    expect(kpi(replay.body, 'hotline.sl').value).toBeGreaterThan(0.5);
    expect(
      kpi(replay.body, 'hotline.agents.available').value! +
        kpi(replay.body, 'hotline.agents.on_call').value! +
        kpi(replay.body, 'hotline.agents.wrap_up').value!,
    ).toBe(3);
    // At 08:00 nothing had opened yet.
    const early = await manager.get<ReplayResponse>(`/branches/${b.id}/replay?at=${weekAgo.toISODate()}T08:00`);
    expect(early.body.lobby.counters.every((c) => c.status === 'closed')).toBe(true);
    expect(kpi(early.body, 'lobby.waiting').value).toBe(0);

    // A live ticket takes the next seq after the history's events, and a second seed writes nothing.
    const kiosk = client(api.url, b.kioskToken);
    const issued = await kiosk.post(`/branches/${b.id}/tickets`, { serviceId: b.services.A }, kiosk.key());
    expect(issued.status).toBe(201);
    expect(issued.body.number).toBe('A001');
    const [seq]: { max: string }[] = await api.ds.query(`SELECT max(seq) AS max FROM events WHERE branch_id = $1`, [b.id]);
    expect(Number(seq.max)).toBe(result.events + 1);
    const again = await seedDemoHistory(api.ds, b.id, { days: 8 });
    expect(again).toEqual({ written: false, reason: expect.stringContaining('events already') });
    const [count]: { n: number }[] = await api.ds.query(`SELECT count(*)::int AS n FROM tickets WHERE branch_id = $1`, [b.id]);
    expect(count.n).toBe(result.tickets + 1);
  });
});
