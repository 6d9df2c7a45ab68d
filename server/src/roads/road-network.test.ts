import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { haversineM, parseStake, type LonLat, type Unit } from '@beacon/shared';
import { loadRoadGraph } from './road-graph.ts';
import { createRoadNetwork } from './road-network.ts';
import { matchToRoad, pointAtStake, stakeOfMatch } from './map-match.ts';

const regionDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../regions/bijie');
const graph = loadRoadGraph(regionDir);
const network = createRoadNetwork(graph);

function at(ref: string, m: number, direction: 'up' | 'down'): LonLat {
  const point = pointAtStake(graph, { ref, m, direction });
  if (!point) throw new Error(`no ${ref} ${m} ${direction}`);
  return point;
}

/** Heading of travel on a carriageway at a stake. */
function headingAt(ref: string, m: number, direction: 'up' | 'down'): number {
  const match = matchToRoad(graph, at(ref, m, direction), { direction, motorwayOnly: true });
  return match!.edge.bearing;
}

function unit(id: string, [lon, lat]: LonLat, headingDeg: number | null): Unit {
  return {
    id,
    callsign: id,
    status: 'available',
    lon,
    lat,
    speedKmh: 90,
    headingDeg,
    lastFixAt: 0,
    incidentId: null,
    stake: null,
    statusSince: 0,
  };
}

describe('road network of the Bijie pack', () => {
  it('ranks a unit 5 km behind on the same carriageway above one 300 m away across the median', () => {
    const incident = at('SX1', 20_000, 'up');
    const across = at('SX1', 20_300, 'down');
    const behind = at('SX1', 15_000, 'up');
    expect(haversineM(across, incident)).toBeLessThan(400);
    const ranked = network.rankCandidates(
      { lon: incident[0], lat: incident[1], direction: 'up' },
      [
        unit('ACROSS', across, headingAt('SX1', 20_300, 'down')),
        unit('BEHIND', behind, headingAt('SX1', 15_000, 'up')),
      ],
      5,
    );
    expect(ranked.map((c) => c.unitId)).toEqual(['BEHIND', 'ACROSS']);
    const [first, second] = ranked as [(typeof ranked)[0], (typeof ranked)[0]];
    expect(first).toMatchObject({ reason: 'same_carriageway', approximate: false });
    expect(first.roadDistanceM).toBeGreaterThan(4900);
    expect(first.roadDistanceM).toBeLessThan(5200);
    expect(first.driveTimeS).toBeGreaterThan(170);
    expect(first.driveTimeS).toBeLessThan(200);
    expect(second).toMatchObject({ reason: 'opposite_carriageway' });
    expect(second.via).toMatch(/互通|服务区/);
    expect(second.driveTimeS!).toBeGreaterThan(first.driveTimeS!);
    expect(second.extraS!).toBeGreaterThan(60);
    expect(second.stake).toMatch(/^SX1 K20\+\d{3} 下行$/);
    expect(first.route![0]).toEqual(expect.any(Array));
  });

  it('makes a unit that has just passed the incident turn around twice', () => {
    const incident = at('SX1', 20_000, 'up');
    const passed = at('SX1', 20_500, 'up');
    const [candidate] = network.rankCandidates(
      { lon: incident[0], lat: incident[1], direction: 'up' },
      [unit('PASSED', passed, headingAt('SX1', 20_500, 'up'))],
      1,
    );
    expect(candidate).toMatchObject({ reason: 'passed_incident' });
    expect(candidate!.driveTimeS!).toBeGreaterThan(120);
  });

  it('estimates units away from the network and says so', () => {
    const incident = at('SX2', 30_000, 'down');
    const field: LonLat = [incident[0] + 0.02, incident[1] + 0.03];
    expect(matchToRoad(graph, field)).toBeNull();
    const [candidate] = network.rankCandidates(
      { lon: incident[0], lat: incident[1], direction: 'down' },
      [unit('FIELD', field, null)],
      1,
    );
    expect(candidate).toMatchObject({ reason: 'off_network', approximate: true });
    expect(candidate!.driveTimeS).toBeGreaterThan(0);
  });

  it('writes stake numbers that parse back to within a metre of the point', () => {
    for (const [ref, m, direction] of [
      ['SX1', 12_345, 'up'],
      ['SX1', 40_010, 'down'],
      ['SX2', 5_500, 'up'],
      ['SX4', 61_234, 'down'],
      ['SX3', 100, 'up'],
    ] as const) {
      const match = matchToRoad(graph, at(ref, m, direction), { direction, motorwayOnly: true })!;
      const text = stakeOfMatch(match)!;
      expect(text).toMatch(new RegExp(`^${ref} K\\d+\\+\\d{3} ${direction === 'up' ? '上行' : '下行'}$`));
      const back = pointAtStake(graph, parseStake(text)!)!;
      expect(haversineM(back, match.point)).toBeLessThan(1);
      expect(Math.abs(parseStake(text)!.m - m)).toBeLessThanOrEqual(1);
    }
  });

  it('gives an incident its stake from the reported carriageway', () => {
    const p = at('SX4', 30_000, 'down');
    expect(network.stakeOf(p, { direction: 'down' })).toBe('SX4 K30+000 下行');
    expect(network.stakeOf([p[0] + 0.2, p[1] + 0.2])).toBeNull();
  });
});
