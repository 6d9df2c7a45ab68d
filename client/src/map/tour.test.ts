import { describe, expect, it } from 'vitest';
import { makeIncident } from '../testing/incident.ts';
import { boundsOf, countyStops, hotspotStops, tourStops } from './tour.ts';

describe('the wall tour', () => {
  it('goes region → each county → hotspots (open P1/P2, most urgent first)', () => {
    const counties = countyStops({
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { level: 'county', adcode: '520502', name_zh: '七星关区', name_en: 'Qixingguan' },
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [105, 27],
                [105.5, 27.4],
                [104.9, 27.2],
                [105, 27],
              ],
            ],
          },
        },
        { type: 'Feature', properties: { level: 'city' }, geometry: { type: 'Point', coordinates: [1, 1] } },
      ],
    });
    expect(counties).toEqual([
      {
        kind: 'county',
        adcode: '520502',
        name_zh: '七星关区',
        name_en: 'Qixingguan',
        bounds: [104.9, 27, 105.5, 27.4],
      },
    ]);
    const hotspots = hotspotStops([
      makeIncident({ id: 'P2-old', priority: 'P2', createdAt: 1 }),
      makeIncident({ id: 'P3', priority: 'P3' }),
      makeIncident({ id: 'P1', priority: 'P1', createdAt: 5 }),
    ]);
    const stops = tourStops([104, 26, 106, 28], counties, hotspots);
    expect(stops.map((s) => (s.kind === 'hotspot' ? s.incidentId : s.kind))).toEqual([
      'region',
      'county',
      'P1',
      'P2-old',
    ]);
    expect(boundsOf([])).toBeNull();
  });
});
