import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { loginAs, startStack, type Stack } from '../support/stack';
import { join } from 'node:path';
import { ARTIFACTS, launchChromium, pageErrors, shot } from './browser';

/**
 * The manager view in Chromium, as a shift manager uses it: signs in and lands on it, reads the tiles against
 * the API, sees an alert raised by simulated hotline traffic and acknowledges it, sees the lobby chart with
 * today's arrivals, downloads its CSV, and watches a tile change live; the wall mode fits a 1920x1080 screen.
 */
describe('the manager view in a browser', () => {
  let stack: Stack;
  let browser: Browser;
  let url: string;
  const { errors, watch } = pageErrors();
  const secret = process.env.HOTLINE_SECRET || 'demo-hotline-secret';
  const ago = (s: number) => new Date(Date.now() - s * 1000).toISOString();

  async function sendHotline(events: object[]) {
    const raw = JSON.stringify({ branchId: stack.seed.branchId, events });
    const ts = String(Math.floor(Date.now() / 1000));
    const res = await fetch(`${url}/api/hotline/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-timestamp': ts,
        'x-signature': `sha256=${createHmac('sha256', secret).update(`${ts}.${raw}`).digest('hex')}`,
      },
      body: raw,
    });
    expect(res.status).toBe(202);
  }

  async function api<T = any>(token: string, method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${url}/api${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': `${Date.now()}-${Math.random()}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  }

  const tileValue = (page: Page, key: string) => page.locator(`[data-kpi="${key}"]`).getAttribute('data-value');

  beforeAll(async () => {
    stack = await startStack({ apis: 1, env: { SYNC_INTERVAL_MS: '1000' } });
    url = stack.apis[0].url;
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('tiles equal the API, an alert from traffic is acknowledged, the chart has data and its CSV downloads, tiles update live', async () => {
    const managerToken = await loginAs(url, 'manager', stack.seed.password);
    const deskToken = await loginAs(url, 'frontdesk1', stack.seed.password);
    const services = await api<{ id: string; code: string }[]>(deskToken, 'GET', `/branches/${stack.seed.branchId}/services`).catch(() => null);
    const branch = (await api<{ id: string; services?: { id: string; code: string }[] }[]>(managerToken, 'GET', '/branches')).find(
      (b) => b.id === stack.seed.branchId,
    );
    const serviceA = (services ?? branch?.services ?? []).find((s) => s.code === 'A');
    expect(serviceA).toBeDefined();
    // Lobby traffic: five customers take tickets.
    for (let i = 0; i < 5; i++) await api(deskToken, 'POST', `/branches/${stack.seed.branchId}/tickets`, { serviceId: serviceA!.id });
    // Hotline traffic: a caller has been holding for a minute with nobody free: the hotline raises an alert.
    await sendHotline([
      { id: 'm-ag1', type: 'agent_state', agentId: 'agent1', queue: 'repair', state: 'on_call', at: ago(120) },
      { id: 'm-c1-q', type: 'call_queued', callId: 'm-c1', queue: 'repair', at: ago(60), callerNumber: '13800138000' },
    ]);

    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, acceptDownloads: true, locale: 'zh-CN' });
    const page = watch(await context.newPage());
    await page.goto(`${url}/login`);
    await page.locator('input[name="username"]').fill('manager');
    await page.locator('input[name="password"]').fill(stack.seed.password);
    await page.locator('button[type="submit"]').click();
    // A manager lands on the manager view.
    await page.waitForURL(/\/manager/, { timeout: 15_000 });
    await page.locator('[data-kpi="lobby.waiting"]').waitFor({ timeout: 15_000 });

    // Every tile shows what the API computes.
    const kpis = await api<{ kpis: { key: string; value: number | null; status: string }[] }>(managerToken, 'GET', `/branches/${stack.seed.branchId}/kpis`);
    const waiting = kpis.kpis.find((k) => k.key === 'lobby.waiting')!;
    expect(waiting.value).toBeGreaterThanOrEqual(5);
    await expect(tileValue(page, 'lobby.waiting')).resolves.toBe(String(waiting.value));
    for (const k of kpis.kpis.filter(
      (x) => !['lobby.wait.longest', 'hotline.oldest.wait'].includes(x.key) && !/^(hotline\.agents\.(on_call|wrap_up|paused)|repairs\.open\.)/.test(x.key),
    )) {
      await expect(tileValue(page, k.key)).resolves.toBe(k.value === null ? '' : String(k.value));
    }
    // SMS tiles count the notifications outbox (checked against the API in the loop above), never "n/a".
    await expect(page.locator('[data-kpi="sms.sent"]').innerText()).resolves.not.toContain('暂无');

    // The held caller breaches the hotline's hold target (red) and raises an alert in the feed.
    await page.locator('[data-kpi="hotline.oldest.wait"][data-status="breach"]').waitFor({ timeout: 15_000 });
    const alert = page.locator('.mgr-alert[data-alert-state="open"]', { hasText: /13800138000|等待|等候|hold|wait|坐席|agent/i }).first();
    await alert.waitFor({ timeout: 20_000 });
    // Written in the screen's language from the alert's kind and data, not the API's stored English message.
    expect(await alert.locator('.mgr-alert__message').textContent()).toMatch(/[\u4e00-\u9fff]/);

    // The lobby arrivals chart has today's tickets in it, and its CSV holds the same numbers.
    const arrivals = page.locator('[data-chart="lobby.arrivals"]');
    await arrivals.locator('.recharts-line-curve').first().waitFor({ timeout: 10_000 });
    await shot(page, 'manager-zh-1920');
    const [download] = await Promise.all([page.waitForEvent('download'), arrivals.locator('button[data-csv]').click()]);
    const csv = readFileSync(await download.path(), 'utf8')
      .trim()
      .split(/\r?\n/);
    expect(csv[0]).toBe('t,lobby.arrivals');
    expect(csv).toHaveLength(97);
    expect(csv.slice(1).reduce((s, l) => s + Number(l.split(',')[1]), 0)).toBeGreaterThanOrEqual(5);

    // Acknowledge the alert: it stays listed, marked acknowledged.
    const kind = await alert.getAttribute('data-alert-kind');
    await alert.locator('button').click();
    await page.locator(`.mgr-alert[data-alert-kind="${kind}"][data-alert-state="acknowledged"]`).first().waitFor({ timeout: 10_000 });

    // Live: another customer takes a ticket; the tile follows without a reload, and a reload shows the same.
    await api(deskToken, 'POST', `/branches/${stack.seed.branchId}/tickets`, { serviceId: serviceA!.id });
    await page.locator(`[data-kpi="lobby.waiting"][data-value="${waiting.value! + 1}"]`).waitFor({ timeout: 10_000 });
    await page.reload();
    await page.locator(`[data-kpi="lobby.waiting"][data-value="${waiting.value! + 1}"]`).waitFor({ timeout: 10_000 });

    // Day replay of today, slider at its end: the lobby as it stands now, rebuilt from the event log.
    await page.getByRole('button', { name: /回放某一天/ }).click();
    await page.locator('input[name="replay-day"]').fill(
      await page
        .locator('input[name="replay-day"]')
        .getAttribute('max')
        .then((v) => v!),
    );
    const slider = page.locator('input[name="replay-minute"]');
    // Today's slider ends at the time the panel opened (yesterday's at 23:55).
    await page.waitForFunction(() => Number(document.querySelector<HTMLInputElement>('input[name="replay-minute"]')?.max) < 1435);
    await slider.fill((await slider.getAttribute('max'))!);
    await page
      .locator('[data-replay-time]')
      .filter({ hasText: /^\d\d:\d\d:\d\d$/ })
      .waitFor();
    await page.locator(`.mgr-replay [data-kpi="lobby.waiting"][data-value="${waiting.value! + 1}"]`).waitFor({ timeout: 10_000 });
    await expect(page.locator('.mgr-replay__services').innerText()).resolves.toContain('A00');
    await page.locator('.mgr-replay').scrollIntoViewIfNeeded();
    await shot(page, 'manager-replay-zh');

    await page.getByRole('button', { name: 'English' }).first().click();
    await page.getByText('Waiting now').first().waitFor();
    await page.locator('[data-chart="lobby.arrivals"] .recharts-line-curve').first().waitFor();
    await shot(page, 'manager-en-1920');
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.waitForTimeout(300);
    // The replay's end stays the moment it was opened, whatever the clock does meanwhile.
    await page.locator(`.mgr-replay [data-kpi="lobby.waiting"][data-value="${waiting.value! + 1}"]`).waitFor();
    await shot(page, 'manager-en-1366');
    await page.screenshot({ path: join(ARTIFACTS, 'manager-en-1366-full.png'), fullPage: true });

    // Wall mode: no controls, everything on one 1920x1080 screen.
    const wall = watch(await context.newPage());
    await wall.setViewportSize({ width: 1920, height: 1080 });
    await wall.goto(`${url}/manager?wall=1`);
    await wall.locator('[data-kpi="lobby.waiting"]').waitFor({ timeout: 15_000 });
    await wall.locator('[data-chart="lobby.arrivals"] .recharts-line-curve').first().waitFor({ timeout: 10_000 });
    await expect(wall.locator('input[type="date"]').count()).resolves.toBe(0);
    const overflow = await wall.evaluate(() => document.documentElement.scrollHeight - window.innerHeight);
    await shot(wall, 'manager-wall-1920');
    expect(overflow).toBeLessThanOrEqual(0);
    expect(errors).toEqual([]);
  });
});
