import fs from 'node:fs/promises';
import { z } from 'zod';
import { Latitude, Longitude, bearingDeg, describeZodError, haversineM, type LonLat } from '@beacon/shared';

/** A polyline with its cumulative length, ready for "where am I after d metres". */
export interface Polyline {
  readonly coordinates: readonly LonLat[];
  /** cumulativeM[i] is the distance along the line from the first point to point i; cumulativeM[0] = 0. */
  readonly cumulativeM: readonly number[];
  readonly lengthM: number;
}

/** One corridor of the region's road layer. */
export interface Corridor extends Polyline {
  /** Short reference, e.g. `SX1`; used in camera ids. */
  readonly ref: string;
  readonly name: string;
}

/** Which way along a polyline a vehicle or person is moving. */
export type Direction = 1 | -1;

/** A point at distance d along a polyline, with the heading of travel there. */
export interface PointOnLine {
  lon: number;
  lat: number;
  /** Degrees clockwise from north, 0..360, in the direction of travel. */
  headingDeg: number;
  /** The distance actually used, after clamping to [0, length]. */
  distanceM: number;
}

/** Length of a polyline in metres (sum of great-circle segment lengths). */
export function measure(coordinates: readonly LonLat[]): number {
  let total = 0;
  for (let i = 1; i < coordinates.length; i += 1) total += haversineM(coordinates[i - 1]!, coordinates[i]!);
  return total;
}

/** Precompute cumulative distances. Needs at least two points. */
export function createPolyline(coordinates: readonly LonLat[]): Polyline {
  if (coordinates.length < 2) throw new Error('a polyline needs at least two points');
  const cumulativeM = [0];
  for (let i = 1; i < coordinates.length; i += 1) {
    cumulativeM.push(cumulativeM[i - 1]! + haversineM(coordinates[i - 1]!, coordinates[i]!));
  }
  return { coordinates, cumulativeM, lengthM: cumulativeM.at(-1)! };
}

/** Index of the segment [i, i+1] that contains distance d (d already clamped). */
function segmentAt(line: Polyline, d: number): number {
  const cum = line.cumulativeM;
  let lo = 0;
  let hi = cum.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (cum[mid]! <= d) lo = mid;
    else hi = mid - 1;
  }
  // Skip zero-length segments (repeated points) so the heading is defined.
  let i = lo;
  while (i < cum.length - 2 && cum[i + 1]! - cum[i]! === 0) i += 1;
  return i;
}

/**
 * The point `distanceM` metres along the line from its first point (clamped to the ends), and the heading
 * of travel there: along the line for direction 1, back towards the first point for -1.
 * Within a segment the position is interpolated linearly in lon/lat, which is exact enough for segments
 * of a few kilometres.
 */
export function pointAt(line: Polyline, distanceM: number, direction: Direction = 1): PointOnLine {
  const d = Math.min(Math.max(distanceM, 0), line.lengthM);
  const i = segmentAt(line, d);
  const a = line.coordinates[i]!;
  const b = line.coordinates[i + 1]!;
  const segmentM = line.cumulativeM[i + 1]! - line.cumulativeM[i]!;
  const t = segmentM > 0 ? (d - line.cumulativeM[i]!) / segmentM : 0;
  const lon = a[0] + (b[0] - a[0]) * t;
  const lat = a[1] + (b[1] - a[1]) * t;
  const headingDeg = direction === 1 ? bearingDeg(a, b) : bearingDeg(b, a);
  return { lon, lat, headingDeg, distanceM: d };
}

/** Heading of travel at distance d, degrees clockwise from north. */
export function headingAt(line: Polyline, distanceM: number, direction: Direction = 1): number {
  return pointAt(line, distanceM, direction).headingDeg;
}

/** A position on the whole network, when it is treated as the corridors laid end to end. */
export interface NetworkPosition {
  corridor: Corridor;
  distanceM: number;
}

/**
 * The point of the network nearest to `point`: its corridor and the distance along it. Segments are
 * projected in a local flat approximation (good to centimetres over a few kilometres).
 */
