import { describe, expect, it } from 'vitest';
import { fixFromPosition } from './useGpsReporter.ts';

function position(coords: Partial<GeolocationCoordinates>, timestamp = 1_764_079_800_123.4): GeolocationPosition {
  return {
    timestamp,
    coords: {
      longitude: 105.28123456789,
      latitude: 27.30198765432,
      accuracy: 8,
      altitude: null,
      altitudeAccuracy: null,
      speed: null,
      heading: null,
      ...coords,
    } as GeolocationCoordinates,
  } as GeolocationPosition;
}

describe('browser positions as gps:reported', () => {
  it('sends WGS-84 coordinates, the fix time, and nothing the browser did not give', () => {
    expect(fixFromPosition('BJ-07', 'gps-1', position({}))).toEqual({
      eventId: 'gps-1',
      ts: 1_764_079_800_123,
      unitId: 'BJ-07',
      lon: 105.2812346,
      lat: 27.3019877,
    });
  });

  it('converts speed from m/s to km/h and keeps the heading when moving', () => {
    expect(fixFromPosition('BJ-07', 'gps-2', position({ speed: 25, heading: 87.25 }))).toMatchObject({
      speedKmh: 90,
      headingDeg: 87.3,
    });
  });

  it('drops the NaN heading browsers give while standing still', () => {
    const fix = fixFromPosition('BJ-07', 'gps-3', position({ speed: 0, heading: Number.NaN }));
    expect(fix.speedKmh).toBe(0);
    expect(fix).not.toHaveProperty('headingDeg');
  });
});
