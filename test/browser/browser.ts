import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ROOT } from '../support/stack';

export const ARTIFACTS = join(ROOT, 'test-artifacts', 'browser');

/** Debian's Chromium, never a downloaded browser; flags that keep it off the closed network. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(`Chromium not found at ${executablePath}: run "apt-get install -y chromium" (npm test does it for you)`);
  }
  if (!existsSync(join(ROOT, 'apps/web/dist/index.html'))) {
    throw new Error('the web app is not built: run "npx nx run web:build" (npm test builds it before this stage)');
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
}

/**
 * Page errors and console errors of the pages a spec watches, to assert none at the end ("Failed to load resource"
 * is left out: a spec that checks a refused request causes one on purpose).
 */
export function pageErrors(): { errors: string[]; watch: (page: Page, name?: string) => Page } {
  const errors: string[] = [];
  const watch = (page: Page, name?: string) => {
    const at = name ? `${name}: ` : '';
    page.on('pageerror', (e) => errors.push(`${at}${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) errors.push(`${name ? `${name} console: ` : ''}${m.text()}`);
    });
    return page;
  };
  return { errors, watch };
}
