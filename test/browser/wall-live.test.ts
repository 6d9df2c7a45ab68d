import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { systemClock, type Incident } from '@beacon/shared';
import { createApp, createLogger, parseConfig, type App } from '@beacon/server';
import { openPage, waitForMap, type Chromium } from '../helpers/browser.ts';
import { screenshotDir, startBrowserStack } from '../helpers/browser-stack.ts';
import type { WallMapElement } from './wall-map.ts';
import { ensureClientBuilt } from '../helpers/client-build.ts';
import type { OpsSocket, TestStack } from '../helpers/stack.ts';
import { displayLink } from '../helpers/access.ts';
import { FLEET, onRoad, seedUnitsOnRoad } from '../helpers/road-units.ts';

interface MapView {
  lon: number;
  lat: number;
  zoom: number;
  moving: boolean;
  /** The view's west, south, east, north edges. */
  bounds: [number, number, number, number];
}

/** The camera of the wall's map, read through the element SituationMap exposes it on. */
function mapView(page: Page): Promise<MapView> {
  return page.evaluate(() => {
    const map = (document.querySelector('.map-canvas') as WallMapElement).beaconMap;
    const c = map.getCenter();
    const b = map.getBounds();
    return {
      lon: c.lng,
      lat: c.lat,
      zoom: map.getZoom(),
      moving: map.isMoving(),
      bounds: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()] as [number, number, number, number],
    };
  });
}

/** The features of one of the wall's GeoJSON sources as MapLibre holds them for drawing, by id. */
function sourceFeatures(page: Page, source: string): Promise<Record<string, { coords: number[]; props: object }>> {
  return page.evaluate((sourceId) => {
    const map = (document.querySelector('.map-canvas') as WallMapElement).beaconMap;
    const out: Record<string, { coords: number[]; props: object }> = {};
    for (const f of map.querySourceFeatures(sourceId)) {
      const id = String(f.properties.id ?? f.properties.stationId);
      out[id] = { coords: f.geometry.coordinates as number[], props: f.properties };
    }
    return out;
  }, source);
}

async function settledView(page: Page, accept: (view: MapView) => boolean, timeoutMs = 30_000): Promise<MapView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const view = await mapView(page);
    if (!view.moving && accept(view)) return view;
    if (Date.now() > deadline) throw new Error(`the map did not settle as expected: ${JSON.stringify(view)}`);
    await page.waitForTimeout(200);
  }
}

