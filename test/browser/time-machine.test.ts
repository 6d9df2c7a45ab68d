import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Ack } from '@beacon/shared';
import { openPage, waitForMap, type Chromium } from '../helpers/browser.ts';
import { screenshotDir, startBrowserStack, stopBrowserStack } from '../helpers/browser-stack.ts';
import type { TestStack } from '../helpers/stack.ts';
import { onRoad, seedUnitsOnRoad, type RoadUnit } from '../helpers/road-units.ts';
import type { WallMapElement } from './wall-map.ts';

const UNITS: RoadUnit[] = [
  ['BJ-01', 'SX1', 12_000, 'up'],
  ['BJ-02', 'SX1', 30_000, 'down'],
  ['BJ-03', 'SX2', 40_000, 'up'],
];

function data<T>(ack: Ack<T>): T {
  if (!ack.ok) throw new Error(`${ack.error.code}: ${ack.error.message}`);
  return ack.data;
}

/** The incidents the past situation's map draws (the incident layer's GeoJSON source), sorted. */
function incidentsOnMap(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const map = (document.querySelector('.map-canvas') as WallMapElement).beaconMap;
    return [...new Set(map.querySourceFeatures('incidents').map((f) => String(f.properties.id)))].sort();
  });
}

async function waitForIncidentsOnMap(page: Page, ids: string[]): Promise<void> {
  const want = [...ids].sort();
  const deadline = Date.now() + 15_000;
  while (JSON.stringify(await incidentsOnMap(page)) !== JSON.stringify(want)) {
    if (Date.now() > deadline) throw new Error(`the map never drew exactly ${want.join(', ')}`);
    await page.waitForTimeout(200);
  }
}

/** The incidents the list shows as open, with the state each had, in list order. */
function listed(page: Page): Promise<[string, string][]> {
  return page
    .locator('[data-testid="asof-incidents"] > li')
    .evaluateAll((items) => items.map((li) => [li.getAttribute('data-incident-id')!, li.getAttribute('data-state')!]));
}

/**
 * The time machine in a browser: an incident is received, then assessed and joined by a second one; `/asof` at
 * the earlier time shows only the first, as received, on the list and on the map, under the replay banner; the
 * scrubber brought to now shows both, the first assessed; dragging the slider back returns to the past.
 */
describe('the time machine in real Chromium', () => {
  let stack: TestStack;
  let browser: Chromium;

  beforeAll(async () => {
    ({ stack, browser } = await startBrowserStack());
  });

  afterAll(() => stopBrowserStack(browser, stack));

  it('shows the situation as it stood then, and as it stands now', async () => {
    const batch = await seedUnitsOnRoad(stack, UNITS);
    expect(batch).toMatchObject({ ok: true, data: { accepted: UNITS.length } });

    const ops = await stack.opsSocket({ role: 'dispatcher' });
    const first = data(
      await ops.emitWithAck('incident:create', { type: 'traffic_accident', ...onRoad(stack, 'SX1', 20_000, 'up') }),
    ).incident;
    // Stream ids carry Redis's clock: "then" is the millisecond of the newest event, the first incident's.
    const newest = (await stack.redis.xrevrange('beacon:events', '+', '-', 'COUNT', 1)) as [string, string[]][];
    const then = Number(newest[0]![0].split('-')[0]);
    await new Promise((r) => setTimeout(r, 20));
    data(await ops.emitWithAck('incident:transition', { incidentId: first.id, to: 'assessed' }));
    const second = data(
      await ops.emitWithAck('incident:create', { type: 'road_hazard', ...onRoad(stack, 'SX2', 60_000, 'down') }),
    ).incident;

    const { token } = await stack.app.access.addDisplay('回放屏', '520500');
    const pageErrors: string[] = [];
    const page = await openPage(browser.context, pageErrors);
    await page.goto(`${stack.baseUrl}/asof?display=${encodeURIComponent(token)}&at=${then}`);
    await waitForMap(page);

    // Then: only the first incident, still as received, under the replay banner.
    const banner = page.locator('[data-testid="asof-banner"]');
    await page.locator(`[data-testid="asof-banner"][data-as-of="${then}"]`).waitFor();
    const beijing = new Date(then + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
    await expect(banner.textContent()).resolves.toContain(`历史回放 · ${beijing}`);
    await expect(banner.textContent()).resolves.toContain('非实时');
    await expect(listed(page)).resolves.toEqual([[first.id, 'received']]);
    await waitForIncidentsOnMap(page, [first.id]);
    await expect(page.locator('[data-testid="asof-unit-note"]').textContent()).resolves.toContain('近似');
    await expect(page.locator('[data-testid="asof-time"]').inputValue()).resolves.toBe(
      new Date(then + 8 * 3600_000).toISOString().slice(0, 19),
    );
    expect(new URL(page.url()).searchParams.has('display')).toBe(false);

    // Now: both, the first assessed.
    await page.locator('[data-testid="asof-now"]').click();
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="asof-incidents"] > li').length === 2,
      undefined,
      { timeout: 15_000 },
    );
    await expect(listed(page).then((rows) => rows.sort())).resolves.toEqual(
      [
        [first.id, 'assessed'],
        [second.id, 'received'],
      ].sort(),
    );
    await waitForIncidentsOnMap(page, [first.id, second.id]);
    expect(Number(await banner.getAttribute('data-as-of'))).toBeGreaterThan(then);

    // Dragging the slider back to "then" shows the past again (asked once the slider rests).
    await page.locator('[data-testid="asof-slider"]').evaluate((el, at) => {
      const input = el as HTMLInputElement;
      input.value = String(at);
      input.dispatchEvent(new Event('input', { bubbles: true }));
    }, then);
    await page.locator(`[data-testid="asof-banner"][data-as-of="${then}"]`).waitFor();
    await expect(listed(page)).resolves.toEqual([[first.id, 'received']]);
    await waitForIncidentsOnMap(page, [first.id]);

    // The screenshot: the situation now, the first incident selected.
    await page.locator('[data-testid="asof-now"]').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="asof-incidents"] > li').length === 2);
    await page.locator(`[data-testid="asof-incidents"] > li[data-incident-id="${first.id}"]`).click();
    await waitForIncidentsOnMap(page, [first.id, second.id]);
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(screenshotDir, 'time-machine.png') });
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
