import { DateTime } from 'luxon';
import type { HotlineMetricsEventData, LiveEvent } from '@frontdesk/contracts';
import { client, liveClient, startApi, subscribe, type TestApi } from '../test-support/test-app';
import { login, makeBranch } from '../test-support/factories';
import { signHotlineBody } from './hotline-signature';

const SECRET = 'day-secret';

/** A deterministic pseudo-random generator, so a failure can be replayed. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** The zone where the most of today has passed, so the simulated day has hours of calls whatever the test's hour. */
function zoneWithLongestDay(): { zone: string; elapsedSeconds: number } {
  const zones = ['Asia/Shanghai', 'Europe/London', 'America/New_York', 'Pacific/Honolulu', 'Pacific/Kiritimati', 'Asia/Kolkata', 'America/Los_Angeles'];
  return zones
    .map((zone) => ({ zone, elapsedSeconds: DateTime.now().setZone(zone).diff(DateTime.now().setZone(zone).startOf('day'), 'seconds').seconds }))
    .sort((a, b) => b.elapsedSeconds - a.elapsedSeconds)[0];
}

interface Ev {
  id: string;
  type: string;
  callId?: string;
  queue?: string;
  at: string;
  agentId?: string;
  state?: string;
  callerNumber?: string;
}

describe('hotline metrics over a simulated day equal a straightforward SQL recomputation from the stored events', () => {
  let api: TestApi;
  // A second instance: each keeps the day's calls in memory, and must notice the other's ingests.
  let other: TestApi;
  beforeAll(async () => {
    api = await startApi();
    other = await startApi();
  });
  afterAll(async () => {
    await other.close();
    await api.close();
  });

  it('whole branch and one queue, with late, duplicated and shuffled events sent to two API instances in turn', async () => {
    const { zone, elapsedSeconds } = zoneWithLongestDay();
    const b = await makeBranch(api.ds, { timeZone: zone });
    await api.ds.query(`UPDATE branches SET hotline_secret = $2 WHERE id = $1`, [b.id, SECRET]);
    const random = rng(20261125);
    const now = Date.now();
    const dayStart = now - elapsedSeconds * 1000;
    const events: Ev[] = [];
    const at = (ms: number) => new Date(ms).toISOString();
    // Calls spread over the day so far (and a few from yesterday, which must not count).
    const span = Math.min(elapsedSeconds - 120, 8 * 3600) * 1000;
    for (let i = 0; i < 400; i++) {
      const queue = random() < 0.6 ? 'repair' : 'sales';
      const queuedAt = i < 10 ? dayStart - random() * 3600_000 : now - 60_000 - random() * span;
      const callId = `day-${i}`;
      const callerNumber = random() < 0.8 ? `1380000${String(Math.floor(random() * 40)).padStart(4, '0')}` : undefined;
      const wait = random() < 0.5 ? random() * 15_000 : random() * 120_000;
      const r = random();
      events.push({ id: `${callId}-q`, type: 'call_queued', callId, queue, at: at(queuedAt), callerNumber });
      if (r < 0.7) {
        events.push({ id: `${callId}-a`, type: 'call_answered', callId, queue, at: at(queuedAt + wait), agentId: `a${i % 5}` });
        events.push({ id: `${callId}-e`, type: 'call_ended', callId, queue, at: at(queuedAt + wait + 180_000) });
      } else if (r < 0.85) {
        events.push({ id: `${callId}-x`, type: 'call_abandoned', callId, queue, at: at(queuedAt + wait) });
        if (random() < 0.5) events.push({ id: `${callId}-e`, type: 'call_ended', callId, queue, at: at(queuedAt + wait + 100) });
      } else if (r < 0.95) {
        events.push({ id: `${callId}-e`, type: 'call_ended', callId, queue, at: at(queuedAt + wait) }); // hung up in the queue
      }
      // else: the call never got a final event before the end of the log (still waiting, or lost).
    }
    for (let i = 0; i < 4; i++) {
      const callId = `wait-${i}`;
      events.push({ id: `${callId}-q`, type: 'call_queued', callId, queue: i % 2 ? 'sales' : 'repair', at: at(now - (i + 1) * 7000) });
    }
    for (let i = 0; i < 5; i++) events.push({ id: `ag-${i}`, type: 'agent_state', at: at(now - 5000), agentId: `a${i}`, queue: 'repair', state: (['available', 'on_call', 'wrap_up', 'paused', 'offline'] as const)[i] });
    // Shuffle, then send in batches with some batches re-sent (duplicates).
    for (let i = events.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [events[i], events[j]] = [events[j], events[i]];
    }
    // The numbers each ingest pushes come from the instance's in-memory day: they must end equal to the SQL too.
    const live = await liveClient(api.url, await login(api.url, b.users.manager));
    await subscribe(live.socket, { branchId: b.id, view: 'staff' });
    let accepted = 0;
    let duplicates = 0;
    for (let i = 0; i < events.length; i += 97) {
      const batch = events.slice(i, i + 97);
      for (let k = 0; k < (random() < 0.3 ? 2 : 1); k++) {
        const raw = JSON.stringify({ branchId: b.id, events: batch });
        const ts = String(Math.floor(Date.now() / 1000));
        const target = (i / 97 + k) % 3 === 0 ? other : api;
        const res = await fetch(`${target.url}/api/hotline/events`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-timestamp': ts, 'x-signature': signHotlineBody(SECRET, ts, raw) }, body: raw });
        expect(res.status).toBe(202);
        const r = (await res.json()) as { accepted: number; duplicates: number };
        accepted += r.accepted;
        duplicates += r.duplicates;
      }
    }
    expect(accepted).toBe(events.length);
    expect(duplicates).toBeGreaterThan(0);

    for (const [queue, instance] of [[null, api], ['repair', api], [null, other]] as const) {
      const manager = client(instance.url, await login(instance.url, b.users.manager));
      const got = (await manager.get(`/branches/${b.id}/hotline${queue ? `?queue=${queue}` : ''}`)).body;
      const [want] = await api.ds.query(
        `WITH c AS (
           SELECT call_id,
             min(at) FILTER (WHERE type = 'call_queued') AS q, min(at) AS f,
             min(at) FILTER (WHERE type = 'call_answered') AS a,
             LEAST(min(at) FILTER (WHERE type = 'call_abandoned'), min(at) FILTER (WHERE type = 'call_ended')) AS gone,
             COALESCE((array_agg(queue ORDER BY at) FILTER (WHERE type = 'call_queued'))[1], (array_agg(queue ORDER BY at))[1]) AS queue
           FROM hotline_events WHERE branch_id = $1 AND type <> 'agent_state' GROUP BY call_id),
         t AS (
           SELECT *, COALESCE(q, f) AS qq,
             CASE WHEN a IS NOT NULL THEN 'answered'
                  WHEN gone IS NOT NULL THEN CASE WHEN extract(epoch FROM gone - COALESCE(q, f)) > 5 THEN 'abandoned' ELSE 'short' END
                  ELSE 'waiting' END AS st,
             GREATEST(0, extract(epoch FROM a - COALESCE(q, f))) AS w
           FROM c)
         SELECT count(*) FILTER (WHERE st = 'answered')::int AS answered,
                count(*) FILTER (WHERE st = 'abandoned')::int AS abandoned,
                count(*) FILTER (WHERE st = 'short')::int AS short,
                count(*) FILTER (WHERE st = 'waiting')::int AS waiting,
                round(extract(epoch FROM now() - min(qq) FILTER (WHERE st = 'waiting')))::int AS oldest,
                (count(*) FILTER (WHERE st = 'answered' AND w <= 15))::float / NULLIF(count(*) FILTER (WHERE st IN ('answered', 'abandoned')), 0) AS sl,
                avg(w) FILTER (WHERE st = 'answered')::float AS asa,
                (count(*) FILTER (WHERE st = 'abandoned'))::float / NULLIF(count(*) FILTER (WHERE st IN ('answered', 'abandoned')), 0) AS ar
         FROM t
         WHERE (qq AT TIME ZONE $2)::date = (now() AT TIME ZONE $2)::date AND ($3::text IS NULL OR queue = $3)`,
        [b.id, zone, queue],
      );
      expect(got).toMatchObject({ answered: want.answered, abandoned: want.abandoned, shortAbandoned: want.short, waiting: want.waiting });
      expect(Math.abs(got.oldestWaitSeconds - want.oldest)).toBeLessThanOrEqual(2);
      expect(got.serviceLevel).toBeCloseTo(want.sl, 9);
      expect(got.asa).toBeCloseTo(want.asa, 6);
      expect(got.abandonRate).toBeCloseTo(want.ar, 9);
      expect(want.answered).toBeGreaterThan(50);
      if (queue === 'repair') expect(got.agents).toEqual({ available: 1, onCall: 1, wrapUp: 1, paused: 1 });
      if (queue === null && instance === api) {
        await new Promise((r) => setTimeout(r, 500));
        const pushed = (live.events as LiveEvent[]).filter((e) => e.type === 'hotline.metrics').sort((x, y) => y.seq - x.seq)[0];
        const last = (pushed.data as HotlineMetricsEventData).metrics;
        expect(last).toMatchObject({ answered: want.answered, abandoned: want.abandoned, shortAbandoned: want.short, waiting: want.waiting });
        expect(last.serviceLevel).toBeCloseTo(want.sl, 9);
        expect(last.asa).toBeCloseTo(want.asa, 6);
        live.socket.close();
      }
    }
  });
});
