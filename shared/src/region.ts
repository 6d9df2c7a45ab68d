import { z } from 'zod';
import { Latitude, Longitude } from './geo.ts';

/**
 * The region pack's file formats, shared by the pack builders (schematic generator, OSM importer), the
 * server (road graph, stake numbers) and the client (basemap). See regions/README.md.
 */

const Position = z.tuple([Longitude, Latitude]);

/** 上行 `up` runs in the direction of increasing stake numbers; 下行 `down` the other way. */
export const CarriagewayDirection = z.enum(['up', 'down']);
export type CarriagewayDirection = z.output<typeof CarriagewayDirection>;

export const ROAD_CLASSES = [
  'motorway',
  'motorway_link',
  'trunk',
  'primary',
  'secondary',
  'other',
  'turnaround',
] as const;
export const RoadClass = z.enum(ROAD_CLASSES);
export type RoadClass = z.output<typeof RoadClass>;

/** One way of the road network. Ways meet where they share a vertex (exactly the same coordinates). */
export const RoadProperties = z.object({
  id: z.string().min(1),
  ref: z.string().nullable(),
  name_zh: z.string().nullable(),
  name_en: z.string().nullable(),
  class: RoadClass,
  /** True: drivable only in the digitised direction (each expressway carriageway is one such way). */
  oneway: z.boolean(),
  /** For an expressway carriageway: which one. */
  direction: CarriagewayDirection.nullable(),
  /** Free-flow speed used for drive time. */
  speedKmh: z.number().positive().max(200),
  /** Stake (metres along the corridor) at the first and last vertex, for carriageways with a `ref`. */
  stakeStartM: z.number().nullable(),
  stakeEndM: z.number().nullable(),
  /** For turnarounds and links: the interchange or service area it belongs to (for explanations). */
  via_zh: z.string().nullable(),
  /** Fixed time added for using this way (e.g. leaving and re-entering at an interchange), seconds. */
  delayS: z.number().min(0).optional(),
  schematic: z.boolean().optional(),
});
export type RoadProperties = z.output<typeof RoadProperties>;

export const RoadFeature = z.object({
  type: z.literal('Feature'),
  id: z.union([z.string(), z.number()]).optional(),
  properties: RoadProperties,
  geometry: z.object({ type: z.literal('LineString'), coordinates: z.array(Position).min(2) }),
});
export type RoadFeature = z.output<typeof RoadFeature>;

export const RoadCollection = z.object({ type: z.literal('FeatureCollection'), features: z.array(RoadFeature) });
export type RoadCollection = z.output<typeof RoadCollection>;

export const POI_KINDS = ['admin_seat', 'interchange', 'service_area', 'toll_station', 'tunnel'] as const;
export const SITE_KINDS = ['weather_station', 'camera', 'patrol_base'] as const;

export const PointFeature = z.object({
  type: z.literal('Feature'),
  id: z.union([z.string(), z.number()]).optional(),
  properties: z
    .object({
      kind: z.enum([...POI_KINDS, ...SITE_KINDS]),
      id: z.string().optional(),
      name_zh: z.string(),
      name_en: z.string().optional(),
      ref: z.string().nullable().optional(),
      stakeM: z.number().nullable().optional(),
      direction: CarriagewayDirection.nullable().optional(),
    })
    .passthrough(),
  geometry: z.object({ type: z.literal('Point'), coordinates: Position }),
});
export type PointFeature = z.output<typeof PointFeature>;

export const PointCollection = z.object({ type: z.literal('FeatureCollection'), features: z.array(PointFeature) });
export type PointCollection = z.output<typeof PointCollection>;

const PackFile = z.object({
  file: z.string().min(1),
  attribution: z.string(),
  licence: z.string(),
  schematic: z.boolean().optional(),
  label_zh: z.string().optional(),
  label_en: z.string().optional(),
});

/** manifest.json of a region pack. */
export const RegionManifest = z.object({
  id: z.string().min(1),
  name_zh: z.string(),
  name_en: z.string(),
  bbox: z.tuple([Longitude, Latitude, Longitude, Latitude]),
  center: Position,
  files: z.object({
    boundaries: PackFile.optional(),
    context: PackFile.optional(),
    pois: PackFile.optional(),
    roads: PackFile,
    /** Corridor centrelines (one LineString per expressway ref), for labels and simulators. */
    corridors: PackFile.optional(),
    sites: PackFile.optional(),
  }),
});
export type RegionManifest = z.output<typeof RegionManifest>;

// ---------------------------------------------------------------------------------------------------------
// Stake numbers (桩号): `G56 K1234+500 上行` — road ref, kilometre + metre, carriageway.

const DIRECTION_WORDS: Record<'zh' | 'en', Record<CarriagewayDirection, string>> = {
  zh: { up: '上行', down: '下行' },
  en: { up: 'up', down: 'down' },
};

/** A location on an expressway by linear reference. */
export interface Stake {
  ref: string;
  /** Metres from the corridor's origin. */
  m: number;
  direction: CarriagewayDirection | null;
}

/**
 * `G56 K1234+500 上行` (stored and sent this way), or `G56 K1234+500 up` for an English screen. Metres are
 * rounded to the whole metre.
 */
export function formatStake({ ref, m, direction }: Stake, lang: 'zh' | 'en' = 'zh'): string {
  const total = Math.max(0, Math.round(m));
  const km = Math.floor(total / 1000);
  const rest = String(total % 1000).padStart(3, '0');
  return `${ref} K${km}+${rest}${direction ? ` ${DIRECTION_WORDS[lang][direction]}` : ''}`;
}

/** Parse `G56 K1234+500 上行` (also `up`/`down`, and without a direction). Null when it is not a stake. */
export function parseStake(text: string): Stake | null {
  const match = /^\s*(\S+)\s+K(\d+)\+(\d{1,3})(?:\s+(上行|下行|up|down))?\s*$/i.exec(text);
  if (!match) return null;
  const word = match[4]?.toLowerCase();
  const direction = word === '上行' || word === 'up' ? 'up' : word === '下行' || word === 'down' ? 'down' : null;
  return { ref: match[1]!, m: Number(match[2]) * 1000 + Number(match[3]), direction };
}
