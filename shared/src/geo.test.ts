import { describe, expect, it } from 'vitest';
import { bearingDeg, gcj02ToWgs84, haversineM, inPolygon, wgs84ToGcj02 } from './geo.ts';

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

describe('GCJ-02', () => {
  it('matches the commonly quoted value at Tiananmen', () => {
    const [lon, lat] = wgs84ToGcj02([116.397128, 39.916527]);
    expect(lon).toBeCloseTo(116.403372, 5);
    expect(lat).toBeCloseTo(39.917931, 5);
  });
  it('inverts to under a millimetre', () => {
    const wgs: [number, number] = [105.281638, 27.305462];
    const back = gcj02ToWgs84(wgs84ToGcj02(wgs));
    expect(haversineM(back, wgs)).toBeLessThan(0.001);
  });
  it('leaves points outside China alone', () => {
    expect(gcj02ToWgs84([2.35, 48.85])).toEqual([2.35, 48.85]);
  });
});

describe('point in polygon', () => {
  const outer = [
    [0, 0],
    [10, 0],
    [10, 10],
    [0, 10],
    [0, 0],
  ];
  const hole = [
    [4, 4],
    [6, 4],
    [6, 6],
    [4, 6],
    [4, 4],
  ];
  it('is inside the outer ring and outside its holes', () => {
    expect(inPolygon([2, 2], [outer, hole])).toBe(true);
    expect(inPolygon([5, 5], [outer, hole])).toBe(false);
    expect(inPolygon([5, 5], [outer])).toBe(true);
    expect(inPolygon([11, 5], [outer, hole])).toBe(false);
    expect(inPolygon([1, 1], [])).toBe(false);
  });
});
