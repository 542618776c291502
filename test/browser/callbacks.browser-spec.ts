import type { Browser, Page } from 'playwright-core';
import { loginAs, startStack, type Stack } from '../support/stack';
import { launchChromium, pageErrors, shot } from './browser';

/**
 * The callback console in Chromium against the built API and worker: callbacks sorted into due now, overdue and
 * scheduled; a new one appears and a scheduled one turns due without a reload (the worker's due job); the agent
 * records an unsatisfied outcome with a note, the card moves to done and the manager gets an alert.
 */
describe('the callback console in a browser', () => {
  let stack: Stack;
  let browser: Browser;
  let url: string;
  let token: string;
  const { errors, watch } = pageErrors();

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${url}/api${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  const inColumn = (page: Page, column: string, text: string) => page.locator(`[data-testid="column-${column}"] [data-testid="callback-card"]`, { hasText: text });

  beforeAll(async () => {
    stack = await startStack({ apis: 1, worker: true, env: { SYNC_INTERVAL_MS: '1000', CALLBACK_SWEEP_EVERY_MS: '5000' } });
    url = stack.apis[0].url;
    token = await loginAs(url, 'manager', stack.seed.password);
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('sorts callbacks by the clock, updates live, and records an outcome with a note', async () => {
    const branchId = stack.seed.branchId;
    const at = (ms: number) => new Date(Date.now() + ms).toISOString();
    expect((await api('POST', '/callbacks', { branchId, phone: '13800138001', name: '陈先生', dueAt: at(-20 * 60_000), reason: 'promised', note: '询问屏幕维修进度' })).status).toBe(201);
    expect((await api('POST', '/callbacks', { branchId, phone: '13800138002', name: '李女士', dueAt: at(-60_000), reason: 'complaint' })).status).toBe(201);
    expect((await api('POST', '/callbacks', { branchId, phone: '13800138003', name: '王先生', dueAt: at(3 * 86_400_000), reason: 'follow_up' })).status).toBe(201);

    const page = watch(await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage());
    await page.goto(`${url}/callbacks`);
    await page.locator('input[name="username"]').fill('agent1');
    await page.locator('input[name="password"]').fill(stack.seed.password);
    await page.locator('button[type="submit"]').click();
    await page.locator('.fd-conn--live').first().waitFor({ timeout: 15_000 });

    await inColumn(page, 'overdue', '13800138001').waitFor({ timeout: 10_000 });
    await inColumn(page, 'due', '13800138002').waitFor();
    await inColumn(page, 'scheduled', '13800138003').waitFor();
    // Full number for staff, the reason and the branch-local due time.
    await expect(inColumn(page, 'overdue', '13800138001').innerText()).resolves.toContain('询问屏幕维修进度');

    // A promised callback due in 6 s: it appears (callback.scheduled) and then turns due (the worker's job), no reload.
    const soon = await api('POST', '/callbacks', { branchId, phone: '13800138004', name: '赵先生', dueAt: at(6000), reason: 'promised' });
    await inColumn(page, 'scheduled', '13800138004').waitFor({ timeout: 5000 });
    await inColumn(page, 'due', '13800138004').waitFor({ timeout: 15_000 });
    const listed = (await api('GET', `/callbacks?branchId=${branchId}&status=due`)).body as { id: string }[];
    expect(listed.some((c) => c.id === soon.body.id)).toBe(true);
    await shot(page, 'callbacks-console-zh');

    // The agent reaches the overdue caller, who is unhappy: outcome with a note, the card moves to done, an alert is raised.
    const overdue = inColumn(page, 'overdue', '13800138001');
    await overdue.locator('input').fill('屏幕还是闪，客户不满意');
    await overdue.locator('button').nth(1).click();
    await inColumn(page, 'done', '13800138001').waitFor({ timeout: 10_000 });
    await expect(inColumn(page, 'done', '13800138001').innerText()).resolves.toContain('屏幕还是闪');
    const alerts = (await api('GET', `/alerts?branchId=${branchId}&state=open`)).body as { kind: string; message: string }[];
    expect(alerts.filter((a) => a.kind === 'callback.unsatisfied').map((a) => a.message)).toEqual([expect.stringContaining('陈先生')]);

    await page.getByRole('button', { name: 'English' }).first().click();
    await page.getByText('Due now').first().waitFor();
    await shot(page, 'callbacks-console-en');
    expect(errors).toEqual([]);
  });
});
