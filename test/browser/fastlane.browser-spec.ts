import type { Browser } from 'playwright-core';
import type { CreatedRepairDto, IssuedTicketDto } from '@frontdesk/contracts';
import { formatPickupScan } from '@frontdesk/domain';
import { startStack, type Stack } from '../support/stack';
import { launchChromium, pageErrors, shot } from './browser';

/**
 * The pickup fast lane (issue 4): a customer with a "ready" SMS enters the order number and pickup code at the kiosk,
 * gets a B ticket linked to the order, and the counter that calls it has the order's pickup panel open at once.
 */
describe('pickup fast lane in a browser', () => {
  let stack: Stack;
  let browser: Browser;
  let url: string;
  const { errors, watch } = pageErrors();

  const api = async <T>(token: string, method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${url}/api${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const login = async (username: string) =>
    (await api<{ accessToken: string }>('', 'POST', '/auth/login', { username, password: stack.seed.password })).accessToken;

  beforeAll(async () => {
    stack = await startStack({ apis: 1, env: { SYNC_INTERVAL_MS: '1000' } });
    url = stack.apis[0].url;
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('kiosk order number + code → B ticket → the counter calls it with the order open', async () => {
    // An order repaired and ready for pickup (the SMS with order number and code went out).
    const desk = await login('frontdesk1');
    const tech = await login('tech1');
    const repair = await api<CreatedRepairDto>(desk, 'POST', `/branches/${stack.seed.branchId}/repairs`, {
      customer: { name: '王小红', phone: '13912345678' },
      device: { brand: 'Xiaomi', model: '14', imei: '490154203237518' },
      fault: '电池鼓包',
      // In warranty, so the work needs no quote.
      purchaseDate: new Date(Date.now() - 100 * 86_400_000).toISOString().slice(0, 10),
      notify: 'none',
    });
    for (const to of ['diagnosing', 'repairing', 'qa']) await api(tech, 'POST', `/repairs/${repair.id}/transition`, { to });
    await api(desk, 'POST', `/repairs/${repair.id}/transition`, { to: 'ready_for_pickup' });

    // The customer at the kiosk: 取机, the order number typed (digits are enough), the code on the keypad.
    const kiosk = watch(await (await browser.newContext({ viewport: { width: 1080, height: 1920 }, hasTouch: true })).newPage(), 'kiosk');
    await kiosk.addInitScript(() => {
      (window as unknown as { __printed: number }).__printed = 0;
      window.print = () => {
        (window as unknown as { __printed: number }).__printed += 1;
      };
    });
    await kiosk.goto(stack.seed.kioskUrl);
    const entry = kiosk.locator('.kiosk-pickup-entry');
    await entry.waitFor({ timeout: 15_000 });
    await expect(entry.innerText()).resolves.toMatch(/取机|Pick up a repair/);
    await shot(kiosk, 'fastlane-kiosk-start');
    await entry.click();
    // A wrong code first: plain words, and the form keeps the order number.
    await kiosk.locator('#kiosk-pickup-order').fill(repair.orderNo.replace(/\D/g, ''));
    await kiosk.locator('#kiosk-pickup-code').click();
    const wrong = repair.pickupCode === '000000' ? '111111' : '000000';
    for (const digit of wrong) await kiosk.locator('.keypad__key', { hasText: new RegExp(`^${digit}$`) }).click();
    await kiosk.locator('.kiosk-options__submit').click();
    await kiosk.locator('.kiosk-pickup .kiosk-panel__error').waitFor({ timeout: 10_000 });
    await expect(kiosk.locator('.kiosk-pickup .kiosk-panel__error').innerText()).resolves.toMatch(/不匹配|do not match/);
    await shot(kiosk, 'fastlane-kiosk-wrong-code');
    await kiosk.locator('.keypad__key', { hasText: /清空|Clear/ }).click();
    for (const digit of repair.pickupCode) await kiosk.locator('.keypad__key', { hasText: new RegExp(`^${digit}$`) }).click();
    await shot(kiosk, 'fastlane-kiosk-form');
    const issuedResponse = kiosk.waitForResponse((r) => r.url().endsWith('/tickets/pickup') && r.request().method() === 'POST');
    await kiosk.locator('.kiosk-options__submit').click();
    const issued = (await (await issuedResponse).json()) as IssuedTicketDto;
    expect(issued.number).toMatch(/^B\d{3}$/);
    await expect(kiosk.locator('#kiosk-ticket-number').innerText()).resolves.toContain(issued.number);
    await expect(kiosk.locator('.kiosk-ticket__order').innerText()).resolves.toContain(repair.orderNo);
    await kiosk.locator('.kiosk-ticket__qr svg').first().waitFor();
    await kiosk.waitForFunction(() => (window as unknown as { __printed: number }).__printed >= 1, undefined, { timeout: 5000 });
    await shot(kiosk, 'fastlane-kiosk-ticket');

    // Scanning the QR of the SMS again (a USB scanner types the payload and Enter) gives the same ticket, not a second.
    await kiosk.locator('.kiosk-ticket__actions button').first().click();
    await kiosk.locator('.kiosk-pickup-entry').click();
    await kiosk.locator('#kiosk-pickup-order').focus();
    const again = kiosk.waitForResponse((r) => r.url().endsWith('/tickets/pickup') && r.request().method() === 'POST');
    await kiosk.keyboard.type(formatPickupScan(repair.orderNo, repair.pickupCode));
    await kiosk.keyboard.press('Enter');
    expect(((await (await again).json()) as IssuedTicketDto).id).toBe(issued.id);
    await expect(kiosk.locator('#kiosk-ticket-number').innerText()).resolves.toContain(issued.number);

    // Counter 3 (pickup and payment) calls next: the B ticket, and the pickup panel opens on the order.
    const counter = watch(await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage(), 'counter');
    await counter.goto(`${url}/counter`);
    await counter.locator('input[name="username"]').fill('frontdesk2');
    await counter.locator('input[name="password"]').fill(stack.seed.password);
    await counter.locator('button[type="submit"]').click();
    await counter.locator('.counter-pick__card', { hasText: 'Counter 3' }).click();
    await counter.getByText(issued.number).first().waitFor({ timeout: 10_000 });
    await counter.keyboard.press('F1');
    await counter.locator('.current-ticket__number', { hasText: issued.number }).waitFor({ timeout: 10_000 });
    const panel = counter.locator('.pickup-order');
    await panel.waitFor({ timeout: 10_000 });
    await expect(panel.locator('.pickup-order__no').innerText()).resolves.toBe(repair.orderNo);
    await expect(panel.innerText()).resolves.toContain('Xiaomi 14');
    await expect(counter.locator('[data-testid="open-pickup"]').innerText()).resolves.toContain(repair.orderNo);
    await shot(counter, 'fastlane-counter-pickup-panel');

    expect(errors).toEqual([]);
  }, 120_000);
});
