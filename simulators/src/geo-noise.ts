import type { Random } from './random.ts';
import { gaussian } from './random.ts';

const METRES_PER_DEGREE_LAT = 111_320;

/** Move a point by a random offset with standard deviation `sigmaM` metres in each axis. */
export function jitter(random: Random, lon: number, lat: number, sigmaM: number): { lon: number; lat: number } {
  if (sigmaM <= 0) return { lon, lat };
  const dNorth = gaussian(random) * sigmaM;
  const dEast = gaussian(random) * sigmaM;
  return offset(lon, lat, dEast, dNorth);
}

/** Move a point by metres east and north (flat-earth approximation, fine for small offsets). */
export function offset(lon: number, lat: number, eastM: number, northM: number): { lon: number; lat: number } {
  return {
    lon: lon + eastM / (METRES_PER_DEGREE_LAT * Math.cos((lat * Math.PI) / 180)),
    lat: lat + northM / METRES_PER_DEGREE_LAT,
  };
}

/** Round to `digits` decimals (1e-6 degree is about 0.1 m). */
export function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
