import type { Browser, Page } from 'playwright-core';
import { loginAs, startStack, type Stack } from '../support/stack';
import { launchChromium, shot } from './browser';

/**
 * The customer audit log as an admin sees it: a receptionist takes a repair in and schedules a callback, a technician
 * opens the repair; the admin's settings screen lists the accesses, each route labelled, with the masked phone only. A manager's screen has no such section.
 */
describe('customer audit log in a browser', () => {
  let stack: Stack;
  let browser: Browser;
  let url: string;

  const signIn = async (page: Page, username: string) => {
    await page.goto(`${url}/admin`);
    await page.locator('input[name="username"]').fill(username);
    await page.locator('input[name="password"]').fill(stack.seed.password);
    await page.locator('button[type="submit"]').click();
  };

  beforeAll(async () => {
    stack = await startStack({ apis: 1 });
    url = stack.apis[0].url;
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('shows who viewed or changed a customer, with the phone masked, to admins only', async () => {
    const desk = await loginAs(url, 'frontdesk1', stack.seed.password);
    const created = await fetch(`${url}/api/branches/${stack.seed.branchId}/repairs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${desk}`, 'content-type': 'application/json' },
      body: JSON.stringify({ customer: { name: '陈大文', phone: '13800138000' }, device: { brand: 'Huawei', model: 'P60', serial: 'SN-BROWSER-1' }, fault: 'screen', notify: 'none' }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const tech = await loginAs(url, 'tech1', stack.seed.password);
    expect((await fetch(`${url}/api/repairs/${id}`, { headers: { authorization: `Bearer ${tech}` } })).status).toBe(200);

    // A callback scheduled for the same customer: a change through the callback list, labelled as such.
    const scheduled = await fetch(`${url}/api/callbacks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${desk}`, 'content-type': 'application/json' },
      body: JSON.stringify({ branchId: stack.seed.branchId, phone: '13800138000', name: '陈大文', dueAt: new Date(Date.now() + 3600_000).toISOString(), reason: 'promised' }),
    });
    expect(scheduled.status).toBe(201);

    const admin = await (await browser.newContext({ viewport: { width: 1440, height: 1000 } })).newPage();
    await signIn(admin, 'admin');
    const table = admin.locator('[data-testid="audit-table"]');
    await table.locator('tbody tr').nth(1).waitFor({ timeout: 15_000 });
    const text = await table.innerText();
    expect(text).toContain('138****8000');
    expect(text).not.toContain('13800138000');
    expect(text).toContain('tech1');
    expect(text).toContain('frontdesk1');
    expect(text).toContain('GET /api/repairs/:id');
    // Each route is named in the screen's language next to the raw route.
    expect(text).toMatch(/Repair opened|查看维修单/);
    expect(text).toContain('POST /api/callbacks');
    expect(text).toMatch(/Callback scheduled|安排回电/);
    await table.scrollIntoViewIfNeeded();
    await shot(admin, 'admin-audit');

    const manager = await (await browser.newContext({ viewport: { width: 1440, height: 1000 } })).newPage();
    await signIn(manager, 'manager');
    await manager.locator('.admin-card').first().waitFor({ timeout: 15_000 });
    expect(await manager.locator('[data-testid="audit-table"]').count()).toBe(0);
  }, 90_000);
});
