import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { Browser, Page } from 'playwright-core';
import type { CreatedRepairDto, NotificationDto } from '@frontdesk/contracts';
import { daysAgo, uniqueImei } from '../../apps/api/src/repairs/repair-test-data';
import { loginAs, startStack, type Stack } from '../support/stack';
import { launchChromium, shot } from './browser';

/**
 * The SMS a customer gets when the repair is ready, as staff see it: the built worker sends it through the
 * development provider (recorded in the database) and the repair panel lists it as sent, with the reminders
 * scheduled three and seven days later, in Chinese and in English.
 */
describe('SMS notices on the repair board', () => {
  let stack: Stack;
  let browser: Browser;
  let url: string;
  const errors: string[] = [];

  beforeAll(async () => {
    stack = await startStack({ apis: 1, worker: true });
    url = stack.apis[0].url;
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const signIn = async (page: Page, path: string, username: string) => {
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${url}${path}`);
    await page.locator('input[name="username"]').fill(username);
    await page.locator('input[name="password"]').fill(stack.seed.password);
    await page.locator('button[type="submit"]').click();
  };

  it('shows the pickup SMS as sent and the reminders as scheduled in the order panel', async () => {
    const db = new Client({ connectionString: stack.databaseUrl });
    await db.connect();
    try {
      await db.query(`UPDATE branches SET notify_settings = '{"quietStart":"00:00","quietEnd":"00:00"}'`);
      const token = await loginAs(url, 'frontdesk1', stack.seed.password);
      const post = async <T>(path: string, body: unknown) =>
        (await (
          await fetch(`${url}/api${path}`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'Idempotency-Key': randomUUID() },
            body: JSON.stringify(body),
          })
        ).json()) as T;
      const repair = await post<CreatedRepairDto>(`/branches/${stack.seed.branchId}/repairs`, {
        customer: { name: '陈小明', phone: '13800138000' },
        device: { brand: 'Huawei', model: 'P60', imei: uniqueImei() },
        purchaseDate: daysAgo(60),
        fault: '屏幕闪烁',
        notify: 'sms',
      });
      for (const to of ['diagnosing', 'repairing', 'qa', 'ready_for_pickup']) await post(`/repairs/${repair.id}/transition`, { to });
      const deadline = Date.now() + 15_000;
      let list: NotificationDto[] = [];
      while (Date.now() < deadline) {
        list = (await (await fetch(`${url}/api/notifications?repairId=${repair.id}`, { headers: { authorization: `Bearer ${token}` } })).json()) as NotificationDto[];
        if (list.find((n) => n.template === 'pickup_ready')?.status === 'sent') break;
        await new Promise((r) => setTimeout(r, 200));
      }
      const pickup = list.find((n) => n.template === 'pickup_ready')!;
      expect(pickup).toMatchObject({ status: 'sent', provider: 'dev', attempts: 1 });
      // The development provider's record is the message a phone would have received.
      const { rows } = await db.query<{ body: string }>(`SELECT body FROM dev_sms_messages WHERE idempotency_key = $1`, [pickup.id]);
      expect(rows).toHaveLength(1);
      expect(rows[0].body).toContain(`单号 ${repair.orderNo}`);
      expect(rows[0].body).toContain(`取机码 ${repair.pickupCode}`);

      for (const lang of ['zh', 'en'] as const) {
        const ctx = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
        await ctx.addInitScript((l) => window.localStorage.setItem('frontdesk.language', l), lang);
        const page = await ctx.newPage();
        await signIn(page, '/repairs', 'frontdesk1');
        await page.locator(`.repair-card[data-order="${repair.orderNo}"]`).click({ timeout: 15_000 });
        const notices = page.locator('.repair-notices');
        await notices.locator('li[data-status="sent"]').waitFor({ timeout: 10_000 });
        expect(await notices.locator('li').count()).toBe(3);
        expect(await notices.locator('li[data-status="scheduled"]').count()).toBe(2);
        await expect(notices.locator('li[data-status="sent"]').innerText()).resolves.toMatch(lang === 'zh' ? /取机通知[\s\S]*138\*\*\*\*8000[\s\S]*已发送/ : /Ready for pickup[\s\S]*138\*\*\*\*8000[\s\S]*Sent/);
        await notices.scrollIntoViewIfNeeded();
        await shot(page, `repair-notices-${lang}`);
        await ctx.close();
      }
      expect(errors).toEqual([]);
    } finally {
      await db.end();
    }
  });

  it('lets the manager edit the pickup text with a live preview, refuses a typo, and lists what the dev provider recorded', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    await ctx.addInitScript(() => window.localStorage.setItem('frontdesk.language', 'zh'));
    const page = await ctx.newPage();
    await signIn(page, '/admin', 'manager');
    const panel = page.locator('.sms-panel');
    await panel.locator('.sms-panel__text').waitFor({ timeout: 15_000 });
    // The first test's pickup SMS, as recorded by the development provider.
    await panel.locator('.sms-outbox li', { hasText: '取机码' }).first().waitFor({ timeout: 10_000 });

    const text = panel.locator('.sms-panel__text');
    await text.fill('{branchName}：您的手机（单号 {ordreNo}）已修好。');
    await panel.locator('.field__error', { hasText: '{ordreNo}' }).waitFor({ timeout: 5000 });
    await text.fill('{branchName}：您的手机（单号 {orderNo}）已修好，请凭取机码 {pickupCode} 取机，营业时间 {openingHours}。');
    const bubble = panel.locator('.sms-preview__bubble');
    await bubble.filter({ hasText: '演示服务中心：您的手机（单号 R20261201-0007）已修好，请凭取机码 042517 取机' }).waitFor({ timeout: 5000 });
    await panel.getByRole('button', { name: '保存' }).first().click();
    await panel.locator('.settings-form__saved').waitFor({ timeout: 5000 });
    await panel.scrollIntoViewIfNeeded();
    await shot(page, 'admin-sms-templates-zh');
    const saved = (await (
      await fetch(`${url}/api/branches/${stack.seed.branchId}/sms-templates`, { headers: { authorization: `Bearer ${await loginAs(url, 'manager', stack.seed.password)}` } })
    ).json()) as { template: string; language: string; customized: boolean; body: string }[];
    expect(saved.find((x) => x.template === 'pickup_ready' && x.language === 'zh')).toMatchObject({ customized: true, body: expect.stringContaining('{pickupCode} 取机') });
    await ctx.close();
    expect(errors).toEqual([]);
  });

  it('opens Bull Board for the admin from the admin screen, with the notify queue', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    await ctx.addInitScript(() => window.localStorage.setItem('frontdesk.language', 'zh'));
    const page = await ctx.newPage();
    await signIn(page, '/admin', 'admin');
    const popup = ctx.waitForEvent('page');
    await page.getByRole('button', { name: /任务队列/ }).click({ timeout: 15_000 });
    const board = await popup;
    await board.waitForURL(/\/api\/admin\/queues/, { timeout: 10_000 });
    await board.getByText('notify').first().click({ timeout: 15_000 });
    await board.waitForURL(/queue\/notify/, { timeout: 10_000 });
    await board.waitForLoadState('networkidle');
    await board.getByText(/Loading/).waitFor({ state: 'detached', timeout: 10_000 }).catch(() => undefined);
    await shot(board, 'admin-queue-board');
    await ctx.close();
  });
});
