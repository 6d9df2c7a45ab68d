import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_ARGS } from '../../scripts/lib/chromium.ts';
import { ensureDebianCommand } from '../../scripts/lib/debian.ts';

/** A launched Chromium: its one browser context, and how to close it and remove its profile. */
export interface Chromium {
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Debian's Chromium, headless, driven by playwright-core (no browser download is possible here).
 * WebGL2 runs through SwiftShader, so the map really renders.
 */
export async function launchChromium({ width = 1920, height = 1080 } = {}): Promise<Chromium> {
  const executablePath = fs.existsSync('/usr/bin/chromium')
    ? '/usr/bin/chromium'
    : ensureDebianCommand('chromium', 'chromium');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'beacon-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    viewport: { width, height },
    deviceScaleFactor: 1,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    args: [...CHROMIUM_ARGS],
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Open a page in `context` whose uncaught errors are pushed to `errors`. */
export async function openPage(context: BrowserContext, errors: string[]): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (error) => errors.push(error.message));
  return page;
}

/** Wait until the page's map has loaded (SwiftShader makes the first render slow). */
export async function waitForMap(page: Page): Promise<void> {
  await page.waitForSelector('[data-map-state="loaded"]', { timeout: 60_000 });
}
