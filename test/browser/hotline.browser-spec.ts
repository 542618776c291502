import { createHmac } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { startStack, type Stack } from '../support/stack';
import { launchChromium, pageErrors, shot } from './browser';

/**
 * The hotline console in Chromium: the telephone system's signed events arrive, the agent sees the numbers,
 * the queue and the caller on their line, takes a message for a promised callback, and a caller who gave up
 * appears as a callback without a reload.
 */
describe('the hotline console in a browser', () => {
  let stack: Stack;
  let browser: Browser;
  let url: string;
  const { errors, watch } = pageErrors();
  const secret = process.env.HOTLINE_SECRET || 'demo-hotline-secret';
  const ago = (s: number) => new Date(Date.now() - s * 1000).toISOString();

  async function send(events: object[]) {
    const raw = JSON.stringify({ branchId: stack.seed.branchId, events });
    const ts = String(Math.floor(Date.now() / 1000));
    const res = await fetch(`${url}/api/hotline/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-timestamp': ts, 'x-signature': `sha256=${createHmac('sha256', secret).update(`${ts}.${raw}`).digest('hex')}` },
      body: raw,
    });
    expect(res.status).toBe(202);
  }

  beforeAll(async () => {
    stack = await startStack({ apis: 1, env: { SYNC_INTERVAL_MS: '1000' } });
    url = stack.apis[0].url;
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('shows the numbers, the queue and the caller on the line; takes a message; lost callers become callbacks live', async () => {
    await send([
      { id: 'b-ag1', type: 'agent_state', agentId: 'agent1', queue: 'repair', state: 'on_call', at: ago(10) },
      { id: 'b-ag2', type: 'agent_state', agentId: 'agent2', queue: 'repair', state: 'available', at: ago(10) },
      { id: 'b-c1-q', type: 'call_queued', callId: 'b-c1', queue: 'repair', at: ago(30), callerNumber: '13800138000' },
      { id: 'b-c1-a', type: 'call_answered', callId: 'b-c1', queue: 'repair', at: ago(10), agentId: 'agent1' },
      { id: 'b-c2-q', type: 'call_queued', callId: 'b-c2', queue: 'repair', at: ago(20), callerNumber: '13900000099' },
    ]);
    const page = watch(await (await browser.newContext({ viewport: { width: 1440, height: 1000 } })).newPage());
    await page.goto(`${url}/hotline`);
    await page.locator('input[name="username"]').fill('agent1');
    await page.locator('input[name="password"]').fill(stack.seed.password);
    await page.locator('button[type="submit"]').click();
    await page.locator('.fd-conn--live').first().waitFor({ timeout: 15_000 });

    // The call agent1 answered pops up with the caller's number; the waiting caller is in the queue.
    await page.locator('.hotline-pop__number', { hasText: '13800138000' }).waitFor({ timeout: 10_000 });
    await page.locator('.hotline-call', { hasText: '13900000099' }).waitFor();
    await expect(page.locator('.fd-tile', { hasText: /排队来电|Calls waiting/ }).locator('.fd-tile__value').innerText()).resolves.toBe('1');

    // Take a message: the phone is filled from the call; the callback appears in the list.
    await expect(page.locator('.hotline-form input[inputmode="tel"]').inputValue()).resolves.toBe('13800138000');
    await page.locator('.hotline-form textarea').fill('屏幕维修进度，客户希望下午回电');
    await page.locator('.hotline-form button[type="submit"]').click();
    await page.locator('.hotline-callback', { hasText: '13800138000' }).waitFor({ timeout: 10_000 });

    // A caller gives up after 30 s: a callback due now appears without a reload.
    await send([
      { id: 'b-c3-q', type: 'call_queued', callId: 'b-c3', queue: 'repair', at: ago(60), callerNumber: '13700000001' },
      { id: 'b-c3-x', type: 'call_abandoned', callId: 'b-c3', queue: 'repair', at: ago(30) },
    ]);
    await page.locator('.hotline-callback', { hasText: '13700000001' }).waitFor({ timeout: 10_000 });
    await shot(page, 'hotline-console-zh');

    await page.getByRole('button', { name: 'English' }).first().click();
    await page.getByText('Calls waiting').first().waitFor();
    await shot(page, 'hotline-console-en');
    expect(errors).toEqual([]);
  });
});
