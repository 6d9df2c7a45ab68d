import { provisionDemoDevices } from '../../scripts/lib/demo-devices.ts';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { Incident, Unit } from '@beacon/shared';
import { createDeviceClient, mulberry32, silentLogger, startDemo, type Demo, type SimLogger } from '@beacon/simulators';
import { manualClock, nextEvent, startTestStack, type TestStack } from '../helpers/stack.ts';

const regionDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../regions/bijie');
const UNIT_IDS = Array.from({ length: 12 }, (_, i) => `BJ-${String(i + 1).padStart(2, '0')}`);

describe('demo feed against the real server', () => {
  let stack: TestStack | undefined;
  let demo: Demo | undefined;
  afterEach(async () => {
    await demo?.stop();
    await stack?.stop();
  });

  it('puts the patrols, a pedestrian incident and the weather stations on the server, with nothing rejected', async () => {
    const clock = manualClock(Date.parse('2026-11-25T08:00:00+08:00'));
    stack = await startTestStack({ clock });
    const wall = await stack.opsSocket();
    const seen = new Set<string>();
    const allUnits = new Promise<void>((resolve) => {
      wall.on('unit:updated', (unit: Unit) => {
        seen.add(unit.id);
        if (UNIT_IDS.every((id) => seen.has(id))) resolve();
      });
    });

    demo = await startDemo({
      credentials: await provisionDemoDevices(stack.app.devices, clock.now()),
      serverUrl: stack.baseUrl,
      regionDir,
      clock,
      random: mulberry32(2026),
      tickMs: 50,
      log: silentLogger,
      statsEveryMs: 0,
    });
    await allUnits;

    // The first walk-on is due 5 s of clock time after the start.
    const created = nextEvent<Incident>(wall, 'incident:created');
    clock.advance(5_000);
    const incident = await created;
    expect(incident).toMatchObject({ type: 'pedestrian', state: 'received', detections: 1 });
    expect(incident.cameraId).toMatch(/^CAM-SX\d-\d{2,}$/);

    // Let the patrols move: positions change on the wall.
    const moved = nextEvent<{ positions: { id: string }[] }>(wall, 'units:moved', (b) => b.positions.length > 0);
    clock.advance(1_000);
    await moved;

    const snapshot = await wall.emitWithAck('situation:snapshot', {});
    if (!snapshot.ok) throw new Error(snapshot.error.message);
    expect(snapshot.data.units.map((u) => u.id)).toEqual(UNIT_IDS);
    expect(snapshot.data.units.every((u) => u.status === 'available' && u.speedKmh! >= 60 && u.speedKmh! <= 100)).toBe(
      true,
    );
    expect(snapshot.data.incidents.map((i) => i.id)).toContain(incident.id);

    await demo.stop();
    const stats = demo.stats();
    expect(stats).toMatchObject({ rejected: 0, failed: 0, walkOns: 1 });
    expect(stats.accepted).toBeGreaterThan(12);
    expect(stats.byFeed.weather.accepted).toBe(14);
    expect(await stack.redis.hlen('beacon:weather:latest')).toBe(14);
    const serverStats = (await (
      await fetch(`${stack.baseUrl}/api/v1/stats`, { headers: await stack.authHeaders() })
    ).json()) as { data: { rejected: object } };
    expect(serverStats.data.rejected).toEqual({});
  });

  it('device client counts rejections and duplicates, logs rejections, and survives the server going away', async () => {
    stack = await startTestStack();
    const warnings: string[] = [];
    const log: SimLogger = {
      ...silentLogger,
      warn: (fields, message) => warnings.push(`${message} ${JSON.stringify(fields)}`),
    };
    const key = await stack.provisionDevice('dc-test', 'weather');
    const client = createDeviceClient({ serverUrl: stack.baseUrl, deviceId: 'dc-test', key, log, ackTimeoutMs: 2000 });
    await client.connected();
    const ts = stack.clock.now() - 60_000;

    await client.send('weather:observed', { eventId: 'w1', ts, stationId: 'WS-01', visibilityM: 800 });
    await client.send('weather:observed', { eventId: 'w1', ts, stationId: 'WS-01', visibilityM: 800 });
    await client.send('weather:observed', { eventId: 'w2', ts, stationId: 'WS-01', visibilityM: -5 });
    await client.sendBatch([{ kind: 'weather', eventId: 'g1', ts, stationId: 'WS-02', visibilityM: 900 }]);
    expect(client.stats()).toMatchObject({
      sent: 4,
      accepted: 2,
      duplicates: 1,
      rejected: 1,
      failed: 0,
      connected: true,
    });
    expect(warnings.join('\n')).toMatch(/server rejected simulator input.*"code":"INVALID".*visibilityM/);

    const gone = client.disconnected();
    await stack.app.close();
    await gone;
    await client.sendBatch([{ kind: 'weather', eventId: 'g2', ts, stationId: 'WS-02' }]);
    const queued = client.send('weather:observed', { eventId: 'w3', ts, stationId: 'WS-01' });
    await client.close();
    await queued;
    expect(client.stats()).toMatchObject({ dropped: 2, rejected: 1, connected: false });
  });
});
