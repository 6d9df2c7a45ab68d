import { describe, expect, it } from 'vitest';
import type { FeatureCollection } from 'geojson';
import { haversineM, type ActiveWeatherAlert, type LonLat } from '@beacon/shared';
import { segmentLines, slicePolyline, weatherAlertsToGeoJSON } from './weather.ts';

const line: LonLat[] = [
  [105, 27],
  [105.1, 27],
  [105.2, 27],
];
const total = haversineM(line[0]!, line[2]!);

const roads: FeatureCollection = {
  type: 'FeatureCollection',
  features: [
    {
      type: 'Feature',
      properties: { ref: 'SX1', class: 'motorway', stakeStartM: 0, stakeEndM: 20_000 },
      geometry: { type: 'LineString', coordinates: line },
    },
    {
      type: 'Feature',
      properties: { ref: 'SX1', class: 'motorway', stakeStartM: 20_000, stakeEndM: 0 },
      geometry: { type: 'LineString', coordinates: [...line].reverse() },
    },
    {
      type: 'Feature',
      properties: { ref: 'SX2', class: 'motorway', stakeStartM: 0, stakeEndM: 20_000 },
      geometry: { type: 'LineString', coordinates: line },
    },
  ],
};

describe('weather warning sections on the map', () => {
  it('slices a polyline between two distances', () => {
    const part = slicePolyline(line, total / 4, (total * 3) / 4);
    expect(part).toHaveLength(3);
    expect(part[0]![0]).toBeCloseTo(105.05, 3);
    expect(part[1]).toEqual([105.1, 27]);
    expect(part[2]![0]).toBeCloseTo(105.15, 3);
    expect(slicePolyline(line, total + 1, total + 2)).toEqual([]);
  });

  it('clips both carriageways of the ref to the stake range', () => {
    const lines = segmentLines(roads, { ref: 'SX1', fromStakeM: 5_000, toStakeM: 15_000 });
    expect(lines).toHaveLength(2);
    for (const l of lines) {
      const lons = l.map((c) => c[0]).sort();
      expect(lons[0]).toBeCloseTo(105.05, 3);
      expect(lons.at(-1)).toBeCloseTo(105.15, 3);
    }
    expect(segmentLines(null, { ref: 'SX1', fromStakeM: 0, toStakeM: 1 })).toEqual([]);
  });

  it('draws the station and its section in the level of its most severe hazard', () => {
    const alert: ActiveWeatherAlert = {
      stationId: 'WS-01',
      lon: 105.1,
      lat: 27,
      ref: 'SX1',
      stakeM: 10_000,
      stages: [
        { hazard: 'gale', level: 'yellow', stageId: 'yellow', since: 0 },
        { hazard: 'fog', level: 'orange', stageId: 'orange', since: 0 },
      ],
      measure: { speedLimitKmh: 60, minGapM: 100, closed: false, text_zh: '限速', text_en: 'limit' },
      controlLevel: '二级',
      segment: { ref: 'SX1', fromStakeM: 5_000, toStakeM: 15_000 },
    };
    const collection = weatherAlertsToGeoJSON(
      [alert, { ...alert, stationId: 'X', lon: null, lat: null, segment: null }],
      roads,
    );
    expect(collection.features.map((f) => [f.geometry.type, f.properties?.level])).toEqual([
      ['LineString', 'orange'],
      ['LineString', 'orange'],
      ['Point', 'orange'],
    ]);
  });
});
