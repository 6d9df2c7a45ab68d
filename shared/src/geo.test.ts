import { describe, expect, it } from 'vitest';
import { bearingDeg, haversineM } from './geo.ts';

describe('geo', () => {
  it('measures straight-line distance', () => {
    // One degree of latitude is about 111.2 km.
    expect(haversineM([105, 27], [105, 28])).toBeGreaterThan(111_000);
    expect(haversineM([105, 27], [105, 28])).toBeLessThan(111_400);
  });
  it('gives bearings clockwise from north', () => {
    expect(bearingDeg([105, 27], [105, 28])).toBeCloseTo(0);
    expect(bearingDeg([105, 27], [106, 27])).toBeCloseTo(89.77, 1);
    expect(bearingDeg([105, 27], [105, 26])).toBeCloseTo(180);
  });
});
