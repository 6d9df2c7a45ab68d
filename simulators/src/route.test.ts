import { describe, expect, it } from 'vitest';
import { haversineM, type LonLat } from '@beacon/shared';
import {
  createPolyline,
  headingAt,
  loadCorridors,
  locateOnNetwork,
  measure,
  networkLengthM,
  parseCorridors,
  pointAt,
  spreadOverNetwork,
} from './route.ts';
import { BIJIE_ROADS } from './test-support.ts';

// An L: 0.01° east along the equator (≈1113 m), then 0.01° north (≈1112 m).
const L: LonLat[] = [
  [105, 0],
  [105.01, 0],
  [105.01, 0.01],
];

describe('route', () => {
  it('measures a polyline as the sum of its great-circle segments', () => {
    const line = createPolyline(L);
    expect(line.lengthM).toBeCloseTo(haversineM(L[0]!, L[1]!) + haversineM(L[1]!, L[2]!), 6);
    expect(measure(L)).toBeCloseTo(line.lengthM, 6);
    expect(line.lengthM).toBeGreaterThan(2220);
    expect(line.lengthM).toBeLessThan(2230);
    expect(line.cumulativeM).toHaveLength(3);
  });

  it('interpolates a position at distance d and clamps to the ends', () => {
    const line = createPolyline(L);
    const first = line.cumulativeM[1]!;
    const half = pointAt(line, first / 2);
    expect(half.lon).toBeCloseTo(105.005, 6);
    expect(half.lat).toBeCloseTo(0, 6);
    const corner = pointAt(line, first);
    expect(corner.lon).toBeCloseTo(105.01, 6);
    const up = pointAt(line, first + (line.lengthM - first) / 4);
    expect(up.lon).toBeCloseTo(105.01, 6);
    expect(up.lat).toBeCloseTo(0.0025, 6);
    expect(pointAt(line, -50)).toMatchObject({ lon: 105, lat: 0, distanceM: 0 });
    expect(pointAt(line, 1e9)).toMatchObject({ lon: 105.01, lat: 0.01, distanceM: line.lengthM });
  });

  it('gives the heading of travel in either direction', () => {
    const line = createPolyline(L);
    expect(headingAt(line, 100, 1)).toBeCloseTo(90, 3);
    expect(headingAt(line, 100, -1)).toBeCloseTo(270, 3);
    expect(headingAt(line, line.lengthM - 100, 1)).toBeCloseTo(0, 3);
    expect(headingAt(line, line.lengthM - 100, -1)).toBeCloseTo(180, 3);
  });

  it('skips repeated points so the heading stays defined', () => {
    const line = createPolyline([
      [105, 0],
      [105, 0],
      [105.01, 0],
    ]);
    expect(headingAt(line, 0)).toBeCloseTo(90, 3);
  });

  it('loads the Bijie corridors from the region pack', async () => {
    const corridors = await loadCorridors(BIJIE_ROADS);
    expect(corridors.map((c) => c.ref)).toEqual(['SX1', 'SX2', 'SX3', 'SX4']);
    for (const corridor of corridors) {
      expect(corridor.lengthM).toBeGreaterThan(20_000);
      expect(corridor.lengthM).toBeLessThan(400_000);
    }
    const spread = spreadOverNetwork(corridors, 8);
    expect(new Set(spread.map((p) => p.corridor.ref)).size).toBeGreaterThanOrEqual(3);
    expect(locateOnNetwork(corridors, networkLengthM(corridors) + 1).corridor.ref).toBe('SX4');
  });

  it('rejects a malformed road layer with a message that names the problem', async () => {
    const good = {
      type: 'Feature',
      properties: { ref: 'A1' },
      geometry: {
        type: 'LineString',
        coordinates: [
          [105, 27],
          [105.1, 27],
        ],
      },
    };
    expect(() => parseCorridors({ type: 'FeatureCollection', features: [] }, 'roads.geojson')).toThrow(
      /roads\.geojson: invalid road layer: features: the road layer has no corridors/,
    );
    expect(() =>
      parseCorridors({
        type: 'FeatureCollection',
        features: [
          {
            ...good,
            geometry: {
              ...good.geometry,
              coordinates: [
                [105, 97],
                [105, 27],
              ],
            },
          },
        ],
      }),
    ).toThrow(/features\.0\.geometry\.coordinates\.0\.1/);
    expect(() =>
      parseCorridors({
        type: 'FeatureCollection',
        features: [{ ...good, geometry: { type: 'Point', coordinates: [105, 27] } }],
      }),
    ).toThrow(/only LineString corridors are supported/);
    expect(() => parseCorridors({ type: 'FeatureCollection', features: [good, good] })).toThrow(
      /duplicate corridor ref "A1"/,
    );
    expect(() => parseCorridors({ type: 'FeatureCollection', features: [{ ...good, properties: {} }] })).toThrow(
      /features\.0\.properties\.ref/,
    );
    await expect(loadCorridors('/nonexistent/roads.geojson')).rejects.toThrow(/cannot read road layer/);
  });
});
