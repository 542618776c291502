import type { SmsPreviewDto, SmsTemplateDto } from '@frontdesk/contracts';
import { login, makeBranch, type TestBranch } from '../test-support/factories';
import { client, startApi, type TestApi } from '../test-support/test-app';

describe('SMS templates per branch and language, with preview (manager)', () => {
  let api: TestApi;
  let b: TestBranch;
  let manager: ReturnType<typeof client>;
  beforeAll(async () => {
    api = await startApi();
    b = await makeBranch(api.ds);
    manager = client(api.url, await login(api.url, b.users.manager));
  });
  afterAll(() => api.close());

  it('lists the built-in texts, stores an edited one, previews it as the customer reads it and resets it', async () => {
    const list = (await manager.get<SmsTemplateDto[]>(`/branches/${b.id}/sms-templates`)).body;
    expect(list).toHaveLength(8);
    expect(list.find((t) => t.template === 'pickup_ready' && t.language === 'zh')).toMatchObject({ customized: false, body: expect.stringContaining('{pickupCode}') });

    const body = '{branchName}：单号 {orderNo} 已修好，取机码 {pickupCode}，营业时间 {openingHours}。';
    const put = await manager.put<SmsTemplateDto>(`/branches/${b.id}/sms-templates/pickup_ready/zh`, { body });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ customized: true, body });
    const preview = await manager.post<SmsPreviewDto>(`/branches/${b.id}/sms-templates/pickup_ready/zh/preview`, {});
    expect(preview.body).toEqual({ text: '测试：单号 R20261201-0007 已修好，取机码 042517，营业时间 09:00-21:00。', characters: 53, encoding: 'ucs2', segments: 1 });
    // The worker renders this text for the branch's next notices.
    const [row] = await api.ds.query(`SELECT body FROM sms_templates WHERE branch_id = $1 AND template = 'pickup_ready' AND language = 'zh'`, [b.id]);
    expect(row.body).toBe(body);

    const draft = await manager.post<SmsPreviewDto>(`/branches/${b.id}/sms-templates/pickup_ready/en/preview`, { body: `${'Your phone {orderNo} is ready. '.repeat(6)}` });
    expect(draft.body).toMatchObject({ encoding: 'gsm7', segments: 2 });

    const reset = await manager.del<SmsTemplateDto>(`/branches/${b.id}/sms-templates/pickup_ready/zh`);
    expect(reset.body).toMatchObject({ customized: false });
    expect((await manager.get<SmsTemplateDto[]>(`/branches/${b.id}/sms-templates`)).body.find((t) => t.template === 'pickup_ready' && t.language === 'zh')!.customized).toBe(false);
  });

  it('refuses an unknown placeholder, template or language with 400 naming the field, and other roles with 403', async () => {
    const typo = await manager.put(`/branches/${b.id}/sms-templates/pickup_ready/zh`, { body: '单号 {ordreNo}' });
    expect(typo.status).toBe(400);
    expect(typo.body.details[0]).toMatchObject({ path: 'body', message: expect.stringContaining('{ordreNo}') });
    const empty = await manager.put(`/branches/${b.id}/sms-templates/pickup_ready/zh`, { body: '   ' });
    expect(empty.status).toBe(400);
    expect(empty.body.details[0].path).toBe('body');
    const badTemplate = await manager.put(`/branches/${b.id}/sms-templates/birthday/zh`, { body: 'hi' });
    expect(badTemplate.status).toBe(400);
    expect(badTemplate.body.details[0].path).toBe('template');
    const badLanguage = await manager.post(`/branches/${b.id}/sms-templates/pickup_ready/fr/preview`, {});
    expect(badLanguage.status).toBe(400);
    expect(badLanguage.body.details[0].path).toBe('language');
    const desk = client(api.url, await login(api.url, b.users.frontdesk));
    expect((await desk.get(`/branches/${b.id}/sms-templates`)).status).toBe(403);
    const other = await makeBranch(api.ds);
    const otherManager = client(api.url, await login(api.url, other.users.manager));
    expect((await otherManager.get(`/branches/${b.id}/sms-templates`)).status).toBe(403);
  });

  it('changes quiet hours and reminder days, refusing a time that is not HH:mm', async () => {
    const ok = await manager.patch(`/branches/${b.id}/notify-settings`, { quietStart: '22:00', reminderDays: [2, 5] });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ quietStart: '22:00', quietEnd: '09:00', reminderDays: [2, 5], openingHours: '09:00-21:00', lobbyNearSms: true });
    const bad = await manager.patch(`/branches/${b.id}/notify-settings`, { quietEnd: '9am' });
    expect(bad.status).toBe(400);
    expect(bad.body.details[0].path).toBe('quietEnd');
    expect((await manager.get(`/branches/${b.id}/notify-settings`)).body.quietStart).toBe('22:00');
  });
});
