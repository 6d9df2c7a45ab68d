import { provisionDemoDevices } from '../../scripts/lib/demo-devices.ts';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { Ack, Incident, Unit, UnitStatus } from '@beacon/shared';
import {
  DEMO_CREWED_UNITS,
  createDeviceClient,
  mulberry32,
  silentLogger,
  startDemo,
  type Demo,
  type SimLogger,
} from '@beacon/simulators';
import { manualClock, nextEvent, startTestStack, type OpsSocket, type TestStack } from '../helpers/stack.ts';

const regionDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../regions/bijie');
const UNIT_IDS = Array.from({ length: 12 }, (_, i) => `BJ-${String(i + 1).padStart(2, '0')}`);

function data<T>(ack: Ack<T>): T {
  if (!ack.ok) throw new Error(`${ack.error.code}: ${ack.error.message}`);
  return ack.data;
}

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

  it('plays the crews of BJ-02 … BJ-12 through a whole dispatch, and leaves BJ-01 to a person', async () => {
    const clock = manualClock(Date.parse('2026-11-25T08:00:00+08:00'));
    stack = await startTestStack({ clock });
    const credentials = await provisionDemoDevices(stack.app.devices, clock.now());
    expect(Object.keys(credentials.terminals ?? {})).toEqual(UNIT_IDS.slice(1));
    expect(DEMO_CREWED_UNITS[0]).toEqual({ unitId: 'BJ-02', deviceId: 'CAR-BJ-02' });
    expect((await stack.app.devices.listDevices()).map((d) => d.deviceId)).not.toContain('CAR-BJ-01');

    const wall = await stack.opsSocket();
    const statuses = new Map<string, UnitStatus[]>();
    wall.on('unit:updated', (unit: Unit) => {
      const seen = statuses.get(unit.id) ?? [];
      if (seen[seen.length - 1] !== unit.status) seen.push(unit.status);
      statuses.set(unit.id, seen);
    });
    demo = await startDemo({
      credentials,
      serverUrl: stack.baseUrl,
      regionDir,
      clock,
      random: mulberry32(7),
      tickMs: 20,
      speed: 20,
      log: silentLogger,
      statsEveryMs: 0,
    });
    await demo.connected();

    // The walk-on due 5 s after the start; the dispatcher sends the best crewed car, and BJ-01 to a second incident.
    const created = nextEvent<Incident>(wall, 'incident:created');
    clock.advance(5_000);
    const incident = await created;
    await stack.settled();
    const { candidates } = data(await wall.emitWithAck('dispatch:recommend', { incidentId: incident.id, limit: 20 }));
    const unitId = candidates.find((c) => c.unitId !== 'BJ-01')!.unitId;
    data(await wall.emitWithAck('dispatch:assign', { incidentId: incident.id, unitId }));
    const other = data(
      await wall.emitWithAck('incident:create', { type: 'road_hazard', lon: incident.lon, lat: incident.lat + 0.02 }),
    ).incident;
    data(await wall.emitWithAck('dispatch:assign', { incidentId: other.id, unitId: 'BJ-01' }));

    // Clock time moves in 15-s steps; after each, the crews act on their next demo tick.
    await advanceUntil(
      clock,
      wall,
      (u) => u.id === unitId && u.status === 'available' && statuses.get(unitId)!.length > 2,
    );
    expect(statuses.get(unitId)).toEqual([
      'available',
      'dispatched',
      'acknowledged',
      'en_route',
      'on_scene',
      'returning',
      'available',
    ]);
    const closed = data(await wall.emitWithAck('incident:timeline', { incidentId: incident.id })).incident;
    expect(closed).toMatchObject({ state: 'closed', unitId });
    expect(closed.acknowledgedAt).not.toBeNull();
    expect(closed.arrivedAt).not.toBeNull();
    expect(demo.stats().crews).toMatchObject({
      acknowledged: 1,
      enRoute: 1,
      onScene: 1,
      cleared: 1,
      backInService: 1,
      refused: 0,
    });

    // Nobody answers for BJ-01: it is still waiting for its crew to acknowledge.
    const snapshot = data(await wall.emitWithAck('situation:snapshot', {}));
    expect(snapshot.units.find((u) => u.id === 'BJ-01')).toMatchObject({ status: 'dispatched', incidentId: other.id });
    expect(statuses.get('BJ-01')).toEqual(['available', 'dispatched']);
  }, 60_000);

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

/**
 * Advance the clock 15 s at a time until a `unit:updated` satisfies `done`; each step waits for the demo's
 * next GPS batch (`units:moved`), so the crews have had a tick at the new time.
 */
async function advanceUntil(
  clock: ReturnType<typeof manualClock>,
  wall: OpsSocket,
  done: (unit: Unit) => boolean,
  maxSteps = 400,
): Promise<void> {
  let finished = false;
  const listener = (unit: Unit) => {
    if (done(unit)) finished = true;
  };
  wall.on('unit:updated', listener);
  try {
    for (let step = 0; step < maxSteps && !finished; step += 1) {
      clock.advance(15_000);
      await nextEvent(wall, 'units:moved');
      await nextEvent(wall, 'units:moved');
    }
  } finally {
    wall.off('unit:updated', listener);
  }
  if (!finished) throw new Error(`no unit reached the awaited state in ${maxSteps} steps`);
}
