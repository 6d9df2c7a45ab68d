/**
 * Reads the GeoJSON that `osmium export` writes (`.geojson`/`.json`, or `.geojsonseq` with one feature a
 * line): LineString features for ways and Point features for tagged nodes, OSM tags as properties.
 * Polygons (ways that osmium recognised as areas, e.g. a service area drawn as a closed way) are read as
 * ways along their first outer ring.
 *
 * GeoJSON carries no node ids, so vertices are keyed by their exact coordinates: ways that share an OSM
 * node share that vertex (osmium writes the same digits for it), and a tagged Point joins the way vertex
 * at the same place. Way ids come from the feature's `id` (`w123`, from `osmium export
 * --add-unique-id=type_id`) or from the `@type`/`@id` properties (`osmium export -a type,id`).
 */
import fs from 'node:fs';
import { z } from 'zod';
import { Latitude, Longitude, describeZodError } from '../../shared/src/index.ts';
import { OsmInputError, type OsmNode, type OsmTags, type OsmWay } from './osm-model.ts';

const Position = z.tuple([Longitude, Latitude], z.number());
const Ring = z.array(Position).min(2);
const Geometry = z.discriminatedUnion('type', [
  z.object({ type: z.literal('Point'), coordinates: Position }),
  z.object({ type: z.literal('LineString'), coordinates: z.array(Position).min(2) }),
  z.object({ type: z.literal('Polygon'), coordinates: z.array(Ring).min(1) }),
  z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(Ring).min(1)).min(1) }),
  z.object({ type: z.literal('MultiPoint'), coordinates: z.unknown() }),
  z.object({ type: z.literal('MultiLineString'), coordinates: z.unknown() }),
  z.object({ type: z.literal('GeometryCollection'), geometries: z.unknown() }),
]);
const Feature = z.object({
  type: z.literal('Feature'),
  id: z.union([z.string(), z.number()]).optional(),
  properties: z.record(z.string(), z.unknown()).nullable(),
  geometry: Geometry.nullable(),
});
const Collection = z.object({ type: z.literal('FeatureCollection'), features: z.array(z.unknown()) });

export interface GeoJsonOsm {
  nodes: OsmNode[];
  ways: OsmWay[];
  /** Features with a geometry the importer has no use for (MultiLineString, …). */
  skipped: number;
}

/** The OSM id and type a feature names, or null when it names none. */
function osmIdOf(feature: z.output<typeof Feature>): { type: 'n' | 'w' | 'r' | 'a'; id: number } | null {
  const fromText = (text: string) => {
    const m = /^(?:([nwra])|(node|way|relation|area)\/?)(\d+)$/.exec(text.trim());
    if (!m) return null;
    const type = (m[1] ?? m[2]!.charAt(0)) as 'n' | 'w' | 'r' | 'a';
    return { type, id: Number(m[3]) };
  };
  if (typeof feature.id === 'string') {
    const parsed = fromText(feature.id);
    if (parsed) return parsed;
  }
  const p = feature.properties ?? {};
  const attrId = p['@id'];
  if (typeof attrId === 'number' || (typeof attrId === 'string' && /^\d+$/.test(attrId))) {
    const t = String(p['@type'] ?? '').charAt(0);
    if (t === 'n' || t === 'w' || t === 'r' || t === 'a') return { type: t, id: Number(attrId) };
  }
  if (typeof attrId === 'string') return fromText(attrId);
  return null;
}

function tagsOf(properties: Record<string, unknown> | null): OsmTags {
  const tags: OsmTags = {};
  for (const [k, v] of Object.entries(properties ?? {})) {
    if (k.startsWith('@')) continue; // osmium's attributes (@id, @type, @version, …)
    if (typeof v === 'string') tags[k] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') tags[k] = String(v);
  }
  return tags;
}

function readFeatures(file: string): { features: unknown[]; where: (i: number) => string } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new OsmInputError(`${file}: cannot read: ${(error as Error).message}`, { cause: error });
  }
  if (/\.geojsonseq$/i.test(file)) {
    // GeoJSON text sequence (RFC 8142): records separated by RS (0x1e) and/or newlines.
    const lines: { line: number; json: string }[] = [];
    text.split('\n').forEach((raw, i) => {
      const json = (raw.startsWith('\u001e') ? raw.slice(1) : raw).trim();
      if (json) lines.push({ line: i + 1, json });
    });
    const features = lines.map(({ line, json }) => {
      try {
        return JSON.parse(json) as unknown;
      } catch (error) {
        throw new OsmInputError(`${file}:${line}: not valid JSON: ${(error as Error).message}`, { cause: error });
      }
    });
    return { features, where: (i) => `${file}:${lines[i]!.line}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new OsmInputError(`${file}: not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  const collection = Collection.safeParse(json);
  if (!collection.success)
    throw new OsmInputError(`${file}: not a GeoJSON FeatureCollection: ${describeZodError(collection.error)}`);
  return { features: collection.data.features, where: (i) => `${file}: features.${i}` };
}

/** Read an osmium GeoJSON export into nodes and ways. */
export function readOsmGeoJson(file: string): GeoJsonOsm {
  const { features, where } = readFeatures(file);
  const index = new Map<string, OsmNode>();
  const nodes: OsmNode[] = [];
  const ways: OsmWay[] = [];
  let skipped = 0;
  /** The synthetic node at exactly these coordinates: ids -1, -2, … in order of first appearance. */
  const vertex = ([lon, lat]: [number, number]): OsmNode => {
    const key = `${lon},${lat}`;
    let node = index.get(key);
    if (!node) {
      node = { id: -(nodes.length + 1), lon, lat, tags: null };
      index.set(key, node);
      nodes.push(node);
    }
    return node;
  };

  features.forEach((raw, i) => {
    const parsed = Feature.safeParse(raw);
    if (!parsed.success) throw new OsmInputError(`${where(i)}: ${describeZodError(parsed.error)}`);
    const feature = parsed.data;
    const geometry = feature.geometry;
    if (!geometry) return;
    const tags = tagsOf(feature.properties);
    const osm = osmIdOf(feature);
    if (geometry.type === 'Point') {
      const node = vertex([geometry.coordinates[0], geometry.coordinates[1]]);
      node.tags = { ...node.tags, ...tags };
      if (osm?.type === 'n') node.osmId = osm.id;
      return;
    }
    const line =
      geometry.type === 'LineString'
        ? geometry.coordinates
        : geometry.type === 'Polygon'
          ? geometry.coordinates[0]!
          : geometry.type === 'MultiPolygon'
            ? geometry.coordinates[0]![0]!
            : null;
    if (!line) {
      skipped += 1;
      return;
    }
    if (!osm || osm.type === 'n') {
      if (!tags.highway) {
        skipped += 1;
        return;
      }
      throw new OsmInputError(
        `${where(i)}: highway=${tags.highway} has no OSM way id (feature "id" like "w123", or properties ` +
          '"@type"/"@id"); export with `osmium export --add-unique-id=type_id` (or `-a type,id`)',
      );
    }
    // Relations (multipolygon areas) get negative ids. osmium's area ids are 2×way id for areas made
    // from closed ways and 2×relation id + 1 for multipolygon relations.
    const id =
      osm.type === 'w' ? osm.id : osm.type === 'r' ? -osm.id : osm.id % 2 === 0 ? osm.id / 2 : -(osm.id - 1) / 2;
    ways.push({ id, refs: line.map((p) => vertex([p[0], p[1]]).id), tags });
  });
  return { nodes, ways, skipped };
}
