import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack, Incident, WeatherAlertChanged } from '@beacon/shared';
import {
  ScenarioError,
  createScenarioPlayer,
  loadRegion,
  loadScenario,
  parseScenario,
  silentLogger,
  startScenarioRun,
  type Corridor,
  type Scenario,
} from '@beacon/simulators';
import { provisionDrillDevices } from '../../scripts/drills/devices.ts';
import { startRedisServer, type RedisProcess } from '../../scripts/lib/redis-server.ts';
import { manualClock, startTestStack } from '../helpers/stack.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function data<T>(ack: Ack<T>): T {
  if (!ack.ok) throw new Error(`${ack.error.code}: ${ack.error.message}`);
  return ack.data;
}

/** What a drill officer compares between two runs: the incidents, without ids and server times. */
function incidentSet(incidents: Incident[]) {
  return incidents
    .map((i) => ({
      type: i.type,
      priority: i.priority,
      priorityReason: i.priorityReason,
      stake: i.stake,
      cameraId: i.cameraId,
      detections: i.detections,
      confidence: i.confidence,
      drillId: i.drillId,
    }))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

let redisServer: RedisProcess;
let corridors: Corridor[];
let scenario: Scenario;
beforeAll(async () => {
  redisServer = await startRedisServer();
  corridors = (await loadRegion(path.join(root, 'regions/bijie'))).corridors;
  scenario = await loadScenario(path.join(root, 'scenarios/bijie-night.yaml'));
});
afterAll(async () => {
  await redisServer?.stop();
});

/**
 * Play bijie-night into a drill server on a manual clock: simulated time advances a minute per step, as
 * `drill:run --speed 60` does in a real second, and the test waits for the rules pipeline after each.
 */
async function playBijieNight(drillId: string) {
  const clock = manualClock(Date.parse(scenario.start));
  const stack = await startTestStack({ clock, redisServer, config: { drillId, rainInterpretation: 'ratePerHour' } });
  const player = createScenarioPlayer({ scenario, corridors, runId: drillId });
  const credentials = await provisionDrillDevices(stack.app.devices, {
    now: clock.now(),
    unitIds: player.patrols.units.map((u) => u.id),
  });
  const run = startScenarioRun({
    serverUrl: stack.baseUrl,
    player,
    corridors,
    credentials,
    runId: drillId,
    log: silentLogger,
  });
  try {
    await run.connected();
    const ops = await stack.opsSocket();
    const warnings: string[] = [];
    ops.on('alert:changed', (c: WeatherAlertChanged) => {
      warnings.push(`${c.stationId} ${c.change.hazard} ${c.change.toStage ?? 'cleared'}`);
    });
    for (let t = player.startAt; !player.done();) {
      t += 60_000;
      clock.set(t);
      await run.advanceTo(t);
      await stack.settled();
    }
    await stack.settled();
    const snapshot = data(await ops.emitWithAck('situation:snapshot', {}));
    const stats = data(await ops.emitWithAck('incidents:statistics', { window: 'today' }));
    return { snapshot, stats, warnings, runStats: run.stats(), fired: player.fired.map((f) => f.what) };
  } finally {
    await run.stop();
    await stack.stop();
  }
}

describe('scenario player', () => {
  it('plays bijie-night into a drill: red fog on SX1, a P1 pedestrian inside it, deterministic per seed', async () => {
    const first = await playBijieNight('D-night-1');
    const { snapshot, warnings, runStats } = first;

    expect(runStats.errors).toBe(0);
    expect(first.fired).toEqual(
      expect.arrayContaining(['fog_bank begins', 'walk-on SX1 K43.2 (3 cameras)', 'false positive SX2 K60']),
    );
    // The fog bank lies over WS-02 (SX1 K42+519): its warning climbs to red.
    // The fog lifts in the last minutes: the warning starts coming down before the end.
    expect(warnings.filter((w) => w.startsWith('WS-02 fog')).slice(0, 4)).toEqual([
      'WS-02 fog yellow',
      'WS-02 fog orange',
      'WS-02 fog orange-100m',
      'WS-02 fog red',
    ]);
    expect(warnings.every((w) => w.startsWith('WS-02'))).toBe(true);
    // At the end the fog is lifting: the warning is still up, lowered.
    expect(snapshot.weatherAlerts.map((a) => a.stationId)).toEqual(['WS-02']);

    const incidents = snapshot.incidents;
    expect(incidents.every((i) => i.drillId === 'D-night-1')).toBe(true);
    const pedestrian = incidents.filter((i) => i.type === 'pedestrian' && i.confidence > 0.5);
    expect(pedestrian).toHaveLength(1);
    expect(pedestrian[0]).toMatchObject({ priority: 'P1', priorityReason: 'red_fog', detections: 3 });
    expect(pedestrian[0]!.stake).toMatch(/^SX1 K43\+\d{3}/);
    expect(incidents.filter((i) => i.type === 'severe_weather')).toHaveLength(1);
    expect(incidents.filter((i) => i.type === 'pedestrian' && i.confidence < 0.5)).toHaveLength(1);
    expect(first.stats.total).toBe(3);

    // Same seed, another drill: the same incidents and warnings.
    const second = await playBijieNight('D-night-2');
    expect(incidentSet(second.snapshot.incidents).map((i) => ({ ...i, drillId: null }))).toEqual(
      incidentSet(incidents).map((i) => ({ ...i, drillId: null })),
    );
    expect(second.warnings).toEqual(warnings);
  }, 120_000);

  it('reports a malformed scenario with the file, line and column of each problem', () => {
    const text = [
      'id: broken',
      'region: bijie',
      'start: 2026-11-25 22:00',
      'seed: 1',
      'duration: 1h',
      'timeline:',
      '  - at: 10m',
      '    event: walk_on',
      '    corridor: SX1',
      '    stakeKm: -4',
      '  - at: 20m',
      '    episode: tornado',
    ].join('\n');
    let message = '';
    try {
      parseScenario(text, 'broken.yaml');
    } catch (error) {
      expect(error).toBeInstanceOf(ScenarioError);
      message = (error as Error).message;
    }
    expect(message).toMatch(/broken\.yaml:3:8: start: /);
    expect(message).toMatch(/broken\.yaml:10:14: timeline\.0\.stakeKm: /);
    expect(message).toMatch(/broken\.yaml:12:14: timeline\.1\.episode: /);
    expect(() => parseScenario('id: [1,\nregion: x', 'bad.yaml')).toThrow(/bad\.yaml:\d+:\d+: /);
    // A corridor the region does not have is caught when the scenario meets the region.
    const unknownCorridor = parseScenario(
      [
        'id: elsewhere',
        'region: bijie',
        'start: 2026-11-25T22:00:00+08:00',
        'seed: 1',
        'duration: 1h',
        'timeline: [{ at: 10m, event: walk_on, corridor: SX9, stakeKm: 4 }]',
      ].join('\n'),
    );
    expect(() => createScenarioPlayer({ scenario: unknownCorridor, corridors, runId: 'x' })).toThrow(
      /timeline\.0: unknown corridor SX9/,
    );
  });
});
