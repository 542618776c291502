import type { Browser, Page } from 'playwright-core';
import type { IssuedTicketDto } from '@frontdesk/contracts';
import { startStack, type Stack } from '../support/stack';
import { launchChromium, pageErrors, shot } from './browser';

/**
 * A repair from intake to pickup across two screens: the receptionist opens the order from the ticket
 * being served at the counter console, a technician moves it along the repair board (live, no reload),
 * the wall display lists it as ready for pickup, the desk hands it over against the pickup code and
 * takes the satisfaction card, and the customer's phone shows the status page.
 */
describe('repairs in a browser', () => {
  let stack: Stack;
  let browser: Browser;
  let url: string;
  const { errors, watch } = pageErrors();

  const signIn = async (page: Page, path: string, username: string) => {
    await page.goto(`${url}${path}`);
    await page.locator('input[name="username"]').fill(username);
    await page.locator('input[name="password"]').fill(stack.seed.password);
    await page.locator('button[type="submit"]').click();
  };

  const noPrint = async (page: Page) =>
    page.addInitScript(() => {
      (window as unknown as { __printed: number }).__printed = 0;
      window.print = () => {
        (window as unknown as { __printed: number }).__printed += 1;
      };
    });

  beforeAll(async () => {
    stack = await startStack({ apis: 1, env: { SYNC_INTERVAL_MS: '1000' } });
    url = stack.apis[0].url;
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('takes an order from intake at the counter to pickup, live on the repair board and the wall display', async () => {
    // The wall display, as it hangs in the lobby.
    const display = watch(await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage(), 'display');
    await display.goto(stack.seed.displayUrl);
    const skipSound = display.locator('.sound-gate__skip');
    if (await skipSound.isVisible({ timeout: 5000 }).catch(() => false)) await skipSound.click();
    await display.locator('.fd-conn--live').first().waitFor({ timeout: 15_000 });
    await display.locator('.ready-board').waitFor();

    // The technician's repair board, open before the order exists: it must arrive live.
    const board = watch(await (await browser.newContext({ viewport: { width: 1600, height: 900 } })).newPage(), 'board');
    await signIn(board, '/repairs', 'tech1');
    await board.locator('.repairs-board').waitFor({ timeout: 15_000 });
    await board.locator('.fd-conn--live').first().waitFor({ timeout: 15_000 });
    await board.evaluate(() => ((window as unknown as { __loadMark: number }).__loadMark = 7));

    // A customer took an "A repair intake" ticket at the kiosk.
    const services = (await (
      await fetch(`${url}/api/branches/${stack.seed.branchId}/services`, { headers: { authorization: `Bearer ${stack.seed.kioskToken}` } })
    ).json()) as {
      id: string;
      code: string;
    }[];
    const issued = (await (
      await fetch(`${url}/api/branches/${stack.seed.branchId}/tickets`, {
        method: 'POST',
        headers: { authorization: `Bearer ${stack.seed.kioskToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ serviceId: services.find((s) => s.code === 'A')!.id, phone: '13800138000' }),
      })
    ).json()) as IssuedTicketDto;

    // The receptionist calls and serves it, then opens the repair order from the ticket.
    const desk = watch(await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage(), 'counter');
    await noPrint(desk);
    await signIn(desk, '/counter', 'frontdesk1');
    await desk.locator('.counter-pick__card', { hasText: 'Counter 1' }).click();
    await desk.getByText(issued.number).first().waitFor({ timeout: 10_000 });
    await desk.keyboard.press('F1');
    await desk.locator('.current-ticket__number', { hasText: issued.number }).waitFor({ timeout: 10_000 });
    await desk.locator('.current-ticket__primary button').click();
    await desk.locator('.current-ticket--serving').waitFor({ timeout: 10_000 });
    await desk.locator('[data-testid="open-intake"]', { hasText: issued.number }).click();

    const form = desk.locator('#repair-intake-form');
    await form.locator('input[name="phone"]').fill('138 0013 8000');
    // The customer is known from the ticket: the record shows the earlier ticket.
    await form.locator('[data-testid="customer-record"]').waitFor({ timeout: 10_000 });
    await form.locator('input[name="name"]').fill('陈小明');
    await shot(desk, 'repair-intake-customer');
    await form.locator('input[name="brand"]').fill('Apple');
    await form.locator('input[name="model"]').fill('iPhone 13');
    // A misread IMEI is caught live by its check digit.
    await form.locator('input[name="imei"]').fill('490154203237517');
    await form.getByText(/校验位不对|Check digit wrong/).waitFor();
    await form.locator('input[name="imei"]').fill('490154203237518');
    await form.getByText(/IMEI 有效|IMEI valid/).waitFor();
    await form.locator('textarea[name="fault"]').fill('屏幕不亮，触摸无反应');
    await form.locator('input[name="condition"]').fill('背面轻微划痕');
    await form.locator('input[name="accessory-charger"]').check();
    await form.locator('input[name="accessory-sim_tray"]').check();
    const bought = new Date(Date.now() - 100 * 86_400_000).toISOString().slice(0, 10);
    await form.locator('input[name="purchaseDate"]').fill(bought);
    await expect(form.locator('[data-testid="warranty-preview"]').innerText()).resolves.toMatch(/保内|In warranty/);
    await form.locator('input[name="dataWarning"]').check();
    await shot(desk, 'repair-intake-form');

    const createdResponse = desk.waitForResponse((r) => /\/repairs$/.test(r.url()) && r.request().method() === 'POST');
    await desk.locator('button[form="repair-intake-form"]').click();
    const created = (await (await createdResponse).json()) as { orderNo: string; pickupCode: string; statusUrl: string };
    expect(created.orderNo).toMatch(/^R\d{8}-\d{4}$/);
    await desk.locator('[data-testid="pickup-code"]', { hasText: created.pickupCode }).waitFor();
    await desk.waitForFunction(() => (window as unknown as { __printed: number }).__printed >= 1, undefined, { timeout: 5000 });
    await shot(desk, 'repair-intake-created');
    // The slip as printed (A5), rendered on screen for the screenshot.
    await desk.evaluate(() => {
      const slip = document.querySelector('.repair-slip') as HTMLElement;
      slip.style.left = '0';
      slip.style.visibility = 'visible';
      slip.style.zIndex = '1000';
      slip.style.boxShadow = '0 0 0 4px #333';
    });
    await shot(desk, 'repair-slip-thermal');
    await desk.locator('.fd-lang__option', { hasText: /A5/ }).click();
    await desk.locator('.repair-slip--a5').waitFor({ state: 'attached' });
    await desk.evaluate(() => {
      const slip = document.querySelector('.repair-slip') as HTMLElement;
      slip.style.left = '0';
      slip.style.visibility = 'visible';
      slip.style.zIndex = '1000';
    });
    await shot(desk, 'repair-slip-a5');
    await desk.evaluate(() => {
      const slip = document.querySelector('.repair-slip') as HTMLElement;
      slip.removeAttribute('style');
    });
    await desk.locator('.fd-dialog__actions button', { hasText: /完成|Done/ }).click();

    // The board shows it without a reload, in "received".
    const card = board.locator(`.repair-card[data-order="${created.orderNo}"]`);
    await board.locator(`.repairs-column--received .repair-card[data-order="${created.orderNo}"]`).waitFor({ timeout: 10_000 });
    await shot(board, 'repair-board-received');

    // The technician takes it and moves it through diagnosis, repair and QA.
    await card.click();
    const detail = board.locator('.repair-detail');
    await detail.getByRole('button', { name: /分配给我|Assign to me/ }).click();
    await detail
      .getByText('Tech One')
      .or(detail.getByText('tech1'))
      .first()
      .waitFor({ timeout: 10_000 })
      .catch(() => undefined);
    // Diagnosis notes and a later promise, with the reason the customer will be told.
    await detail.locator('textarea').first().fill('屏幕排线松动');
    await detail
      .getByRole('button', { name: /^(保存|Save)$/ })
      .first()
      .click();
    await detail.locator('.repair-history', { hasText: /更新记录|Notes updated/ }).waitFor({ timeout: 10_000 });
    const later = await detail.locator('input[type="datetime-local"]').inputValue();
    await detail.locator('input[type="datetime-local"]').fill(later.replace(/T\d\d:/, later.includes('T23:') ? 'T22:' : 'T23:'));
    await detail.getByRole('textbox', { name: /修改原因|Reason for the change/ }).fill('等原厂排线');
    await detail.getByRole('button', { name: /^(修改|Change)$/ }).click();
    await detail.locator('.repair-history', { hasText: '等原厂排线' }).waitFor({ timeout: 10_000 });
    for (const next of ['检测中', '维修中', '质检中']) {
      await detail.getByRole('button', { name: `→ ${next}` }).click();
      await detail.locator('.repair-detail__pills .fd-pill', { hasText: next }).first().waitFor({ timeout: 10_000 });
    }
    await shot(board, 'repair-board-qa');
    await detail.getByRole('button', { name: /质检通过|QA passed/ }).click();
    await board.locator(`.repairs-column--ready_for_pickup .repair-card[data-order="${created.orderNo}"]`).waitFor({ timeout: 10_000 });
    await expect(board.evaluate(() => (window as unknown as { __loadMark?: number }).__loadMark)).resolves.toBe(7);

    // The wall display lists it as ready for pickup, with the masked name and never the phone.
    const readyItem = display.locator('.ready-board__item', { hasText: created.orderNo });
    await readyItem.waitFor({ timeout: 10_000 });
    await expect(readyItem.innerText()).resolves.toContain('陈*');
    const wall = await display.locator('body').innerText();
    expect(wall).not.toContain('小明');
    expect(wall).not.toContain('8000');
    await shot(display, 'display-ready-board');
    // The lobby layout still holds on a smaller TV.
    await display.setViewportSize({ width: 1366, height: 768 });
    await display.waitForTimeout(300);
    await shot(display, 'display-ready-board-1366');
    await display.setViewportSize({ width: 1920, height: 1080 });

    // Pickup at the counter: a wrong code first, then the right one, then the satisfaction card.
    await desk.locator('[data-testid="open-pickup"]').click();
    await desk.locator('input[name="orderNo"]').fill(created.orderNo);
    await desk.locator('input[name="orderNo"]').press('Enter');
    const code = desk.locator('input[name="pickupCode"]');
    await code.waitFor({ timeout: 10_000 });
    await code.fill(created.pickupCode === '000000' ? '111111' : '000000');
    await desk.getByRole('button', { name: /^(交付|Hand over)$/ }).click();
    await desk.locator('[data-testid="pickup-wrong"]').waitFor({ timeout: 10_000 });
    await expect(desk.locator('[data-testid="pickup-wrong"]').innerText()).resolves.toMatch(/4/);
    await shot(desk, 'repair-pickup-wrong-code');
    await code.fill(created.pickupCode);
    await desk.getByRole('button', { name: /^(交付|Hand over)$/ }).click();
    await desk.locator('.pickup-survey').waitFor({ timeout: 10_000 });
    await desk.locator('.pickup-survey__score', { hasText: '5' }).click();
    await desk.locator('textarea[name="comment"]').fill('很快，谢谢');
    await shot(desk, 'repair-pickup-survey');
    await desk.getByRole('button', { name: /保存|Save card/ }).click();
    await desk.locator('.pickup-survey').waitFor({ state: 'detached', timeout: 10_000 });

    // Picked up: it leaves the board and the wall display, live.
    await card.waitFor({ state: 'detached', timeout: 10_000 });
    await readyItem.waitFor({ state: 'detached', timeout: 10_000 });

    // The customer's phone, from the slip's QR code: status with the last four digits, nothing personal.
    const phone = watch(await (await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, locale: 'zh-CN' })).newPage(), 'phone');
    await phone.goto(new URL(created.statusUrl, url).href);
    await phone.locator('.rstatus-form__digits').fill('8000');
    await phone.getByRole('button', { name: /查看进度|Show status/ }).click();
    await phone.locator('.rstatus-card__status', { hasText: /已取机|Picked up/ }).waitFor({ timeout: 10_000 });
    const page = await phone.locator('body').innerText();
    expect(page).not.toContain('小明');
    expect(page).not.toContain('138');
    await shot(phone, 'repair-status-phone');

    expect(errors).toEqual([]);
  });

  it('shows the repair board and the intake form in English', async () => {
    const login = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'frontdesk2', password: stack.seed.password }),
    });
    const token = ((await login.json()) as { accessToken: string }).accessToken;
    const call = async (method: string, path: string, body?: unknown) => {
      const r = await fetch(`${url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      expect(r.status).toBeLessThan(300);
      return (await r.json()) as { id: string; orderNo: string; pickupCode: string };
    };
    const intake = (name: string, phone: string, device: Record<string, string>, fault: string, purchaseDate?: string, promisedAt?: string) =>
      call('POST', `/api/branches/${stack.seed.branchId}/repairs`, {
        customer: { name, phone },
        device,
        fault,
        notify: 'sms',
        ...(purchaseDate ? { purchaseDate } : {}),
        ...(promisedAt ? { promisedAt } : {}),
      });
    const recently = new Date(Date.now() - 100 * 86_400_000).toISOString().slice(0, 10);
    // The same phone as the first test: a repeat repair.
    await intake('陈小明', '13800138000', { brand: 'Apple', model: 'iPhone 13', imei: '490154203237518' }, 'Screen flickers again');
    const old = await intake(
      'Wang Fang',
      '13912345678',
      { brand: 'Huawei', model: 'Mate 60', serial: 'HW60-7781' },
      'Battery drains in two hours',
      '2023-01-10',
    );
    await call('POST', `/api/repairs/${old.id}/transition`, { to: 'diagnosing' });
    await call('POST', `/api/repairs/${old.id}/transition`, { to: 'awaiting_approval', quote: { amount: 28_000, currency: 'CNY' }, note: 'battery swollen' });
    const wet = await intake('Li Lei', '13600001111', { brand: 'Xiaomi', model: '14', serial: 'XM14-0042' }, 'Dropped in water, no power');
    await call('POST', `/api/repairs/${wet.id}/transition`, { to: 'diagnosing' });
    // Promised in two seconds: overdue by the time the board shows it.
    await intake(
      'Zhou Jie',
      '13700002222',
      { brand: 'OPPO', model: 'Find X7', serial: 'OP-X7-9' },
      'Charging port loose',
      recently,
      new Date(Date.now() + 2_000).toISOString(),
    );
    // Ready for pickup, then five wrong pickup codes: locked until a manager unlocks it.
    const locked = await intake('Sun Li', '13500003333', { brand: 'vivo', model: 'X100', serial: 'VV-X100-5' }, 'Camera blurry', recently);
    for (const to of ['diagnosing', 'repairing', 'qa', 'ready_for_pickup']) await call('POST', `/api/repairs/${locked.id}/transition`, { to });
    for (let i = 0; i < 5; i++) {
      const r = await fetch(`${url}/api/repairs/${locked.id}/pickup`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ pickupCode: 'wrong-' + i }),
      });
      expect([403, 423]).toContain(r.status);
    }
    await new Promise((r) => setTimeout(r, 2_500));

    const ctx = await browser.newContext({ viewport: { width: 1600, height: 900 } });
    await ctx.addInitScript(() => window.localStorage.setItem('frontdesk.language', 'en'));
    const board = watch(await ctx.newPage(), 'board-en');
    await signIn(board, '/repairs', 'frontdesk2');
    await board.getByText('Repair board').first().waitFor({ timeout: 15_000 });
    await board.locator('.repairs-column', { hasText: 'Ready for pickup' }).waitFor();
    await board.locator('.repair-card').nth(4).waitFor({ timeout: 10_000 });
    await board.locator('.repair-card--overdue', { hasText: 'Find X7' }).waitFor();
    await expect(board.locator('.repairs-toolbar .fd-pill--danger').innerText()).resolves.toBe('1');
    await shot(board, 'repair-board-en');
    await board.locator(`.repair-card[data-order="${old.orderNo}"]`).click();
    await board.locator('.repair-detail').getByRole('button', { name: 'Customer approved' }).waitFor();
    // The desk assigns it to a technician from the branch's list.
    const detail = board.locator('.repair-detail');
    const techOption = detail.locator('select option', { hasText: /Zhao/ });
    await techOption.waitFor({ state: 'attached', timeout: 10_000 });
    await detail
      .locator('select')
      .first()
      .selectOption({ label: (await techOption.innerText()).trim() });
    await detail.getByRole('button', { name: 'Assign', exact: true }).click();
    await board.locator(`.repair-card[data-order="${old.orderNo}"] .repair-card__tech`, { hasText: /Zhao/ }).waitFor({ timeout: 10_000 });
    await shot(board, 'repair-board-detail-en');

    // The customer approves the quote; the work goes on through QA to ready.
    await detail.getByRole('button', { name: 'Customer approved' }).click();
    await detail.locator('.repair-detail__pills .fd-pill', { hasText: 'Repairing' }).waitFor({ timeout: 10_000 });
    await detail.getByRole('button', { name: '→ QA test' }).click();
    await detail.getByRole('button', { name: /QA passed/ }).click();
    await board.locator(`.repairs-column--ready_for_pickup .repair-card[data-order="${old.orderNo}"]`).waitFor({ timeout: 10_000 });
    await detail.getByRole('button', { name: 'Dismiss' }).click();

    // Search by the full phone number finds it on the server, finished orders included.
    await board.locator('.repairs-toolbar__search').fill('13912345678');
    await board.locator('.repairs-toolbar__search').press('Enter');
    await board.locator('.repairs-search__row', { hasText: old.orderNo }).waitFor({ timeout: 10_000 });
    await board.locator(`.repairs-column--ready_for_pickup .repair-card[data-order="${old.orderNo}"]`).waitFor();
    await expect(board.locator('.repair-card').count()).resolves.toBe(1);
    await shot(board, 'repair-board-search-en');

    await board.goto(`${url}/counter`);
    await board.locator('.counter-pick__card', { hasText: 'Counter 2' }).click();
    // Out-of-warranty work is paid at pickup: the quote is the amount due.
    await board.locator('[data-testid="open-pickup"]').click();
    await board.locator('input[name="orderNo"]').fill(old.orderNo);
    await board.locator('input[name="orderNo"]').press('Enter');
    await expect(board.locator('input[name="amount"]').inputValue()).resolves.toBe('280.00');
    await board.locator('input[name="pickupCode"]').fill(old.pickupCode);
    await shot(board, 'repair-pickup-payment-en');
    const paid = board.waitForResponse((r) => r.url().endsWith('/pickup') && r.request().method() === 'POST');
    await board.getByRole('button', { name: 'Hand over' }).click();
    const pickupBody = JSON.parse((await paid).request().postData() ?? '{}') as { payment?: { amount: number; currency: string; method: string } };
    expect(pickupBody.payment).toEqual({ amount: 28_000, currency: 'CNY', method: 'wechat' });
    await board.locator('.pickup-survey').waitFor({ timeout: 10_000 });
    await board.getByRole('button', { name: 'Skip' }).click();
    await board.locator('.pickup-survey').waitFor({ state: 'detached' });
    await board.locator('[data-testid="open-intake"]').click();
    const form = board.locator('#repair-intake-form');
    await form.locator('input[name="phone"]').fill('12345');
    await form.locator('input[name="imei"]').fill('4901542032375');
    await form.locator('textarea[name="fault"]').fill('Dropped in water yesterday, will not turn on');
    await expect(form.locator('[data-testid="warranty-preview"]').innerText()).resolves.toContain('Warranty void');
    await form.getByText('Not a valid phone number').waitFor();
    await expect(board.locator('button[form="repair-intake-form"]').isDisabled()).resolves.toBe(true);
    await shot(board, 'repair-intake-en');
    await board.locator('.fd-dialog__actions button', { hasText: 'Cancel' }).click();

    // At the desk the locked order says so; a manager unlocks it and the code can be entered again.
    await board.locator('[data-testid="open-pickup"]').click();
    await board.locator('input[name="orderNo"]').fill(locked.orderNo);
    await board.locator('input[name="orderNo"]').press('Enter');
    await board.locator('[data-testid="pickup-locked"]').waitFor({ timeout: 10_000 });
    await expect(board.locator('[data-testid="pickup-locked"]').innerText()).resolves.toContain('A manager must unlock it');
    const managerCtx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    await managerCtx.addInitScript(() => window.localStorage.setItem('frontdesk.language', 'en'));
    const manager = watch(await managerCtx.newPage(), 'manager');
    await signIn(manager, '/counter', 'manager');
    await manager.locator('.counter-pick__card', { hasText: 'Counter 3' }).click();
    await manager.locator('[data-testid="open-pickup"]').click();
    await manager.locator('input[name="orderNo"]').fill(locked.orderNo);
    await manager.locator('input[name="orderNo"]').press('Enter');
    await manager.locator('[data-testid="pickup-locked"]').waitFor({ timeout: 10_000 });
    await shot(manager, 'repair-pickup-locked-manager');
    await manager.getByRole('button', { name: 'Unlock pickup' }).click();
    await manager.locator('input[name="pickupCode"]').waitFor({ timeout: 10_000 });
    expect(errors).toEqual([]);
  });
});
