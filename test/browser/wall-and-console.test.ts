import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openPage, waitForMap, type Chromium } from '../helpers/browser.ts';
import { screenshotDir, startBrowserStack, stopBrowserStack } from '../helpers/browser-stack.ts';
import type { WallMapElement } from './wall-map.ts';
import type { TestStack } from '../helpers/stack.ts';
import { addPerson, displayLink, signInOnConsole } from '../helpers/access.ts';
import { FLEET, onRoad, seedUnitsOnRoad, type RoadUnit } from '../helpers/road-units.ts';

/**
 * The fleet and two more units. BJ-03 is the closest to the walk-on by straight line, but on the opposite
 * carriageway; BJ-07 is 2 km behind it on the same carriageway and must be ranked first.
 */
const UNITS: RoadUnit[] = [...FLEET, ['BJ-09', 'SX3', 30_000, 'down'], ['BJ-10', 'SX4', 25_000, 'down']];

/** A unit's status as the wall's map draws it (the unit layer's GeoJSON source). */
function unitStatusOnMap(page: Page, unitId: string): Promise<string | null> {
  return page.evaluate((id) => {
    const map = (document.querySelector('.map-canvas') as WallMapElement).beaconMap;
    const feature = map.querySourceFeatures('units').find((f) => f.properties.id === id);
    return feature ? String(feature.properties.status) : null;
  }, unitId);
}

async function waitForUnitStatus(page: Page, unitId: string, status: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while ((await unitStatusOnMap(page, unitId)) !== status) {
    if (Date.now() > deadline) throw new Error(`${unitId} never showed as ${status} on the wall's map`);
    await page.waitForTimeout(200);
  }
}

