import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPage, waitForMap, type Chromium } from '../helpers/browser.ts';
import { screenshotDir, startBrowserStack, stopBrowserStack } from '../helpers/browser-stack.ts';
import type { OpsSocket, TestStack } from '../helpers/stack.ts';
import { displayLink } from '../helpers/access.ts';
import { onRoad, seedUnitsOnRoad, type RoadUnit } from '../helpers/road-units.ts';
const UNIT = 'BJ-07';

/** Poll until `read` gives a value that passes `accept` (no sleeps where an event can be awaited, but Redis has none). */
async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met in time; last value ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('the patrol terminal in real Chromium', () => {
  let stack: TestStack;
  let browser: Chromium;
  let desk: OpsSocket;

  beforeAll(async () => {
    ({ stack, browser } = await startBrowserStack());
    // A few other cars on the map; BJ-07 itself appears from the terminal's own geolocation.
    const others: RoadUnit[] = [
      ['BJ-01', 'SX1', 3_000, 'up'],
      ['BJ-03', 'SX1', 24_000, 'down'],
      ['BJ-04', 'SX2', 40_000, 'up'],
    ];
    await seedUnitsOnRoad(stack, others, { speedKmh: null });
    desk = await stack.opsSocket();
  });

  afterAll(() => stopBrowserStack(browser, stack));

  it('logs in with the device key, rings for an assignment, reports each step and sends its GPS', async () => {
    const pageErrors: string[] = [];
    const wall = await openPage(browser.context, pageErrors);
    // The wide layout (tiled video walls) keeps the board of units by callsign that this test reads.
    await wall.goto(`${await displayLink(stack, 'wall-patrol')}&layout=wide`);
    await waitForMap(wall);
    const wallUnit = (status: string) =>
      wall.waitForSelector(`[data-testid="unit-board"] [data-unit-id="${UNIT}"][data-status="${status}"]`);

    const key = await stack.provisionDevice(`CAR-${UNIT}`, 'patrol', { unitId: UNIT });
    const otherKey = await stack.provisionDevice('CAR-BJ-01', 'patrol', { unitId: 'BJ-01' });
    const start = onRoad(stack, 'SX1', 18_000, 'up');
    await browser.context.grantPermissions(['geolocation'], { origin: stack.baseUrl });
    await browser.context.setGeolocation({ longitude: start.lon, latitude: start.lat, accuracy: 10 });

    const patrol = await openPage(browser.context, pageErrors);
    await patrol.setViewportSize({ width: 430, height: 900 });
    await patrol.goto(`${stack.baseUrl}/patrol/${UNIT}`);

    // Login: the device id is prefilled; a wrong key says UNAUTHORIZED, another car's key is refused too.
    const login = patrol.locator('[data-testid="patrol-login"]');
    await expect(login.locator('[data-testid="login-device"]').inputValue()).resolves.toBe(`CAR-${UNIT}`);
    await login.locator('[data-testid="login-key"]').fill('bk_not-the-key');
    await login.locator('[data-testid="login-submit"]').click();
    await expect(login.locator('[data-testid="login-error"]').textContent()).resolves.toMatch(
      /设备编号或密钥错误.*UNAUTHORIZED/,
    );
    await login.locator('[data-testid="login-device"]').fill('CAR-BJ-01');
    await login.locator('[data-testid="login-key"]').fill(otherKey);
    await login.locator('[data-testid="login-submit"]').click();
    await expect(login.locator('[data-testid="login-error"]').textContent()).resolves.toContain(
      `此设备不是 ${UNIT} 的车载终端`,
    );
    await login.locator('[data-testid="login-device"]').fill(`CAR-${UNIT}`);
    await login.locator('[data-testid="login-key"]').fill(key);
    await login.locator('[data-testid="login-submit"]').click();
    await patrol.waitForSelector('[data-testid="device-bar"][data-link="connected"]');
    await expect(patrol.evaluate((unit) => localStorage.getItem(`beacon.patrol.${unit}`), UNIT)).resolves.toContain(
      `CAR-${UNIT}`,
    );

    // Geolocation: the browser's position becomes the unit's GPS, and moving moves it.
    await patrol.locator('[data-testid="gps-toggle"]').click();
    await patrol.waitForSelector('[data-testid="gps"]:not([data-sent-at=""])');
    await eventually(
      () => stack.redis.hget(`beacon:unit:${UNIT}`, 'lon'),
      (lon) => lon !== null && Math.abs(Number(lon) - start.lon) < 1e-6,
    );
    await wallUnit('available');
    const moved = onRoad(stack, 'SX1', 18_600, 'up');
    await browser.context.setGeolocation({ longitude: moved.lon, latitude: moved.lat, accuracy: 10 });
    await eventually(
      () => stack.redis.hget(`beacon:unit:${UNIT}`, 'lon'),
      (lon) => lon !== null && Math.abs(Number(lon) - moved.lon) < 1e-6,
    );
    await expect(patrol.locator('[data-testid="gps-status"]').textContent()).resolves.toMatch(
      /最近上报 \d\d:\d\d:\d\d/,
    );

    // A walk-on ahead; the dispatcher sends BJ-07. The terminal rings and flashes until acknowledged.
    const camera = await stack.ingestSocket('CAM-SX1-07', 'camera');
    await camera.emitWithAck('pedestrian:detected', {
      eventId: 'walk-on-1',
      ts: Date.now(),
      ...onRoad(stack, 'SX1', 20_000, 'up'),
      confidence: 0.94,
      cameraId: 'CAM-SX1-07',
      direction: 'up',
    });
    await stack.settled();
    const snapshot = await desk.emitWithAck('situation:snapshot', {});
    if (!snapshot.ok) throw new Error(snapshot.error.message);
    const incidentId = snapshot.data.incidents[0]!.id;
    expect(await desk.emitWithAck('dispatch:assign', { incidentId, unitId: UNIT })).toMatchObject({ ok: true });

    const banner = patrol.locator('[data-testid="assignment-alert"]');
    await banner.waitFor();
    // The login tap unlocked Web Audio, so the generated tone could play.
    await patrol.waitForSelector('[data-testid="assignment-alert"][data-sound="played"]');
    await expect(banner.textContent()).resolves.toContain('SX1 K20+000 上行');
    await expect(patrol.locator('[data-testid="assignment-stake"]').textContent()).resolves.toBe('SX1 K20+000 上行');
    await expect(patrol.locator('[data-testid="assignment-route"]').textContent()).resolves.toMatch(
      /行车约 [\d.]+ 分钟 · 路程 [\d.]+ 公里/,
    );
    await patrol.waitForSelector('[data-testid="patrol-map"] [data-map-state="loaded"]', { timeout: 60_000 });
    await wallUnit('dispatched');
    await expect(patrol.locator('[data-testid="patrol-timer"]').textContent()).resolves.toMatch(/^\d\d:\d\d$/);

    // One tap per step; the wall follows each one.
    await patrol.locator('[data-action="acknowledged"]').click();
    await banner.waitFor({ state: 'detached' });
    await wallUnit('acknowledged');
    await patrol.locator('[data-action="en_route"]').click();
    await wallUnit('en_route');
    await patrol.waitForSelector('[data-testid="patrol-status"][data-status="en_route"]');
    await patrol.evaluate(() =>
      document.fonts.ready.then(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))),
    );
    fs.mkdirSync(screenshotDir, { recursive: true });
    await patrol.screenshot({ path: path.join(screenshotDir, 'patrol.png') });

    await patrol.locator('[data-action="on_scene"]').click();
    await wallUnit('on_scene');
    await patrol.locator('[data-action="cleared"]').click();
    await wallUnit('returning');
    await wall.waitForSelector(`[data-testid="incident-list"] [data-incident-id="${incidentId}"]`, {
      state: 'detached',
    });
    await patrol.locator('[data-unit-action="available"]').click();
    await wallUnit('available');
    expect(await stack.redis.hget(`beacon:unit:${UNIT}`, 'status')).toBe('available');

    // English on the same screen; the credentials survive a reload; sign-out forgets them.
    await patrol.locator('.lang-toggle').click();
    await patrol.locator('[data-testid="patrol-status"]').filter({ hasText: 'Available' }).waitFor();
    await patrol.reload();
    await patrol.waitForSelector('[data-testid="device-bar"][data-link="connected"]');
    await patrol.locator('[data-testid="sign-out"]').click();
    await patrol.locator('[data-testid="patrol-login"]').waitFor();
    await expect(patrol.evaluate((unit) => localStorage.getItem(`beacon.patrol.${unit}`), UNIT)).resolves.toBeNull();

    expect(pageErrors).toEqual([]);
  });
});
