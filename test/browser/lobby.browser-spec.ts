import type { Browser } from 'playwright-core';
import type { IssuedTicketDto } from '@frontdesk/contracts';
import { startStack, type Stack } from '../support/stack';
import { launchChromium, pageErrors, shot } from './browser';

/**
 * A customer takes a ticket at the kiosk, a receptionist calls it from the counter console with the
 * keyboard shortcut, and the wall display and the customer's own phone show it — all in Chromium.
 */
describe('the lobby in a browser', () => {
  let stack: Stack;
  let browser: Browser;
  let url: string;
  const { errors, watch } = pageErrors();

  beforeAll(async () => {
    stack = await startStack({ apis: 1, env: { SYNC_INTERVAL_MS: '1000' } });
    url = stack.apis[0].url;
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('takes a ticket at the kiosk, calls it at the counter and shows it on the wall display and the phone', async () => {
    // The wall display, full HD, as it hangs in the lobby.
    const display = watch(await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage(), 'display');
    await display.goto(stack.seed.displayUrl);
    const skipSound = display.locator('.sound-gate__skip');
    if (await skipSound.isVisible({ timeout: 5000 }).catch(() => false)) await skipSound.click();
    await display.locator('.fd-conn--live').first().waitFor({ timeout: 15_000 });
    expect(display.url()).not.toContain('token=');

    // A customer at the kiosk: choose "A repair intake", type a phone number on the keypad, take the ticket.
    const kiosk = watch(await (await browser.newContext({ viewport: { width: 1080, height: 1920 }, hasTouch: true })).newPage(), 'kiosk');
    await kiosk.addInitScript(() => {
      // The thermal printer: count the print calls instead of opening a print dialog.
      (window as unknown as { __printed: number }).__printed = 0;
      window.print = () => {
        (window as unknown as { __printed: number }).__printed += 1;
      };
    });
    await kiosk.goto(stack.seed.kioskUrl);
    await kiosk.locator('.kiosk-service').first().click();
    for (const digit of '13800138000') await kiosk.locator('.keypad__key', { hasText: new RegExp(`^${digit}$`) }).click();
    const issuedResponse = kiosk.waitForResponse((r) => r.url().endsWith('/tickets') && r.request().method() === 'POST');
    await kiosk.locator('.kiosk-options__submit').click();
    const issued = (await (await issuedResponse).json()) as IssuedTicketDto;
    await expect(kiosk.locator('#kiosk-ticket-number').innerText()).resolves.toContain(issued.number);
    expect(issued.number).toMatch(/^A\d{3}$/);
    await kiosk.locator('.kiosk-ticket__qr svg, .kiosk-ticket__qr canvas').first().waitFor();
    // It prints once the Chinese glyphs have loaded, so the paper matches the screen; exactly once.
    await kiosk.waitForFunction(() => (window as unknown as { __printed: number }).__printed >= 1, undefined, { timeout: 5000 });
    await kiosk.waitForTimeout(300);
    await expect(kiosk.evaluate(() => (window as unknown as { __printed: number }).__printed)).resolves.toBe(1);
    await shot(kiosk, 'kiosk-ticket');

    // The customer follows the ticket on their phone.
    const phone = watch(await (await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true })).newPage(), 'phone');
    await phone.goto(issued.trackUrl);
    await phone.getByText(issued.number).first().waitFor();
    await shot(phone, 'track-waiting');

    // The receptionist signs in, picks counter 1 and presses F1 (call next).
    const desk = watch(await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage(), 'counter');
    await desk.goto(`${url}/counter`);
    await desk.locator('input[name="username"]').fill('frontdesk1');
    await desk.locator('input[name="password"]').fill(stack.seed.password);
    await desk.locator('button[type="submit"]').click();
    await desk.locator('.counter-pick__card', { hasText: 'Counter 1' }).click();
    await desk.getByText(issued.number).first().waitFor({ timeout: 10_000 });
    await desk.keyboard.press('F1');
    await desk.locator('.current-ticket__number', { hasText: issued.number }).waitFor({ timeout: 10_000 });
    await shot(desk, 'counter-called');
    // F1 again while that customer is still at the counter: the console says what to do first, in its own language,
    // instead of sending a call the API would refuse (its 409 detail is in English).
    let callsSent = 0;
    desk.on('request', (r) => {
      if (r.url().includes('/call-next')) callsSent += 1;
    });
    await desk.keyboard.press('F1');
    await desk.getByText(new RegExp(`${issued.number}（已叫号）仍在本窗口|${issued.number} \\(Called\\) is still at this counter`)).waitFor({ timeout: 5_000 });
    expect(callsSent).toBe(0);

    // The wall display calls it in large type, to counter 1, without showing the phone number.
    await display.locator('.now-calling__number', { hasText: issued.number }).waitFor({ timeout: 10_000 });
    await expect(display.locator('.now-calling__counter').innerText()).resolves.toMatch(/1/);
    const wall = await display.locator('body').innerText();
    expect(wall).not.toContain('13800138000');
    expect(wall).not.toContain('8000');
    await shot(display, 'display-calling');

    // The phone shows the counter without a reload.
    await phone.locator('body').filter({ hasText: /1号窗口|Counter 1/ }).waitFor({ timeout: 10_000 });
    await shot(phone, 'track-called');

    expect(errors).toEqual([]);
  });

  it('catches up a wall display whose network dropped, without a reload', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const display = watch(await ctx.newPage(), 'display-offline');
    await display.goto(stack.seed.displayUrl);
    const skip = display.locator('.sound-gate__skip');
    if (await skip.isVisible({ timeout: 5000 }).catch(() => false)) await skip.click();
    await display.locator('.fd-conn--live').first().waitFor({ timeout: 15_000 });
    await display.evaluate(() => ((window as unknown as { __loadMark: number }).__loadMark = 42));

    await ctx.setOffline(true);
    await display.locator('.fd-conn--live').first().waitFor({ state: 'detached', timeout: 30_000 });
    await shot(display, 'display-offline');

    // While it is offline a ticket is issued and called through the API.
    const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'frontdesk2', password: stack.seed.password }) });
    const token = ((await login.json()) as { accessToken: string }).accessToken;
    const services = (await (await fetch(`${url}/api/branches/${stack.seed.branchId}/services`, { headers: { authorization: `Bearer ${token}` } })).json()) as { id: string; code: string }[];
    const counters = (await (await fetch(`${url}/api/branches/${stack.seed.branchId}/counters`, { headers: { authorization: `Bearer ${token}` } })).json()) as { id: string; name: string }[];
    const c = services.find((s) => s.code === 'C')!;
    const t = await fetch(`${url}/api/branches/${stack.seed.branchId}/tickets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.seed.kioskToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ serviceId: c.id }),
    });
    const ticket = (await t.json()) as IssuedTicketDto;
    const counter2 = counters.find((x) => x.name.includes('Counter 2'))!;
    const called = await fetch(`${url}/api/counters/${counter2.id}/call/${ticket.id}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'browser test' }),
    });
    expect(called.status).toBe(200);

    await ctx.setOffline(false);
    await display.locator('.now-calling__number', { hasText: ticket.number }).waitFor({ timeout: 30_000 });
    await display.locator('.fd-conn--live').first().waitFor({ timeout: 15_000 });
    // Same page, not reloaded.
    await expect(display.evaluate(() => (window as unknown as { __loadMark?: number }).__loadMark)).resolves.toBe(42);
    await shot(display, 'display-caught-up');
    expect(errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|websocket|net::/i.test(e))).toEqual([]);
  });
});
