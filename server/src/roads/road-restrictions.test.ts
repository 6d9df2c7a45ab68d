import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { LonLat, Unit } from '@beacon/shared';
import { loadRoadGraph, type RoadEdge } from './road-graph.ts';
import { CLOSED_SECTION_KMH, createRoadNetwork, restrictedTravelS, type RoadRestriction } from './road-network.ts';
import { matchToRoad, pointAtStake } from './map-match.ts';
import { affectedSegment, loadWeatherStations, restrictionsOf } from '../alerts/weather-alerts.ts';

const regionDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../regions/bijie');

function edge(overrides: Partial<RoadEdge> = {}): RoadEdge {
  return {
    index: 0,
    from: 0,
    to: 1,
    fromPoint: [105, 27],
    toPoint: [105.01, 27],
    lengthM: 1000,
    travelS: 36,
    effectiveTravelS: 36,
    delayS: 0,
    bearing: 90,
    wayId: 'w',
    ref: 'SX1',
    roadClass: 'motorway',
    direction: 'up',
    stakeFromM: 10_000,
    stakeToM: 11_000,
    viaZh: null,
    speedKmh: 100,
    ...overrides,
  };
}

const limit60: RoadRestriction = { ref: 'SX1', fromStakeM: 9_000, toStakeM: 10_500, speedLimitKmh: 60, closed: false };

describe('the travel time of a restricted edge', () => {
  it('drives at the limit where the stake ranges overlap, on either carriageway', () => {
    expect(restrictedTravelS(edge(), [limit60])).toBeCloseTo(60);
    expect(restrictedTravelS(edge({ stakeFromM: 11_000, stakeToM: 10_000, direction: 'down' }), [limit60])).toBeCloseTo(
      60,
    );
  });

  it('leaves other roads, other classes, touching ranges and limits above free flow alone', () => {
    expect(restrictedTravelS(edge({ ref: 'SX2' }), [limit60])).toBe(36);
    expect(restrictedTravelS(edge({ roadClass: 'trunk' }), [limit60])).toBe(36);
    expect(restrictedTravelS(edge({ stakeFromM: 10_500, stakeToM: 11_500 }), [limit60])).toBe(36);
    expect(restrictedTravelS(edge({ stakeFromM: null, stakeToM: null }), [limit60])).toBe(36);
    expect(restrictedTravelS(edge(), [{ ...limit60, speedLimitKmh: 120 }])).toBe(36);
  });

  it('takes the slowest of overlapping restrictions, and crawls through a closed section', () => {
    const limit40 = { ...limit60, speedLimitKmh: 40 };
    expect(restrictedTravelS(edge(), [limit60, limit40])).toBeCloseTo(90);
    const closed = { ...limit60, speedLimitKmh: 20, closed: true };
    expect(restrictedTravelS(edge(), [limit60, closed])).toBeCloseTo(1000 / (CLOSED_SECTION_KMH / 3.6));
  });
});

describe('restrictions on the Bijie network', () => {
  const graph = loadRoadGraph(regionDir);
  const network = createRoadNetwork(graph);
  const at = (m: number): LonLat => pointAtStake(graph, { ref: 'SX1', m, direction: 'up' })!;
  const unit = (m: number): Unit => ({
    id: 'P-01',
    callsign: 'P-01',
    status: 'available',
    lon: at(m)[0],
    lat: at(m)[1],
    speedKmh: 90,
    headingDeg: matchToRoad(graph, at(m), { direction: 'up', motorwayOnly: true })!.edge.bearing,
    lastFixAt: 0,
    incidentId: null,
    stake: null,
    statusSince: 0,
  });
  const driveTime = () => {
    const [lon, lat] = at(24_000);
    return network.rankCandidates({ lon, lat, direction: 'up' }, [unit(3_000)], 1)[0]!.driveTimeS!;
  };

  it('slows the drive across a station segment and restores it when lifted', () => {
    const stations = loadWeatherStations(regionDir);
    expect(stations.size).toBe(14);
    const ws01 = stations.get('WS-01')!;
    expect(ws01).toMatchObject({ ref: 'SX1', stakeM: 14_173 });
    const segment = affectedSegment(ws01, 5)!;
    expect(segment).toEqual({ ref: 'SX1', fromStakeM: 9_173, toStakeM: 19_173 });
    expect(affectedSegment({ ref: null, stakeM: null }, 5)).toBeNull();
    expect(affectedSegment({ ref: 'SX1', stakeM: 2_000 }, 5)).toEqual({ ref: 'SX1', fromStakeM: 0, toStakeM: 7_000 });

    const free = driveTime();
    network.setRestrictions([{ ...segment, speedLimitKmh: 60, closed: false }]);
    const slowed = driveTime();
    // 10 km at 60 instead of the free-flow speed: about four minutes more at 100 km/h.
    expect(slowed - free).toBeGreaterThan(150);
    network.setRestrictions([{ ...segment, speedLimitKmh: 20, closed: true }]);
    expect(driveTime()).toBeGreaterThan(slowed + 3600);
    network.setRestrictions([]);
    expect(driveTime()).toBe(free);
    expect(graph.edges.every((e) => e.effectiveTravelS === e.travelS)).toBe(true);
  });

  it('turns active warnings into restrictions only where they limit or close', () => {
    const base = {
      stationId: 'WS-01',
      lon: 105,
      lat: 27,
      ref: 'SX1',
      stakeM: 14_173,
      stages: [],
      controlLevel: '二级' as const,
      segment: { ref: 'SX1', fromStakeM: 9_173, toStakeM: 19_173 },
    };
    const measure = { speedLimitKmh: null, minGapM: null, closed: false, text_zh: '提示', text_en: 'advice' };
    expect(
      restrictionsOf([
        { ...base, measure },
        { ...base, measure: { ...measure, speedLimitKmh: 60 } },
        { ...base, segment: null, measure: { ...measure, closed: true } },
      ]),
    ).toEqual([{ ref: 'SX1', fromStakeM: 9_173, toStakeM: 19_173, speedLimitKmh: 60, closed: false }]);
  });
});
