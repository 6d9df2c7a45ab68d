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
