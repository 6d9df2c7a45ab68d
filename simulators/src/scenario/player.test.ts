import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { GpsReported, PedestrianDetected, WeatherObserved } from '@beacon/shared';
import { loadCorridors, type Corridor } from '../route.ts';
import { BIJIE_ROADS } from '../test-support.ts';
import { parseScenario } from './load.ts';
import { createScenarioPlayer, profileAt } from './player.ts';

const scenarioDir = path.resolve(path.dirname(BIJIE_ROADS), '../../scenarios');
let corridors: Corridor[];
beforeAll(async () => {
  corridors = await loadCorridors(BIJIE_ROADS);
});

const bijieNight = () =>
  parseScenario(fs.readFileSync(path.join(scenarioDir, 'bijie-night.yaml'), 'utf8'), 'bijie-night.yaml');

describe('scenario player', () => {
  it('ships scenarios that validate', () => {
    for (const file of fs.readdirSync(scenarioDir).filter((f) => /\.(ya?ml|json)$/.test(f))) {
      const scenario = parseScenario(fs.readFileSync(path.join(scenarioDir, file), 'utf8'), file);
      expect(() => createScenarioPlayer({ scenario, corridors, runId: 't' })).not.toThrow();
    }
  });

  it('gives the same device events for the same seed, however the time is stepped', () => {
    const play = (steps: number[]) => {
      const player = createScenarioPlayer({ scenario: bijieNight(), corridors, runId: 'r' });
      const out = { gps: 0, detections: [] as unknown[], observations: [] as unknown[] };
      for (const t of steps) {
        const due = player.advanceTo(player.startAt + t);
        out.gps += due.gps.length;
        out.detections.push(...due.detections);
        out.observations.push(...due.observations);
      }
      return out;
    };
    const minutes = Array.from({ length: 90 }, (_, i) => (i + 1) * 60_000);
    const a = play(minutes);
    const b = play([17_000, 45 * 60_000 + 3_000, 90 * 60_000]);
    expect(b).toEqual(a);
    expect(a.observations).toHaveLength(14 * 91);
    // Three cameras see the walk-on; one camera reports the false positive.
    expect(a.detections).toHaveLength(4);
    for (const d of a.detections) PedestrianDetected.parse(d);
    for (const o of a.observations) WeatherObserved.parse(o);
  });

  it('lays the fog bank over the stations it covers only', () => {
    const player = createScenarioPlayer({ scenario: bijieNight(), corridors, runId: 'r' });
    const due = player.advanceTo(player.startAt + 45 * 60_000);
    const at45 = due.observations.filter((o) => o.ts === player.startAt + 45 * 60_000);
    const visibility = Object.fromEntries(at45.map((o) => [o.stationId, o.visibilityM]));
    expect(visibility['WS-02']).toBeLessThan(50);
    for (const [station, v] of Object.entries(visibility)) if (station !== 'WS-02') expect(v).toBeGreaterThan(1000);
    for (const fix of due.gps) GpsReported.parse(fix);
  });

  it('interpolates profiles linearly and holds their ends', () => {
    const points = [
      { at: 0, value: 100 },
      { at: 1000, value: 0 },
    ];
    expect(profileAt(points, -5)).toBe(100);
    expect(profileAt(points, 250)).toBe(75);
    expect(profileAt(points, 5000)).toBe(0);
  });
});
