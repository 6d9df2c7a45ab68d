import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { haversineM, type Ack, type Incident, type GpsReported, type Unit } from '@beacon/shared';
import {
  createPolyline,
  loadRegion,
  mulberry32,
  nearestOnNetwork,
  pointAt,
  silentLogger,
  startPatrolSimulator,
  terminalDeviceId,
  type PatrolSimulator,
} from '@beacon/simulators';
import { manualClock, startTestStack, type TestStack } from '../helpers/stack.ts';

const regionDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../regions/bijie');
const T0 = Date.parse('2026-11-25T22:00:00+08:00');

function data<T>(ack: Ack<T>): T {
  if (!ack.ok) throw new Error(`${ack.error.code}: ${ack.error.message}`);
  return ack.data;
}

/** Wait (real time, bounded) for a condition that an incoming socket event makes true. */
async function until(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('patrol simulator', () => {
  let stack: TestStack | undefined;
  let sim: PatrolSimulator | undefined;
  afterEach(async () => {
    await sim?.stop();
    await stack?.stop();
  });

  it('completes the full dispatch cycle on its own: acknowledge, drive the route, on scene, cleared, back in service', async () => {
    const clock = manualClock(T0);
    stack = await startTestStack({ clock });
    const { corridors } = await loadRegion(regionDir);
    const unitIds = ['BJ-01', 'BJ-02', 'BJ-03'];
    const terminals: Record<string, { deviceId: string; key: string }> = {};
    for (const unitId of unitIds) {
      const deviceId = terminalDeviceId(unitId);
      terminals[unitId] = { deviceId, key: await stack.provisionDevice(deviceId, 'patrol', { unitId }) };
    }
    sim = startPatrolSimulator({
      serverUrl: stack.baseUrl,
      corridors,
      clock,
      random: mulberry32(9),
      log: silentLogger,
      gateway: { deviceId: 'fleet', key: await stack.provisionDevice('fleet', 'patrol') },
      terminals,
      runId: 'patrol-sim-test',
      patrols: { count: 3 },
      crews: { handlingMs: [60_000, 90_000], backInServiceMs: [20_000, 40_000] },
    });
    await sim.connected();

    const wall = await stack.opsSocket();
    const statuses: string[] = [];
    const states: string[] = [];
    wall.on('unit:updated', (u: Unit) => {
      if (u.id === 'BJ-01') statuses.push(u.status);
    });
    wall.on('incident:updated', (i: Incident) => states.push(i.state));

    await sim.tick();
    await stack.settled();

    // A crash 4 km ahead of BJ-01 on its own corridor (behind it near the corridor's end), and a dispatcher
    // sends BJ-01.
    const car = sim.patrols.unit('BJ-01')!;
    const ahead = car.distanceM + 4_000 * car.direction;
    const scene = pointAt(
      car.corridor,
      ahead > 0 && ahead < car.corridor.lengthM ? ahead : car.distanceM - 4_000 * car.direction,
    );
    const { incident } = data(
      await wall.emitWithAck('incident:create', { type: 'traffic_accident', lon: scene.lon, lat: scene.lat }),
    );
    data(await wall.emitWithAck('dispatch:assign', { incidentId: incident.id, unitId: 'BJ-01' }));
    const { assignment } = data(await wall.emitWithAck('assignment:route', { incidentId: incident.id }));
    expect(assignment?.route?.length).toBeGreaterThan(1);
    await until(() => sim!.crews.phaseOf('BJ-01')?.phase === 'alerted', 'the crew to be alerted');

    // Simulated time runs in 2-s steps; the crew acts on its own.
    let enRouteAt = -1;
    for (let i = 0; i < 1_500 && sim.crews.counts().backInService === 0; i += 1) {
      clock.advance(2_000);
      await sim.tick();
      await sim.crews.idle();
      const phase = sim.crews.phaseOf('BJ-01')!.phase;
      if (process.env.SIM_DEBUG && i % 20 === 0)
        console.log(i, phase, JSON.stringify(sim.patrols.positionOf('BJ-01')), statuses.join());
      if (phase === 'driving' && enRouteAt < 0) enRouteAt = clock.now();
    }
    await until(() => statuses.at(-1) === 'available', 'the unit back in service');

    expect(statuses.slice(statuses.indexOf('dispatched'))).toEqual([
      'dispatched',
      'acknowledged',
      'en_route',
      'on_scene',
      'returning',
      'available',
    ]);
    expect(states).toEqual(expect.arrayContaining(['dispatched', 'en_route', 'on_scene', 'closed']));
    expect(sim.crews.counts()).toMatchObject({
      acknowledged: 1,
      enRoute: 1,
      onScene: 1,
      cleared: 1,
      backInService: 1,
      refused: 0,
    });

    const timeline = data(await wall.emitWithAck('incident:timeline', { incidentId: incident.id }));
    const closed = timeline.incident;
    expect(closed.state).toBe('closed');
    // Human-like: not acknowledged at once, and arriving after a drive of realistic length.
    expect(closed.acknowledgedAt! - closed.assignedAt!).toBeGreaterThanOrEqual(8_000);
    expect(closed.arrivedAt! - closed.acknowledgedAt!).toBeGreaterThan(60_000);
    // Every crew step came from the car's own terminal.
    const crewSteps = timeline.timeline.filter((t) => t.actor === `device:${terminalDeviceId('BJ-01')}`);
    expect(crewSteps.length).toBeGreaterThanOrEqual(3);

    // The GPS followed the route it was given: every fix while driving lies on it (GPS noise aside),
    // and the car reported on scene at the scene.
    const route = createPolyline(assignment!.route!);
    const line = [{ ...route, ref: 'ROUTE', name: 'route' }];
    const fixes = (await stack.redis.xrange('beacon:ingest', '-', '+'))
      .map(([, fields]) => JSON.parse(fields[fields.indexOf('payload') + 1]!) as GpsReported)
      .filter((fix) => fix.unitId === 'BJ-01' && fix.ts > enRouteAt && fix.ts <= closed.arrivedAt!);
    expect(fixes.length).toBeGreaterThan(20);
    for (const fix of fixes) expect(nearestOnNetwork(line, [fix.lon, fix.lat]).offM).toBeLessThan(40);
    const arrived = fixes.at(-1)!;
    expect(haversineM([arrived.lon, arrived.lat], [incident.lon, incident.lat])).toBeLessThan(150);

    // Back on the beat: patrolling again, at cruise speed.
    expect(sim.patrols.unit('BJ-01')!.motion.kind).toBe('patrol');
  });
});
