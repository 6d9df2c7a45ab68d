import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemClock, type Clock } from '@beacon/shared';
import type { ConfigInput } from '@beacon/server';
import { launchChromium, type Chromium } from './browser.ts';
import { ensureClientBuilt } from './client-build.ts';
import { startTestStack, type TestStack } from './stack.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Where the browser tests leave their screenshots: docs/, the README's pictures, when `BEACON_SCREENSHOTS=docs`
 * (`pnpm screenshot`); otherwise test-results/screenshots/, which git ignores, so a test run leaves the tree clean.
 */
export const screenshotDir =
  process.env.BEACON_SCREENSHOTS === 'docs'
    ? path.join(repoRoot, 'docs')
    : path.join(repoRoot, 'test-results', 'screenshots');

/** The real server serving the built client (on the system clock unless told), and a Chromium to open it in. */
export async function startBrowserStack({
  clock = systemClock,
  config = {},
}: { clock?: Clock; config?: Partial<ConfigInput> } = {}): Promise<{ stack: TestStack; browser: Chromium }> {
  const clientDist = ensureClientBuilt();
  const stack = await startTestStack({ clock, config: { clientDist, ...config } });
  try {
    return { stack, browser: await launchChromium() };
  } catch (error) {
    await stack.stop();
    throw error;
  }
}

/** Close the browser, then stop the stack; either may be missing when start-up failed. */
export async function stopBrowserStack(browser: Chromium | undefined, stack: TestStack | undefined): Promise<void> {
  await browser?.close();
  await stack?.stop();
}