/** The patrol terminal has its own browser test, which also takes docs/patrol.png. */
describe('the wall and the console in real Chromium', () => {
  let stack: TestStack;
  let browser: Chromium;

  beforeAll(async () => {
    ({ stack, browser } = await startBrowserStack({ config: { healthPushMs: 200 } }));
    const batch = await seedUnitsOnRoad(stack, UNITS);
    expect(batch).toMatchObject({ ok: true, data: { accepted: UNITS.length } });
  });

  afterAll(() => stopBrowserStack(browser, stack));

  it('shows a new incident, lets a dispatcher assign a unit, and the wall and patrol terminal follow', async () => {
    const pageErrors: string[] = [];
    const wall = await openPage(browser.context, pageErrors);
    // The wall runs on its display link; the token leaves the address bar at once, its settings stay. A red
    // fog below opens a P1 (severe weather): a short hold lets the wall return to the overview for the picture.
    await wall.goto(`${await displayLink(stack, 'wall-main')}&hold=4`);
    await waitForMap(wall);
    expect(wall.url()).toBe(`${stack.baseUrl}/?hold=4`);
    await waitForUnitStatus(wall, 'BJ-07', 'available');
    await expect(wall.locator('[data-testid="schematic-label"]').textContent()).resolves.toContain('示意路网');
    // Feed health: the fleet gateway is the one device online so far.
    const online = wall.locator('[data-testid="feed-health"] [data-health="devices-online"]');
    await online.and(wall.locator('[data-value="1"]')).waitFor();
    await expect(online.textContent()).resolves.toMatch(/在线设备\s*1\/1/);

    const device = await stack.ingestSocket('CAM-SX1-07', 'camera');
    const detection = await device.emitWithAck('pedestrian:detected', {
      eventId: 'walk-on-1',
      ts: Date.now(),
      ...onRoad(stack, 'SX1', 20_000, 'up'),
      confidence: 0.94,
      cameraId: 'CAM-SX1-07',
      direction: 'up',
    });
    expect(detection).toMatchObject({ ok: true, data: { accepted: 1 } });
    const incidentRow = wall.locator('[data-testid="incident-list"] [data-incident-id]').first();
    await incidentRow.waitFor();
    await online.and(wall.locator('[data-value="2"]')).waitFor();
    const incidentId = await incidentRow.getAttribute('data-incident-id');
    expect(incidentId).toMatch(/^INC-\d{8}-0001$/);
    await expect(incidentRow.textContent()).resolves.toContain('高速行人闯入');

    const consolePage = await openPage(browser.context, pageErrors);
    const dispatcher = await addPerson(stack, {
      username: 'wang.wei',
      password: 'dispatch-pass-1',
      displayName: '王伟',
      role: 'dispatcher',
    });
    await signInOnConsole(consolePage, stack.baseUrl, dispatcher);
    await expect(consolePage.locator('[data-testid="session-badge"]').textContent()).resolves.toMatch(
      /王伟\s*调度员\s*毕节市/,
    );
    await waitForMap(consolePage);
    await consolePage.locator(`[data-incident-id="${incidentId}"]`).first().click();
    const firstCandidate = consolePage.locator('[data-testid="candidates"] li').first();
    await firstCandidate.waitFor();
    const detail = consolePage.locator('[data-testid="incident-detail"]');
    await expect(detail.locator('[data-testid="incident-stake"]').textContent()).resolves.toContain('SX1 K20+000 上行');
    const unitId = await firstCandidate.getAttribute('data-unit-id');
    expect(unitId).toBe('BJ-07');
    await expect(firstCandidate.locator('[data-testid="drive-time"]').textContent()).resolves.toMatch(
      /\d+(\.\d)? 分钟/,
    );
    // The closest unit by air is across the median: listed lower, and the console says why.
    const across = consolePage.locator('[data-testid="candidates"] li[data-unit-id="BJ-03"]');
    await expect(across.locator('[data-testid="reason"]').textContent()).resolves.toMatch(/对向车道，经.+掉头/);
    await firstCandidate.locator('button').click();
    await consolePage.locator('[data-testid="toast"]').filter({ hasText: 'BJ-07' }).waitFor();
    await consolePage.locator('[data-testid="assigned-unit"]').filter({ hasText: 'BJ-07' }).waitFor();

    await waitForUnitStatus(wall, 'BJ-07', 'dispatched');

    // The console's feed-health view lists each device with its rate; the map comes back unharmed.
    await consolePage.locator('[data-testid="view-health"]').click();
    const cameraRow = consolePage.locator('[data-testid="feed-health-details"] [data-device-id="CAM-SX1-07"]');
    await expect(cameraRow.textContent()).resolves.toContain('摄像机');
    await consolePage.locator('.views button').first().click();
    await waitForMap(consolePage);
    await wall.waitForSelector(
      `[data-testid="incident-list"] [data-incident-id="${incidentId}"][data-state="dispatched"]`,
    );

    const patrol = await openPage(browser.context, pageErrors);
    await patrol.setViewportSize({ width: 430, height: 900 });
    await patrol.goto(`${stack.baseUrl}/patrol/BJ-07`);
    // The crew signs the terminal in with its device key (test/browser/patrol-terminal.test.ts covers the rest).
    await patrol
      .locator('[data-testid="login-key"]')
      .fill(await stack.provisionDevice('CAR-BJ-07', 'patrol', { unitId: 'BJ-07' }));
    await patrol.locator('[data-testid="login-submit"]').click();
    await patrol.locator(`[data-testid="assignment"][data-incident-id="${incidentId}"]`).waitFor();
    await patrol.locator('[data-action="acknowledged"]').click();
    await patrol.waitForSelector('[data-testid="patrol-status"][data-status="acknowledged"]');

    await waitForUnitStatus(wall, 'BJ-07', 'acknowledged');
    // An acknowledgement stamps the incident; it stays 派单 (dispatched) until the crew sets off.
    await expect(
      wall.locator(`[data-testid="incident-list"] [data-incident-id="${incidentId}"]`).getAttribute('data-state'),
    ).resolves.toBe('dispatched');

    // The English toggle switches the visible language.
    await patrol.locator('.lang-toggle').click();
    await patrol.locator('[data-testid="patrol-status"]').filter({ hasText: 'Acknowledged' }).waitFor();

    // A second, fresh incident so the screenshot also shows one pulsing and awaiting dispatch.
    await device.emitWithAck('pedestrian:detected', {
      eventId: 'walk-on-2',
      ts: Date.now(),
      ...onRoad(stack, 'SX2', 45_000, 'down'),
      confidence: 0.88,
      cameraId: 'CAM-SX2-06',
      direction: 'down',
    });
    await wall.locator('[data-testid="incident-list"] [data-state="received"]').first().waitFor();
    // The console shows the new incident with its ranked units and the best one's route.
    const fresh = consolePage.locator('[data-testid="incident-list"] [data-state="received"]').first();
    await fresh.click();
    await consolePage.locator('[data-testid="candidates"] li').first().waitFor();

    // Fog at three stations, two readings each (a level moves on the second): red closes WS-06's section.
    const stations = await stack.ingestSocket('WS-GATEWAY', 'weather');
    const fog: [stationId: string, visibilityM: number][] = [
      ['WS-06', 40],
      ['WS-02', 150],
      ['WS-11', 400],
    ];
    // Five hours of clear readings first, every half hour, visibility falling and the road cooling: the trend.
    for (const [s, [stationId]] of fog.entries()) {
      for (let step = 10; step >= 1; step -= 1) {
        const ack = await stations.emitWithAck('weather:observed', {
          eventId: `${stationId}-trend-${step}`,
          ts: Date.now() - step * 30 * 60_000,
          stationId,
          visibilityM: 600 + step * 300 + s * 200,
          roadSurfaceTempC: 2 + step * 0.6 + s,
        });
        expect(ack).toMatchObject({ ok: true, data: { accepted: 1 } });
      }
    }
    for (const [stationId, visibilityM] of fog) {
      for (const ageMs of [60_000, 0]) {
        const ack = await stations.emitWithAck('weather:observed', {
          eventId: `${stationId}-${ageMs}`,
          ts: Date.now() - ageMs,
          stationId,
          visibilityM,
        });
        expect(ack).toMatchObject({ ok: true, data: { accepted: 1 } });
      }
    }
    const warnings = wall.locator('[data-testid="weather-alerts"] li');
    await wall.locator('[data-testid="weather-alerts"] li[data-station-id="WS-11"]').waitFor();
    await expect(warnings.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-level')))).resolves.toEqual([
      'red',
      'orange',
      'yellow',
    ]);
    await expect(warnings.nth(0).textContent()).resolves.toMatch(
      /大雾红色预警.*WS-06.*SX2 K65\+844–K75\+844.*封闭路段/,
    );
    await expect(warnings.nth(1).textContent()).resolves.toContain('限速 60 km/h，车距 100 m');
    // The stations under warning get their visibility and road-temperature trends, most severe first.
    const trend = wall.locator(
      '[data-testid="weather-trend-panel"] [data-testid="chart-weather-trend"][data-stations="WS-06,WS-02,WS-11"]',
    );
    await trend.waitFor({ timeout: 15_000 });
    await expect(trend.getAttribute('data-points').then(Number)).resolves.toBeGreaterThanOrEqual(3 * 11);
    await expect(wall.locator('[data-testid="weather-trend-panel"]').textContent()).resolves.toMatch(
      /预警站点趋势.*近6小时.*WS-06.*能见度.*路面温度/,
    );
    // It took the response-time chart's place while the warnings are up.
    await expect(wall.locator('[data-testid="chart-response"]').count()).resolves.toBe(0);
    await consolePage.evaluate(() => new Promise((r) => setTimeout(r, 1200)));
    // The red fog's P1 took the wall for its hold; the picture is of the overview once it is back.
    await wall.locator('[data-testid="attention-card"]').waitFor({ state: 'detached', timeout: 30_000 });
    await wall
      .locator('[data-testid="kpi-response"] .sub')
      .filter({ hasText: /\d\d:\d\d/ })
      .waitFor();
    const settle = () =>
      wall.evaluate(async () => {
        const map = (document.querySelector('.map-canvas') as WallMapElement).beaconMap;
        while (map.isMoving()) await new Promise((r) => setTimeout(r, 100));
        await document.fonts.ready;
        await new Promise((r) => setTimeout(r, 800));
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      });
    await settle();
    fs.mkdirSync(screenshotDir, { recursive: true });
    await wall.screenshot({ path: path.join(screenshotDir, 'wall.png') });
    await consolePage.screenshot({ path: path.join(screenshotDir, 'console.png') });
    // The same wall on a 4K screen: the 1920×1080 design scaled by its rem, redrawn crisp (no transform zoom).
    await wall.setViewportSize({ width: 3840, height: 2160 });
    await settle();
    const overflow = await wall.evaluate(() => ({
      x: document.documentElement.scrollWidth - window.innerWidth,
      y: document.documentElement.scrollHeight - window.innerHeight,
      rem: parseFloat(getComputedStyle(document.documentElement).fontSize),
    }));
    expect(overflow).toEqual({ x: 0, y: 0, rem: 32 });
    // Map symbols grow with the rem too (a unit's dot is 7 px at 1080p): readable from the same distance.
    await expect(
      wall.evaluate(() =>
        (document.querySelector('.map-canvas') as WallMapElement).beaconMap.getPaintProperty(
          'units-dot',
          'circle-radius',
        ),
      ),
    ).resolves.toBe(14);
    await wall.screenshot({ path: path.join(screenshotDir, 'wall-4k.png') });
    await wall.setViewportSize({ width: 1920, height: 1080 });

    expect(pageErrors).toEqual([]);
  });
});
