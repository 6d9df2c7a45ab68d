import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { Ack } from '@beacon/shared';
import { loadRegion, mulberry32, silentLogger, startLoad, type LoadGenerator } from '@beacon/simulators';
import { manualClock, startTestStack, type TestStack } from '../helpers/stack.ts';

const regionDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../regions/bijie');

function data<T>(ack: Ack<T>): T {
  if (!ack.ok) throw new Error(`${ack.error.code}: ${ack.error.message}`);
  return ack.data;
}

describe('load mode', () => {
  let stack: TestStack | undefined;
  let load: LoadGenerator | undefined;
  afterEach(async () => {
    await load?.stop();
    await stack?.stop();
  });

  it('puts the requested number of distinct units and stations on the server through the device protocol', async () => {
    const clock = manualClock(Date.parse('2026-11-25T10:00:00+08:00'));
    stack = await startTestStack({ clock });
    const device = async (deviceId: string, kind: 'patrol' | 'weather') => ({
      deviceId,
      key: await stack!.provisionDevice(deviceId, kind),
    });
    const { corridors } = await loadRegion(regionDir);
    load = startLoad({
      serverUrl: stack.baseUrl,
      corridors,
      clock,
      random: mulberry32(9),
      log: silentLogger,
      units: 2_500,
      stations: 120,
      ratePerS: 1,
      gateways: [await device('load-gps-1', 'patrol'), await device('load-gps-2', 'patrol')],
      weather: [await device('load-wx-1', 'weather')],
      runId: 'load-test',
    });
    await load.connected();

    await load.tick();
    clock.advance(1_000);
    await load.tick();
    // Half a second later nothing is due: one fix per unit and one reading per station each second.
    clock.advance(500);
    await load.tick();
    await stack.settled(30_000);

    expect(load.stats()).toMatchObject({ sent: 2 * 2_620, accepted: 2 * 2_620, rejected: 0, failed: 0, dropped: 0 });
    const ops = await stack.opsSocket();
    const units = data(await ops.emitWithAck('situation:snapshot', {})).units;
    expect(units).toHaveLength(2_500);
    expect(new Set(units.map((u) => u.id)).size).toBe(2_500);
    expect(units.every((u) => /^LD-\d{4}$/.test(u.id) && u.lastFixAt === clock.now() - 500)).toBe(true);
    const health = data(await ops.emitWithAck('health:snapshot', {}));
    const stations = health.stations.filter((s) => s.stationId.startsWith('LD-WS-'));
    expect(new Set(stations.map((s) => s.stationId)).size).toBe(120);
    // Both GPS gateways carried a share of the fleet.
    const byDevice = new Map(health.devices.map((d) => [d.deviceId, d.accepted]));
    expect(byDevice.get('load-gps-1')! + byDevice.get('load-gps-2')!).toBe(5_000);
    expect(byDevice.get('load-gps-1')).toBeGreaterThan(1_000);
    expect(byDevice.get('load-wx-1')).toBe(240);
  }, 60_000);

  it('refuses a fleet without gateways', () => {
    expect(() =>
      startLoad({
        serverUrl: 'http://127.0.0.1:1',
        corridors: [],
        clock: manualClock(),
        random: mulberry32(1),
        log: silentLogger,
        units: 10,
        stations: 0,
        ratePerS: 1,
        gateways: [],
        weather: [],
        runId: 'x',
      }),
    ).toThrow(/at least one GPS gateway/);
  });
});
