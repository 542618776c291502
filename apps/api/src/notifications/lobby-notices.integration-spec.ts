import type { NotificationDto } from '@frontdesk/contracts';
import { login, makeBranch } from '../test-support/factories';
import { client, startApi, type TestApi } from '../test-support/test-app';

describe('lobby SMS when a ticket is two places from being called', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  it('writes one notice for the ticket with a phone that now has two ahead, none for tickets without a phone or another service', async () => {
    const b = await makeBranch(api.ds, { counters: [['A']] });
    await api.ds.query(`UPDATE branches SET notify_settings = '{"quietStart":"00:00","quietEnd":"00:00"}' WHERE id = $1`, [b.id]);
    const kiosk = client(api.url, b.kioskToken);
    const desk = client(api.url, await login(api.url, b.users.frontdesk));
    const issue = async (phone?: string, service = b.services.A) =>
      (await kiosk.post<{ id: string; number: string }>(`/branches/${b.id}/tickets`, { serviceId: service, ...(phone ? { phone } : {}) })).body;
    const t1 = await issue();
    const t2 = await issue();
    const t3 = await issue();
    const t4 = await issue('13800138000');
    const other = await issue('13900139000', b.services.B);
    const notices = async (ticketId: string) => (await desk.get<NotificationDto[]>(`/notifications?ticketId=${ticketId}`)).body;
    const callNext = async () => {
      const current = await desk.post<{ ticket: { id: string } }>(`/counters/${b.counters[0]}/call-next`);
      expect(current.status).toBe(200);
      expect((await desk.post(`/tickets/${current.body.ticket.id}/serve`)).status).toBe(200);
      expect((await desk.post(`/tickets/${current.body.ticket.id}/finish`)).status).toBe(200);
      return current.body.ticket;
    };

    // t4 is fourth (three ahead): nothing yet.
    expect(await notices(t4.id)).toEqual([]);
    expect((await callNext()).id).toBe(t1.id);
    // t1 called: t4 has t2 and t3 ahead, two places from being called.
    const [near] = await notices(t4.id);
    expect(near).toMatchObject({ template: 'lobby_near', status: 'queued', to: '138****8000', ticketId: t4.id });
    expect((await callNext()).id).toBe(t2.id);
    expect(await notices(t4.id)).toHaveLength(1);
    expect(await notices(other.id)).toEqual([]);
    for (const t of [t1, t2, t3]) expect(await notices(t.id)).toEqual([]);

    const off = await makeBranch(api.ds, { counters: [['A']] });
    await api.ds.query(`UPDATE branches SET notify_settings = '{"lobbyNearSms":false}' WHERE id = $1`, [off.id]);
    const offKiosk = client(api.url, off.kioskToken);
    const offDesk = client(api.url, await login(api.url, off.users.frontdesk));
    const tickets = [];
    for (const phone of [undefined, undefined, undefined, '13800138000']) {
      tickets.push((await offKiosk.post<{ id: string }>(`/branches/${off.id}/tickets`, { serviceId: off.services.A, ...(phone ? { phone } : {}) })).body);
    }
    expect((await offDesk.post(`/counters/${off.counters[0]}/call-next`)).status).toBe(200);
    expect((await offDesk.get<NotificationDto[]>(`/notifications?ticketId=${tickets[3].id}`)).body).toEqual([]);
  });
});