export function nearestOnNetwork(corridors: readonly Corridor[], point: LonLat): NetworkPosition & { offM: number } {
  if (corridors.length === 0) throw new Error('no corridors');
  const kx = 111_320 * Math.cos((point[1] * Math.PI) / 180);
  const ky = 110_574;
  let best: (NetworkPosition & { offM: number }) | null = null;
  for (const corridor of corridors) {
    const c = corridor.coordinates;
    for (let i = 0; i + 1 < c.length; i += 1) {
      const ax = (c[i]![0] - point[0]) * kx;
      const ay = (c[i]![1] - point[1]) * ky;
      const dx = (c[i + 1]![0] - c[i]![0]) * kx;
      const dy = (c[i + 1]![1] - c[i]![1]) * ky;
      const len2 = dx * dx + dy * dy;
      const t = len2 > 0 ? Math.min(1, Math.max(0, -(ax * dx + ay * dy) / len2)) : 0;
      const offM = Math.hypot(ax + t * dx, ay + t * dy);
      if (best && offM >= best.offM) continue;
      const segmentM = corridor.cumulativeM[i + 1]! - corridor.cumulativeM[i]!;
      best = { corridor, distanceM: corridor.cumulativeM[i]! + t * segmentM, offM };
    }
  }
  return best!;
}

/** Total length of all corridors. */
export function networkLengthM(corridors: readonly Corridor[]): number {
  return corridors.reduce((sum, c) => sum + c.lengthM, 0);
}

/**
 * Map a distance along the corridors laid end to end onto one corridor. Used to spread units and
 * stations evenly over the network in proportion to corridor length.
 */
export function locateOnNetwork(corridors: readonly Corridor[], distanceM: number): NetworkPosition {
  if (corridors.length === 0) throw new Error('no corridors');
  let rest = Math.max(0, distanceM);
  for (const corridor of corridors) {
    if (rest <= corridor.lengthM) return { corridor, distanceM: rest };
    rest -= corridor.lengthM;
  }
  const last = corridors.at(-1)!;
  return { corridor: last, distanceM: last.lengthM };
}

/** `count` positions evenly spread over the network, each in the middle of its share. */
export function spreadOverNetwork(corridors: readonly Corridor[], count: number): NetworkPosition[] {
  const total = networkLengthM(corridors);
  return Array.from({ length: count }, (_, i) => locateOnNetwork(corridors, ((i + 0.5) / count) * total));
}

// ---------------------------------------------------------------------------------------------
// The region pack's road layer (regions/<id>/corridors.geojson), validated before use.

const Position = z.tuple([Longitude, Latitude], z.number()).transform(([lon, lat]): LonLat => [lon, lat]);

const RoadFeature = z.object({
  type: z.literal('Feature'),
  properties: z.object({
    ref: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9]{1,16}$/, 'must be 1–16 letters or digits (used in camera ids)'),
    name_zh: z.string().optional(),
    name_en: z.string().optional(),
  }),
  geometry: z.object({
    type: z.literal('LineString', { error: 'only LineString corridors are supported' }),
    coordinates: z.array(Position).min(2, 'a corridor needs at least two points'),
  }),
});

export const RoadLayer = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(RoadFeature).min(1, 'the road layer has no corridors'),
});

/** Validate a parsed road layer and turn it into corridors. `source` names the file in errors. */
export function parseCorridors(json: unknown, source = 'road layer'): Corridor[] {
  const result = RoadLayer.safeParse(json);
  if (!result.success) throw new Error(`${source}: invalid road layer: ${describeZodError(result.error)}`);
  const seen = new Set<string>();
  return result.data.features.map((feature, index) => {
    const { ref } = feature.properties;
    if (seen.has(ref)) throw new Error(`${source}: features.${index}.properties.ref: duplicate corridor ref "${ref}"`);
    seen.add(ref);
    const line = createPolyline(feature.geometry.coordinates);
    if (line.lengthM < 100) throw new Error(`${source}: features.${index}: corridor ${ref} is shorter than 100 m`);
    return { ...line, ref, name: feature.properties.name_en ?? feature.properties.name_zh ?? ref };
  });
}

/** Read and validate the corridors of a region pack's road layer, e.g. `regions/bijie/corridors.geojson`. */
export async function loadCorridors(file: string): Promise<Corridor[]> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read road layer ${file}: ${(error as Error).message}`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file}: not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  return parseCorridors(json, file);
}
