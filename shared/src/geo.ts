import { z } from 'zod';

export const Longitude = z.number().finite().min(-180).max(180);
export const Latitude = z.number().finite().min(-90).max(90);

/** A WGS-84 position, [lon, lat] order as in GeoJSON. */
export type LonLat = [lon: number, lat: number];

const EARTH_RADIUS_M = 6_371_008.8;

/** Great-circle (straight-line) distance in metres. Never present this as a drive distance. */
export function haversineM(a: LonLat, b: LonLat): number {
  const toRad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * toRad;
  const dLon = (b[0] - a[0]) * toRad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * toRad) * Math.cos(b[1] * toRad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Initial bearing from a to b in degrees clockwise from north, 0..360. */
export function bearingDeg(a: LonLat, b: LonLat): number {
  const toRad = Math.PI / 180;
  const y = Math.sin((b[0] - a[0]) * toRad) * Math.cos(b[1] * toRad);
  const x =
    Math.cos(a[1] * toRad) * Math.sin(b[1] * toRad) -
    Math.sin(a[1] * toRad) * Math.cos(b[1] * toRad) * Math.cos((b[0] - a[0]) * toRad);
  return ((Math.atan2(y, x) * 180) / Math.PI + 360) % 360;
}

// GCJ-02 ("Mars coordinates", used by AMap/Tencent) ↔ WGS-84. Standard published formula, Krasovsky ellipsoid.
const GCJ_A = 6_378_245.0;
const GCJ_EE = 0.006_693_421_622_965_943;

function outOfChina(lon: number, lat: number): boolean {
  return lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271;
}

function transformLat(x: number, y: number): number {
  let r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(y * Math.PI) + 40 * Math.sin((y / 3) * Math.PI)) * 2) / 3;
  r += ((160 * Math.sin((y / 12) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30)) * 2) / 3;
  return r;
}

function transformLon(x: number, y: number): number {
  let r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(x * Math.PI) + 40 * Math.sin((x / 3) * Math.PI)) * 2) / 3;
  r += ((150 * Math.sin((x / 12) * Math.PI) + 300 * Math.sin((x / 30) * Math.PI)) * 2) / 3;
  return r;
}

/** WGS-84 → GCJ-02 (the forward formula). Outside China the input is returned unchanged. */
export function wgs84ToGcj02([lon, lat]: LonLat): LonLat {
  if (outOfChina(lon, lat)) return [lon, lat];
  const radLat = (lat / 180) * Math.PI;
  let magic = Math.sin(radLat);
  magic = 1 - GCJ_EE * magic * magic;
  const sqrtMagic = Math.sqrt(magic);
  const dLat = (transformLat(lon - 105, lat - 35) * 180) / (((GCJ_A * (1 - GCJ_EE)) / (magic * sqrtMagic)) * Math.PI);
  const dLon = (transformLon(lon - 105, lat - 35) * 180) / ((GCJ_A / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return [lon + dLon, lat + dLat];
}

/** GCJ-02 → WGS-84 by fixed-point iteration of the forward formula (residual below 1e-9°, under 1 mm). */
export function gcj02ToWgs84(gcj: LonLat): LonLat {
  if (outOfChina(gcj[0], gcj[1])) return gcj;
  let wgs: LonLat = [gcj[0], gcj[1]];
  for (let i = 0; i < 20; i += 1) {
    const back = wgs84ToGcj02(wgs);
    const dLon = gcj[0] - back[0];
    const dLat = gcj[1] - back[1];
    wgs = [wgs[0] + dLon, wgs[1] + dLat];
    if (Math.abs(dLon) < 1e-10 && Math.abs(dLat) < 1e-10) break;
  }
  return wgs;
}

/** A closed ring of [lon, lat] positions (GeoJSON; the last position may repeat the first). */
export type Ring = readonly (readonly number[])[];

/** Even-odd ray casting: whether a point lies inside a ring. */
export function inRing([x, y]: LonLat, ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi = 0, yi = 0] = ring[i]!;
    const [xj = 0, yj = 0] = ring[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Whether a point lies in a GeoJSON polygon's rings: inside the outer ring and outside every hole. */
export function inPolygon(point: LonLat, rings: readonly Ring[]): boolean {
  if (!rings[0] || !inRing(point, rings[0])) return false;
  return !rings.slice(1).some((hole) => inRing(point, hole));
}