async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out; last value ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('the wall in real Chromium: offline map, live layers, preemption, stale banner', () => {
  let stack: TestStack;
  let restarted: App | null = null;
  let browser: Chromium;
  let dispatcher: OpsSocket;
  let wall: Page;
  const requests: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    ({ stack, browser } = await startBrowserStack({ config: { healthPushMs: 500 } }));
    const ack = await seedUnitsOnRoad(stack, FLEET);
    expect(ack).toMatchObject({ ok: true });
    dispatcher = await stack.opsSocket({ role: 'dispatcher' });

    wall = await openPage(browser.context, pageErrors);
    wall.on('request', (request) => requests.push(request.url()));
    wall.on('websocket', (socket) => requests.push(socket.url()));
    // A short hold so the test sees the wall come back; the default is 30 s.
    await wall.goto(`${await displayLink(stack, 'wall-live')}&hold=6`);
    await waitForMap(wall);
  });

  afterAll(async () => {
    await browser?.close();
    if (restarted) {
      await restarted.close().catch(() => undefined);
      stack.redis.disconnect();
      await stack.redisServer.stop();
    } else {
      await stack?.stop();
    }
  });

  it('draws the basemap and the live layers offline, and moves units as GPS arrives', async () => {
    const units = await eventually(
      () => sourceFeatures(wall, 'units'),
      (u) => Object.keys(u).length === FLEET.length,
    );
    expect(Object.keys(units).sort()).toEqual(FLEET.map(([id]) => id).sort());
    await expect(wall.locator('[data-testid="kpi-available"] .value').textContent()).resolves.toContain(
      String(FLEET.length),
    );

    // A unit drives 2 km on: the map's source follows.
    const fleet = await stack.ingestSocket('browser-fleet-2', 'patrol');
    const moved = onRoad(stack, 'SX1', 5_000, 'up');
    const moveAck = await fleet.emitWithAck('gps:reported', {
      eventId: 'move-1',
      ts: Date.now(),
      unitId: 'BJ-01',
      ...moved,
      speedKmh: 90,
      headingDeg: 45,
    });
    expect(moveAck).toMatchObject({ ok: true, data: { accepted: 1 } });
    await eventually(
      () => sourceFeatures(wall, 'units'),
      // Tile coordinates are quantised (a few metres at this zoom); the fix is 2 km from the last one.
      (u) =>
        Math.abs((u['BJ-01']?.coords[0] ?? 0) - moved.lon) < 2e-3 &&
        (u['BJ-01']?.props as { heading: number }).heading === 45,
    );
    // A fleet this small shows its heading arrows at the region overview too (a large one from county zoom on).
    const headingMinZoom = await wall.evaluate(
      () => (document.querySelector('.map-canvas') as WallMapElement).beaconMap.getLayer('units-heading')?.minzoom,
    );
    expect(headingMinZoom ?? 0).toBe(0);

    // A P3 incident appears on the incident layer (it does not take the wall over).
    const p3 = await dispatcher.emitWithAck('incident:create', {
      type: 'road_hazard',
      ...onRoad(stack, 'SX2', 40_500, 'up'),
    });
    expect(p3.ok).toBe(true);
    const hazardId = p3.ok ? p3.data.incident.id : '';
    await eventually(
      () => sourceFeatures(wall, 'incidents'),
      (f) => hazardId in f,
    );
    await expect(wall.locator('[data-testid="attention-card"]').count()).resolves.toBe(0);
    // Each incident type has a glyph of its own over the priority's colour, the hazard's among them.
    const hazard = (await sourceFeatures(wall, 'incidents'))[hazardId]!.props as { type: string; priority: string };
    expect(hazard).toMatchObject({ type: 'road_hazard', priority: 'P3' });
    const glyphs = await wall.evaluate(() => {
      const map = (document.querySelector('.map-canvas') as WallMapElement).beaconMap;
      const types = [
        'pedestrian',
        'severe_weather',
        'traffic_accident',
        'illegal_operation',
        'road_hazard',
        'work_order',
      ];
      return types.filter((type) => map.hasImage(`incident-${type}`));
    });
    expect(glyphs).toHaveLength(6);
    // The region's 50 roadside cameras are a layer of their own.
    const cameras = await sourceFeatures(wall, 'cameras');
    expect(Object.keys(cameras)).toHaveLength(50);
    expect(Object.keys(cameras)).toContain('CAM-SX1-01');
    // The statistics panels answered (today's figures, asked over the wall's own read-only connection).
    await wall
      .locator('[data-testid="kpi-closure"] .sub')
      .filter({ hasText: /目标 95%/ })
      .waitFor();
  });

  it('flies to a new P1 with its stake and three best units, queues the next, and returns to the overview', async () => {
    const overview = await settledView(wall, () => true);
    const create = async (m: number): Promise<Incident> => {
      const ack = await dispatcher.emitWithAck('incident:create', {
        type: 'traffic_accident',
        priority: 'P1',
        ...onRoad(stack, 'SX1', m, 'up'),
        direction: 'up',
      });
      if (!ack.ok) throw new Error(ack.error.message);
      return ack.data.incident;
    };
    const first = await create(20_000);
    const second = await create(60_000);

    const card = wall.locator(`[data-testid="attention-card"][data-incident-id="${first.id}"]`);
    await card.waitFor();
    await expect(card.locator('[data-testid="attention-stake"]').textContent()).resolves.toContain('SX1 K20+000');
    const units = card.locator('[data-testid="attention-units"] li');
    await units.nth(2).waitFor();
    await expect(units.count()).resolves.toBe(3);
    // Ranked by drive time on the road graph: BJ-07 is 2 km behind on the same carriageway.
    await expect(units.first().getAttribute('data-unit-id')).resolves.toBe('BJ-07');
    await expect(units.first().locator('[data-testid="attention-drive"]').textContent()).resolves.toMatch(
      /\d+(\.\d)? 分钟/,
    );
    await expect(card.locator('[data-testid="attention-queued"]').textContent()).resolves.toContain('1');

    // Zoomed in on it, in the part of the map the card leaves free (left of the centre).
    const focused = await settledView(wall, (v) => v.zoom > overview.zoom + 2);
    const [west, south, east, north] = focused.bounds;
    expect(first.lon).toBeGreaterThan(west);
    expect(first.lon).toBeLessThan((west + east) / 2);
    expect(first.lat).toBeGreaterThan(south);
    expect(first.lat).toBeLessThan(north);
    await wall.evaluate(() => document.fonts.ready);
    fs.mkdirSync(screenshotDir, { recursive: true });
    await wall.screenshot({ path: path.join(screenshotDir, 'wall-attention.png') });

    // The hold ends: the queued P1 takes its turn, then the wall goes back to the whole region.
    await wall.locator(`[data-testid="attention-card"][data-incident-id="${second.id}"]`).waitFor({ timeout: 15_000 });
    await settledView(
      wall,
      (v) => v.zoom > overview.zoom + 2 && second.lon > v.bounds[0] && second.lon < (v.bounds[0] + v.bounds[2]) / 2,
    );
    await wall.locator('[data-testid="attention-card"]').waitFor({ state: 'detached', timeout: 15_000 });
    const back = await settledView(wall, (v) => v.zoom < overview.zoom + 0.5);
    expect(Math.abs(back.lon - overview.lon)).toBeLessThan(0.05);
  });

  it('shows the stale banner and the data age while the server is down, and clears both when it returns', async () => {
    await expect(wall.locator('[data-testid="stale-banner"]').count()).resolves.toBe(0);
    await stack.app.close();
    const banner = wall.locator('[data-testid="stale-banner"][data-reason="offline"]');
    await banner.waitFor({ timeout: 20_000 });
    await expect(banner.textContent()).resolves.toMatch(/连接已中断.*数据可能不是最新/);
    await expect(wall.locator('[data-testid="data-age"]').count()).resolves.toBeGreaterThan(3);

    // The same server comes back on the same address: the wall reconnects by itself and catches up.
    const config = parseConfig({
      redisUrl: stack.redisServer.url,
      port: stack.port,
      host: '127.0.0.1',
      tickMs: 50,
      pipelineBlockMs: 100,
      sweepMs: 600_000,
      logLevel: 'silent',
      clientDist: ensureClientBuilt(),
    });
    restarted = createApp({ redis: stack.redis, clock: systemClock, config, log: createLogger('silent') });
    await restarted.listen();
    await banner.waitFor({ state: 'detached', timeout: 30_000 });
    await expect(wall.locator('[data-testid="data-age"]').count()).resolves.toBe(0);
    await wall.locator('[data-testid="connection"][data-state="connected"]').waitFor();
  });

  it('never asked anything of a machine other than this one', () => {
    const origin = stack.baseUrl.replace('http://', '');
    const outside = requests.filter((url) => {
      if (url.startsWith('data:') || url.startsWith('blob:')) return false;
      return new URL(url).host !== origin;
    });
    expect(requests.length).toBeGreaterThan(10);
    expect(outside).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
