import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { describeZodError, generateLowerLevels, inPolygon, type JurisdictionInfo } from '@beacon/shared';

type Ring = [number, number][];
type PolygonRings = Ring[];

/** One jurisdiction: a city or county of the pack's boundaries, or a generated township or village under them. */
export type Jurisdiction = JurisdictionInfo;

interface Area extends Jurisdiction {
  polygons: PolygonRings[];
  bbox: [number, number, number, number];
}

function publicOf({ adcode, name_zh, name_en, level, parentAdcode, generated }: Jurisdiction): Jurisdiction {
  return { adcode, name_zh, name_en, level, parentAdcode, generated };
}

const Position = z.tuple([z.number(), z.number()]).rest(z.number());
const BoundaryFeature = z.object({
  type: z.literal('Feature'),
  properties: z.object({
    adcode: z.coerce.string(),
    name_zh: z.string(),
    name_en: z.string().default(''),
    level: z.string(),
    parent_adcode: z.coerce.string().nullable().optional(),
  }),
  geometry: z.discriminatedUnion('type', [
    z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(Position)) }),
    z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(z.array(Position))) }),
  ]),
});
const Boundaries = z.object({ type: z.literal('FeatureCollection'), features: z.array(BoundaryFeature) });

function bboxOf(polygons: PolygonRings[]): [number, number, number, number] {
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const rings of polygons)
    for (const [x, y] of rings[0] ?? []) {
      w = Math.min(w, x);
      s = Math.min(s, y);
      e = Math.max(e, x);
      n = Math.max(n, y);
    }
  return [w, s, e, n];
}

/**
 * The region's jurisdictions: which county a point lies in, and who is above whom. Built from the pack's
 * boundaries (a city and its counties); points outside every county belong to no jurisdiction.
 */
export function createJurisdictions(features: z.output<typeof BoundaryFeature>[]) {
  const areas: Area[] = features.map((f) => {
    const polygons = (
      f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates
    ) as PolygonRings[];
    return {
      adcode: f.properties.adcode,
      name_zh: f.properties.name_zh,
      name_en: f.properties.name_en,
      level: f.properties.level,
      parentAdcode: f.properties.parent_adcode ?? null,
      generated: false,
      polygons,
      bbox: bboxOf(polygons),
    };
  });
  const lower = generateLowerLevels(areas.filter((a) => a.level === 'county'));
  const byCode = new Map<string, Jurisdiction>([...areas, ...lower].map((a) => [a.adcode, a]));
  // The most local level that contains a point wins: counties before the city.
  const searchOrder = [...areas].sort((a, b) => Number(a.level === 'city') - Number(b.level === 'city'));

  return {
    /** Adcode of the most local jurisdiction containing the point, or null outside the region. */
    locate(lon: number, lat: number): string | null {
      for (const area of searchOrder) {
        const [w, s, e, n] = area.bbox;
        if (lon < w || lon > e || lat < s || lat > n) continue;
        if (area.polygons.some((rings) => inPolygon([lon, lat], rings))) return area.adcode;
      }
      return null;
    },
    /** The jurisdiction above, when the pack knows it (a county's city); null at the top. */
    parentOf(adcode: string): string | null {
      const parent = byCode.get(adcode)?.parentAdcode ?? null;
      return parent && byCode.has(parent) ? parent : null;
    },
    get(adcode: string): Jurisdiction | null {
      const area = byCode.get(adcode);
      return area ? publicOf(area) : null;
    },
    /** Every jurisdiction, the pack's first, then the generated levels. */
    list(): Jurisdiction[] {
      return [...byCode.values()].map(publicOf);
    },
    /** The jurisdictions directly under one. */
    childrenOf(adcode: string): Jurisdiction[] {
      return [...byCode.values()].filter((j) => j.parentAdcode === adcode).map(publicOf);
    },
  };
}
export type Jurisdictions = ReturnType<typeof createJurisdictions>;

/** Read the jurisdictions of a region pack; a pack without boundaries has none (every point is null). */
export function loadJurisdictions(regionDir: string): Jurisdictions {
  const file = path.join(regionDir, 'boundaries.geojson');
  if (!fs.existsSync(file)) return createJurisdictions([]);
  const parsed = Boundaries.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success)
    throw new Error(`region pack ${regionDir}: boundaries.geojson: ${describeZodError(parsed.error)}`);
  return createJurisdictions(parsed.data.features);
}
