import type { CounterDto, TicketDto } from '@frontdesk/contracts';
import { makeBranch, login, type TestBranch } from '../test-support/factories';
import { client, startApi, type TestApi } from '../test-support/test-app';

/**
 * A branch transaction sends its writes, the events and the Idempotency-Key result with the COMMIT, with the
 * values written into the SQL as quoted literals: what staff type must come back exactly as typed.
 */
describe('text typed by staff, through the branch transaction (real Postgres)', () => {
  let api: TestApi;
  let b: TestBranch;
  let desk: ReturnType<typeof client>;
  let kiosk: ReturnType<typeof client>;

  // Quotes, a backslash, what looks like a parameter or dollar quoting, a comment, an injection attempt, non-Latin text.
  const awkward = `O'Brien: "back\\slash" $1 $$x$$ -- 😀 客户 ';DROP TABLE tickets;--`;

  beforeAll(async () => {
    api = await startApi();
    b = await makeBranch(api.ds, { counters: [['A']] });
    desk = client(api.url, await login(api.url, b.users.frontdesk));
    kiosk = client(api.url, b.kioskToken);
  });
  afterAll(() => api.close());

  it('keeps a cancel reason exactly, in the answer, the stored ticket, the event log and an idempotent replay', async () => {
    const t = await kiosk.post(`/branches/${b.id}/tickets`, { serviceId: b.services.A });
    expect(t.status).toBe(201);
    const key = desk.key();
    const r = await desk.post<TicketDto>(`/tickets/${t.body.id}/cancel`, { reason: awkward }, key);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'cancelled', callReason: awkward });

    const stored = await desk.get<TicketDto>(`/tickets/${t.body.id}`);
    expect(stored.body).toMatchObject({ status: 'cancelled', callReason: awkward });
    const [event]: { data: { ticket: TicketDto } }[] = await api.ds.query(
      `SELECT data FROM events WHERE branch_id = $1 AND type = 'ticket.cancelled' ORDER BY seq DESC LIMIT 1`,
      [b.id],
    );
    expect(event.data.ticket.callReason).toBe(awkward);

    const again = await desk.post<TicketDto>(`/tickets/${t.body.id}/cancel`, { reason: awkward }, key);
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(r.body);
  });

  it('keeps a counter pause reason exactly and still calls from that counter afterwards', async () => {
    const counterId = b.counters[0];
    expect((await desk.post(`/counters/${counterId}/open`)).status).toBe(200);
    const paused = await desk.post<CounterDto>(`/counters/${counterId}/pause`, { reason: awkward });
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ status: 'paused', pauseReason: awkward });
    const listed = await desk.get<CounterDto[]>(`/branches/${b.id}/counters`);
    expect(listed.body.find((c) => c.id === counterId)).toMatchObject({ status: 'paused', pauseReason: awkward });

    const t = await kiosk.post(`/branches/${b.id}/tickets`, { serviceId: b.services.A, phone: '+86 138 0013 8000' });
    const called = await desk.post<{ ticket: TicketDto }>(`/counters/${counterId}/call-next`);
    expect(called.status).toBe(200);
    expect(called.body.ticket.id).toBe(t.body.id);
    const after = await desk.get<CounterDto[]>(`/branches/${b.id}/counters`);
    expect(after.body.find((c) => c.id === counterId)).toMatchObject({ status: 'open', pauseReason: null, ticket: { id: t.body.id } });
  });
});
