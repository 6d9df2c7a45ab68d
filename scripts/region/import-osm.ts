/**
 * Build a region pack from an OpenStreetMap extract: `pnpm beacon region:import` (see docs/REGION-PACKS.md).
 *
 *   input      `.osm.pbf`, OSM XML (`.osm`/`.xml`) or osmium's GeoJSON export (`.geojson`/`.json`/`.geojsonseq`)
 *   roads      highway=motorway|motorway_link (+ trunk|trunk_link unless --motorway-only) ways that have at
 *              least one node inside the bbox, kept whole (not clipped); split where they share a node with
 *              another kept way, so the graph connects there
 *   pois       motorway_junction → interchange, services/rest_area (and fuel beside a motorway) →
 *              service_area, toll_booth → toll_station, tunnel ways → tunnel (at the way's midpoint)
 *   corridors  one line per motorway ref, chained along one carriageway (labels and simulators)
 *   boundaries the --boundaries file, else the bbox as a rectangle (so the wall always has an outline)
 *
 * OSM has no stake numbers (桩号) and no 上行/下行: `stakeStartM`, `stakeEndM` and `direction` are null.
 * The written pack is loaded back with the server's `loadRoadGraph` before the summary is printed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import {
  Latitude,
  Longitude,
  PointCollection,
  RegionManifest,
  RoadCollection,
  describeZodError,
  gcj02ToWgs84,
  haversineM,
  bearingDeg,
  type LonLat,
  type PointFeature,
  type RoadClass,
  type RoadFeature,
  type RoadProperties,
} from '../../shared/src/index.ts';
import { loadRoadGraph, type RoadGraph } from '../../server/src/roads/road-graph.ts';
import { projectOnSegment } from '../../server/src/roads/map-match.ts';
import { readOsmGeoJson } from './osm-geojson.ts';
import { OsmInputError, type OsmNode, type OsmSink, type OsmTags, type OsmWay } from './osm-model.ts';
import { readOsmPbf } from './osm-pbf.ts';
import { readOsmXml } from './osm-xml.ts';

export const OSM_ATTRIBUTION = '© OpenStreetMap contributors, ODbL 1.0';
export const OSM_LICENCE = 'ODbL-1.0';

/** OSM highway values kept, and the pack's road class for each. */
const HIGHWAY_CLASS: Record<string, RoadClass> = {
  motorway: 'motorway',
  motorway_link: 'motorway_link',
  trunk: 'trunk',
  trunk_link: 'motorway_link',
};
/** Free-flow speed when a way has no usable maxspeed, km/h. */
export const DEFAULT_SPEED_KMH: Record<string, number> = {
  motorway: 100,
  trunk: 80,
  motorway_link: 40,
  trunk_link: 40,
};
/** A link is named after the nearest motorway_junction within this distance. */
const JUNCTION_RADIUS_M = 2000;
/** A fuel station counts as a motorway service area within this distance of a motorway or trunk carriageway. */
const FUEL_ON_MOTORWAY_M = 200;
/** …unless a services/rest_area point is this close (it is that service area's fuel station). */
const FUEL_IN_SERVICES_M = 500;

export type InputFormat = 'pbf' | 'xml' | 'geojson';
export type Crs = 'wgs84' | 'gcj02';
export type Bbox = [minLon: number, minLat: number, maxLon: number, maxLat: number];

/** The input format by file name, or null when the extension is not one of ours. */
export function formatOf(file: string): InputFormat | null {
  const name = file.toLowerCase();
  if (name.endsWith('.osm.pbf') || name.endsWith('.pbf')) return 'pbf';
  if (name.endsWith('.osm') || name.endsWith('.xml')) return 'xml';
  if (name.endsWith('.geojson') || name.endsWith('.json') || name.endsWith('.geojsonseq')) return 'geojson';
  return null;
}

/** `maxspeed` in km/h: "100", "100 km/h", "60 mph", "100;80" (first). Null for "none", "signals", "CN:…". */
export function parseMaxspeed(value: string | undefined): number | null {
  if (!value) return null;
  const m = /^(\d+(?:\.\d+)?)\s*(km\/h|kmh|kph|mph|knots)?$/.exec(value.split(';')[0]!.trim().toLowerCase());
  if (!m) return null;
  const factor = m[2] === 'mph' ? 1.609344 : m[2] === 'knots' ? 1.852 : 1;
  const kmh = Math.round(Number(m[1]) * factor * 10) / 10;
  return kmh > 0 ? Math.min(200, kmh) : null;
}

/**
 * One-way handling: `oneway=yes|true|1` forward, `-1|reverse` against the digitised direction, `no|false|0`
 * both ways. Without the tag, motorway, motorway_link and roundabouts are one-way (OSM's implied default),
 * trunk and trunk_link two-way. `reversible`/`alternating` (direction changes over time) count as two-way.
 */
export function onewayOf(tags: OsmTags): { oneway: boolean; reverse: boolean } {
  const value = tags.oneway?.trim().toLowerCase();
  if (value === '-1' || value === 'reverse') return { oneway: true, reverse: true };
  if (value === 'yes' || value === 'true' || value === '1') return { oneway: true, reverse: false };
  if (value === 'no' || value === 'false' || value === '0' || value === 'reversible' || value === 'alternating')
    return { oneway: false, reverse: false };
  const implied = tags.highway === 'motorway' || tags.highway === 'motorway_link' || tags.junction === 'roundabout';
  return { oneway: implied, reverse: false };
}

const text = (value: string | undefined): string | null => {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
};
const nameZhOf = (tags: OsmTags) => text(tags['name:zh']) ?? text(tags['name:zh-Hans']) ?? text(tags.name);
/** First of a `;`-separated ref (`G56;G76` → `G56`). */
const refOf = (tags: OsmTags) => text(tags.ref?.split(';')[0]);

type PoiKind = 'interchange' | 'service_area' | 'toll_station';
function poiKindOf(tags: OsmTags | null): PoiKind | 'fuel' | null {
  if (!tags) return null;
  if (tags.highway === 'motorway_junction') return 'interchange';
  if (tags.highway === 'services' || tags.highway === 'rest_area') return 'service_area';
  if (tags.barrier === 'toll_booth') return 'toll_station';
  if (tags.amenity === 'fuel') return 'fuel';
  return null;
}

export interface ImportOptions {
  input: string;
  format: InputFormat;
  bbox: Bbox;
  outDir: string;
  id: string;
  nameZh: string;
  nameEn: string;
  /** Boundaries GeoJSON to copy into the pack (WGS-84); null: the bbox rectangle. */
  boundaries: string | null;
  boundariesAttribution: string | null;
  boundariesLicence: string | null;
  crs: Crs;
  /** Leave out trunk and trunk_link. */
  motorwayOnly: boolean;
}

export interface ImportResult {
  outDir: string;
  files: string[];
  osmWays: { kept: number; outsideBbox: number; incomplete: number };
  roads: Partial<Record<RoadClass, number>>;
  features: number;
  pois: Record<string, number>;
  corridors: string[];
  graph: { nodes: number; edges: number; components: number; deadEnds: number };
  warnings: string[];
}

interface OsmData {
  nodes: Map<number, OsmNode>;
  roadWays: OsmWay[];
  poiWays: OsmWay[];
  poiNodes: OsmNode[];
}

/** Read what the import needs. PBF and XML take two passes: ways and tagged nodes, then the ways' vertices. */
async function readInput(options: ImportOptions): Promise<OsmData> {
  const isRoad = (tags: OsmTags) =>
    tags.highway !== undefined &&
    tags.highway in HIGHWAY_CLASS &&
    !(options.motorwayOnly && tags.highway.startsWith('trunk'));
  const data: OsmData = { nodes: new Map(), roadWays: [], poiWays: [], poiNodes: [] };
  const first: OsmSink = {
    way: (way) => {
      if (isRoad(way.tags)) data.roadWays.push(way);
      else if (poiKindOf(way.tags)) data.poiWays.push(way);
    },
    node: (node) => {
      if (poiKindOf(node.tags)) {
        data.poiNodes.push(node);
        data.nodes.set(node.id, node);
      }
    },
  };
  if (options.format === 'geojson') {
    const { nodes, ways } = readOsmGeoJson(options.input);
    for (const way of ways) first.way!(way);
    for (const node of nodes) {
      first.node!(node);
      data.nodes.set(node.id, node);
    }
    return data;
  }
  const read = (sink: OsmSink) =>
    options.format === 'pbf' ? Promise.resolve(readOsmPbf(options.input, sink)) : readOsmXml(options.input, sink);
  await read(first);
  const needed = new Set<number>();
  for (const way of [...data.roadWays, ...data.poiWays]) for (const ref of way.refs) needed.add(ref);
  await read({
    node: (node) => {
      if (needed.has(node.id)) data.nodes.set(node.id, node);
    },
  });
  return data;
}

const round7 = (n: number) => Math.round(n * 1e7) / 1e7;

/** Weakly connected components of the directed graph (union-find over its edges). */
export function weaklyConnectedComponents(graph: RoadGraph): number {
  const parent = graph.nodes.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  for (const e of graph.edges) parent[find(e.from)] = find(e.to);
  return new Set(graph.nodes.map((_, i) => find(i))).size;
}

const lengthOf = (coords: LonLat[]) => coords.slice(1).reduce((sum, c, i) => sum + haversineM(coords[i]!, c), 0);

/** The point halfway along a line. */
function midpointOf(coords: LonLat[]): LonLat {
  let rest = lengthOf(coords) / 2;
  for (let i = 1; i < coords.length; i += 1) {
    const a = coords[i - 1]!;
    const b = coords[i]!;
    const d = haversineM(a, b);
    if (d >= rest && d > 0) {
      const t = rest / d;
      return [round7(a[0] + (b[0] - a[0]) * t), round7(a[1] + (b[1] - a[1]) * t)];
    }
    rest -= d;
  }
  return coords.at(-1)!;
}

/** Mean of a way's distinct vertices (for small areas like a service area it is inside or close). */
function centroidOf(coords: LonLat[]): LonLat {
  const ring = coords.length > 2 && coords[0]!.join() === coords.at(-1)!.join() ? coords.slice(0, -1) : coords;
  const sum = ring.reduce((acc, c) => [acc[0] + c[0], acc[1] + c[1]], [0, 0]);
  return [round7(sum[0] / ring.length), round7(sum[1] / ring.length)];
}

const angleBetween = (a: number, b: number) => {
  const d = Math.abs(a - b) % 360;
  return d > 180 ? 360 - d : d;
};

/** Refs that can name a corridor: the simulators use them in camera ids. */
const CORRIDOR_REF = /^[A-Za-z0-9]{1,16}$/;

/**
 * One centreline per motorway ref, for map labels and the demo simulators: the longest chain of that ref's
 * motorway/trunk ways that continues without sharp turns. On a dual carriageway that is one carriageway.
 */
function buildCorridors(roads: RoadFeature[]): { features: object[]; refs: string[]; skipped: string[] } {
  const byRef = new Map<string, RoadFeature[]>();
  for (const f of roads) {
    const p = f.properties;
    if (!p.ref || (p.class !== 'motorway' && p.class !== 'trunk')) continue;
    const list = byRef.get(p.ref);
    if (list) list.push(f);
    else byRef.set(p.ref, [f]);
  }
  const features: object[] = [];
  const refs: string[] = [];
  const skipped: string[] = [];
  for (const [ref, list] of [...byRef].sort(([a], [b]) => a.localeCompare(b))) {
    if (!CORRIDOR_REF.test(ref)) {
      skipped.push(ref);
      continue;
    }
    // Directed pieces: a one-way feature as digitised, a two-way feature both ways.
    const pieces = list.flatMap((f, feature) => {
      const c = f.geometry.coordinates as LonLat[];
      const forward = { feature, coords: c, lengthM: lengthOf(c) };
      return f.properties.oneway ? [forward] : [forward, { ...forward, coords: [...c].reverse() }];
    });
    const startsAt = new Map<string, number[]>();
    pieces.forEach((p, i) => {
      const key = p.coords[0]!.join();
      const list = startsAt.get(key);
      if (list) list.push(i);
      else startsAt.set(key, [i]);
    });
    const hasPredecessor = new Set(pieces.flatMap((p) => startsAt.get(p.coords.at(-1)!.join()) ?? []));
    const starts = pieces.map((_, i) => i).filter((i) => !hasPredecessor.has(i));
    let best: { coords: LonLat[]; lengthM: number; features: Set<number> } | null = null;
    for (const start of starts.length > 0 ? starts : pieces.map((_, i) => i)) {
      const used = new Set([pieces[start]!.feature]);
      const coords = [...pieces[start]!.coords];
      let lengthM = pieces[start]!.lengthM;
      for (;;) {
        const end = coords.at(-1)!;
        const heading = bearingDeg(coords.at(-2)!, end);
        const next = (startsAt.get(end.join()) ?? [])
          .filter((i) => !used.has(pieces[i]!.feature))
          .map((i) => ({ i, turn: angleBetween(heading, bearingDeg(pieces[i]!.coords[0]!, pieces[i]!.coords[1]!)) }))
          .filter((n) => n.turn <= 60)
          .sort((a, b) => a.turn - b.turn)[0];
        if (!next) break;
        const piece = pieces[next.i]!;
        used.add(piece.feature);
        coords.push(...piece.coords.slice(1));
        lengthM += piece.lengthM;
      }
      if (!best || lengthM > best.lengthM) best = { coords, lengthM, features: used };
    }
    if (!best || best.lengthM < 100) {
      skipped.push(ref);
      continue;
    }
    const mostCommon = (values: (string | null)[]) => {
      const counts = new Map<string, number>();
      for (const v of values) if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
      return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
    };
    const members = [...best.features].map((i) => list[i]!.properties);
    const nameEn = mostCommon(members.map((p) => p.name_en));
    features.push({
      type: 'Feature',
      properties: {
        ref,
        name_zh: mostCommon(members.map((p) => p.name_zh)) ?? ref,
        ...(nameEn ? { name_en: nameEn } : {}),
        lengthM: Math.round(best.lengthM),
        schematic: false,
      },
      geometry: { type: 'LineString', coordinates: best.coords },
    });
    refs.push(ref);
  }
  return { features, refs, skipped };
}

const BoundaryCollection = z.object({
  type: z.literal('FeatureCollection'),
  features: z
    .array(
      z.object({
        type: z.literal('Feature'),
        properties: z.record(z.string(), z.unknown()).nullable(),
        geometry: z.object({ type: z.enum(['Polygon', 'MultiPolygon']), coordinates: z.array(z.unknown()) }),
      }),
    )
    .min(1, 'has no features'),
});

/** A FeatureCollection as text with one feature a line: compact, and readable in a diff. */
function featureCollectionText(features: object[], extra: Record<string, unknown> = {}): string {
  const head = JSON.stringify({ type: 'FeatureCollection', ...extra }).slice(0, -1);
  if (features.length === 0) return `${head},"features":[]}\n`;
  return `${head},"features":[\n${features.map((f) => JSON.stringify(f)).join(',\n')}\n]}\n`;
}

/** Import an extract into a region pack directory and verify it loads as a road graph. */
export async function importOsm(options: ImportOptions): Promise<ImportResult> {
  const warnings: string[] = [];
  const [minLon, minLat, maxLon, maxLat] = options.bbox;
  const inBbox = ([lon, lat]: LonLat) => lon >= minLon && lon <= maxLon && lat >= minLat && lat <= maxLat;

  const data = await readInput(options);

  // Every coordinate is converted (if asked) and rounded once per node, so shared nodes stay identical.
  const points = new Map<number, LonLat>();
  const pointOf = (id: number): LonLat | null => {
    let p = points.get(id);
    if (!p) {
      const node = data.nodes.get(id);
      if (!node) return null;
      const raw: LonLat = [node.lon, node.lat];
      const wgs = options.crs === 'gcj02' ? gcj02ToWgs84(raw) : raw;
      p = [round7(wgs[0]), round7(wgs[1])];
      points.set(id, p);
    }
    return p;
  };

  // --- road ways: resolve vertices, keep those touching the bbox -------------------------------------------
  let outsideBbox = 0;
  let incomplete = 0;
  const kept: { way: OsmWay; refs: number[] }[] = [];
  for (const way of [...data.roadWays].sort((a, b) => a.id - b.id)) {
    const refs = way.refs.filter((ref, i) => pointOf(ref) !== null && ref !== way.refs[i - 1]);
    if (refs.length < way.refs.length && way.refs.some((ref) => pointOf(ref) === null)) incomplete += 1;
    if (refs.length < 2) continue;
    if (!refs.some((ref) => inBbox(pointOf(ref)!))) {
      outsideBbox += 1;
      continue;
    }
    kept.push({ way, refs });
  }
  if (incomplete > 0)
    warnings.push(
      `${incomplete} way(s) reference nodes missing from the extract (kept with the nodes present); ` +
        'extract with `osmium extract --strategy complete_ways`',
    );
  if (kept.length === 0)
    throw new Error(
      `no highway=motorway/motorway_link${options.motorwayOnly ? '' : '/trunk/trunk_link'} way has a node inside ` +
        `the bbox ${options.bbox.join(',')} (${data.roadWays.length} such way(s) in the input; is the bbox ` +
        'minLon,minLat,maxLon,maxLat in WGS-84?)',
    );

  // --- split where kept ways share a node ---------------------------------------------------------------------
  const uses = new Map<number, number>();
  for (const { refs } of kept) for (const ref of refs) uses.set(ref, (uses.get(ref) ?? 0) + 1);

  const junctions = data.poiNodes
    .filter((n) => n.tags?.highway === 'motorway_junction')
    .map((n) => {
      const ref = text(n.tags!.ref);
      return { point: pointOf(n.id)!, label: nameZhOf(n.tags!) ?? (ref ? `出口 ${ref}` : null) };
    })
    .filter((j): j is { point: LonLat; label: string } => j.label !== null);
  const nearestJunction = (coords: LonLat[]): string | null => {
    let best: { label: string; d: number } | null = null;
    for (const j of junctions) {
      for (const c of coords) {
        // Cheap reject before the great-circle distance: 0.03° is over 2 km in latitude everywhere.
        if (Math.abs(c[1] - j.point[1]) > 0.03) continue;
        const d = haversineM(c, j.point);
        if (d <= JUNCTION_RADIUS_M && (!best || d < best.d)) best = { label: j.label, d };
      }
    }
    return best?.label ?? null;
  };

  const roads: RoadFeature[] = [];
  const tunnels: PointFeature[] = [];
  for (const { way, refs } of kept) {
    const tags = way.tags;
    const highway = tags.highway!;
    const roadClass = HIGHWAY_CLASS[highway]!;
    const { oneway, reverse } = onewayOf(tags);
    const speedKmh = parseMaxspeed(tags.maxspeed) ?? DEFAULT_SPEED_KMH[highway]!;
    const parts: number[][] = [[refs[0]!]];
    refs.slice(1).forEach((ref, i) => {
      parts.at(-1)!.push(ref);
      if (i + 2 < refs.length && (uses.get(ref) ?? 0) > 1) parts.push([ref]);
    });
    parts.forEach((part, index) => {
      const coords = part.map((ref) => pointOf(ref)!).filter((c, i, all) => i === 0 || c.join() !== all[i - 1]!.join());
      if (coords.length < 2) return;
      if (reverse) coords.reverse();
      const properties: RoadProperties = {
        id: parts.length === 1 ? `osm-w${way.id}` : `osm-w${way.id}-${index + 1}`,
        ref: refOf(tags),
        name_zh: nameZhOf(tags),
        name_en: text(tags['name:en']),
        class: roadClass,
        oneway,
        direction: null,
        speedKmh,
        stakeStartM: null,
        stakeEndM: null,
        via_zh: roadClass === 'motorway_link' ? nearestJunction(coords) : null,
        schematic: false,
      };
      roads.push({ type: 'Feature', properties, geometry: { type: 'LineString', coordinates: coords } });
    });
    if (tags.tunnel === 'yes') {
      const mid = midpointOf(refs.map((ref) => pointOf(ref)!));
      if (inBbox(mid)) {
        const nameEn = text(tags['tunnel:name:en']);
        tunnels.push({
          type: 'Feature',
          properties: {
            kind: 'tunnel',
            id: `osm-w${way.id}-tunnel`,
            name_zh: text(tags['tunnel:name:zh']) ?? text(tags['tunnel:name']) ?? '隧道',
            ...(nameEn ? { name_en: nameEn } : {}),
            ref: refOf(tags),
            osm: 'tunnel=yes',
          },
          geometry: { type: 'Point', coordinates: mid },
        });
      }
    }
  }

  // --- points of interest -------------------------------------------------------------------------------------
  const carriageways = roads.filter((f) => f.properties.class === 'motorway' || f.properties.class === 'trunk');
  const nearCarriageway = (p: LonLat) =>
    carriageways.some((f) => {
      const c = f.geometry.coordinates as LonLat[];
      return c.some(
        (a, i) =>
          i > 0 && Math.abs(a[1] - p[1]) < 0.05 && projectOnSegment(p, c[i - 1]!, a).distanceM <= FUEL_ON_MOTORWAY_M,
      );
    });
  const candidates: { kind: PoiKind | 'fuel'; id: string | undefined; tags: OsmTags; point: LonLat }[] = [];
  for (const node of data.poiNodes) {
    const osmId = node.osmId ?? (node.id > 0 ? node.id : undefined);
    candidates.push({
      kind: poiKindOf(node.tags)!,
      id: osmId === undefined ? undefined : `osm-n${osmId}`,
      tags: node.tags!,
      point: pointOf(node.id)!,
    });
  }
  for (const way of data.poiWays) {
    const coords = way.refs.map(pointOf).filter((c): c is LonLat => c !== null);
    if (coords.length === 0) continue;
    candidates.push({
      kind: poiKindOf(way.tags)!,
      id: way.id > 0 ? `osm-w${way.id}` : `osm-r${-way.id}`,
      tags: way.tags,
      point: centroidOf(coords),
    });
  }
  const services = candidates.filter((c) => c.kind === 'service_area').map((c) => c.point);
  const DEFAULT_NAME: Record<PoiKind, string> = { interchange: '出口', service_area: '服务区', toll_station: '收费站' };
  const pois: PointFeature[] = [];
  for (const c of candidates.sort((a, b) => (a.id ?? '').localeCompare(b.id ?? ''))) {
    if (!inBbox(c.point)) continue;
    let kind: PoiKind;
    if (c.kind === 'fuel') {
      if (!nearCarriageway(c.point) || services.some((s) => haversineM(s, c.point) <= FUEL_IN_SERVICES_M)) continue;
      kind = 'service_area';
    } else {
      kind = c.kind;
    }
    const ref = text(c.tags.ref);
    const nameEn = text(c.tags['name:en']) ?? (kind === 'interchange' && ref ? `Exit ${ref}` : null);
    const osmTag =
      c.kind === 'interchange' || c.tags.highway === 'services' || c.tags.highway === 'rest_area'
        ? `highway=${c.tags.highway}`
        : c.kind === 'fuel'
          ? 'amenity=fuel'
          : 'barrier=toll_booth';
    pois.push({
      type: 'Feature',
      properties: {
        kind,
        ...(c.id ? { id: c.id } : {}),
        name_zh:
          nameZhOf(c.tags) ??
          (kind === 'interchange' && ref
            ? `出口 ${ref}`
            : c.tags.highway === 'rest_area'
              ? '停车区'
              : c.kind === 'fuel'
                ? '加油站'
                : DEFAULT_NAME[kind]),
        ...(nameEn ? { name_en: nameEn } : {}),
        ref,
        osm: osmTag,
      },
      geometry: { type: 'Point', coordinates: c.point },
    });
  }
  pois.push(...tunnels);

  // --- corridors, boundaries, manifest ------------------------------------------------------------------------
  const corridors = buildCorridors(roads);
  if (corridors.skipped.length > 0)
    warnings.push(`no corridor line for ref(s) ${corridors.skipped.join(', ')} (not letters/digits, or under 100 m)`);
  if (corridors.refs.length === 0)
    warnings.push(
      'no corridors: the demo simulators need a motorway with a ref; start with BEACON_DEMO=0 for this pack',
    );

  let boundariesText: string;
  let boundariesFile: { attribution: string; licence: string };
  if (options.boundaries) {
    let json: unknown;
    try {
      json = JSON.parse(fs.readFileSync(options.boundaries, 'utf8'));
    } catch (error) {
      throw new Error(`--boundaries ${options.boundaries}: ${(error as Error).message}`, { cause: error });
    }
    const parsed = BoundaryCollection.safeParse(json);
    if (!parsed.success)
      throw new Error(`--boundaries ${options.boundaries}: ${describeZodError(parsed.error)}`, { cause: parsed.error });
    if (!parsed.data.features.some((f) => f.properties?.level === 'city' || f.properties?.level === 'county'))
      warnings.push(
        `--boundaries: no feature has properties.level "city" or "county"; the wall draws only those levels`,
      );
    boundariesText = JSON.stringify(json);
    boundariesFile = {
      attribution: options.boundariesAttribution ?? `Boundaries: ${path.basename(options.boundaries)}`,
      licence: options.boundariesLicence ?? 'supplied by the deployment; see its source',
    };
  } else {
    const ring = [
      [minLon, minLat],
      [maxLon, minLat],
      [maxLon, maxLat],
      [minLon, maxLat],
      [minLon, minLat],
    ];
    boundariesText = featureCollectionText([
      {
        type: 'Feature',
        properties: {
          level: 'city',
          name_zh: options.nameZh,
          name_en: options.nameEn,
          note: 'import bbox, not an administrative boundary',
        },
        geometry: { type: 'Polygon', coordinates: [ring] },
      },
    ]);
    boundariesFile = {
      attribution: 'Import bbox (not an administrative boundary)',
      licence: 'generated, no third-party data',
    };
  }

  const osmFile = (file: string) => ({ file, attribution: OSM_ATTRIBUTION, licence: OSM_LICENCE, schematic: false });
  const manifest = RegionManifest.parse({
    id: options.id,
    name_zh: options.nameZh,
    name_en: options.nameEn,
    bbox: options.bbox,
    center: [round7((minLon + maxLon) / 2), round7((minLat + maxLat) / 2)],
    files: {
      boundaries: { file: 'boundaries.geojson', ...boundariesFile },
      roads: osmFile('roads.geojson'),
      pois: osmFile('pois.geojson'),
      ...(corridors.refs.length > 0 ? { corridors: osmFile('corridors.geojson') } : {}),
    },
  });
  // The importer's own output must satisfy the shared schemas; a failure here is a bug in this file.
  RoadCollection.parse({ type: 'FeatureCollection', features: roads });
  PointCollection.parse({ type: 'FeatureCollection', features: pois });

  const source = { source: `OpenStreetMap via beacon region:import (${path.basename(options.input)})` };
  const files: [string, string][] = [
    ['manifest.json', `${JSON.stringify(manifest, null, 2)}\n`],
    ['roads.geojson', featureCollectionText(roads, { metadata: source })],
    ['pois.geojson', featureCollectionText(pois, { metadata: source })],
    ['boundaries.geojson', boundariesText],
  ];
  if (corridors.refs.length > 0)
    files.push(['corridors.geojson', featureCollectionText(corridors.features, { metadata: source })]);
  fs.mkdirSync(options.outDir, { recursive: true });
  for (const [name, content] of files) fs.writeFileSync(path.join(options.outDir, name), content);

  // --- verify: the server's own loader must accept the pack -------------------------------------------------
  const graph = loadRoadGraph(options.outDir);
  const roadCounts: Partial<Record<RoadClass, number>> = {};
  for (const f of roads) roadCounts[f.properties.class] = (roadCounts[f.properties.class] ?? 0) + 1;
  const poiCounts: Record<string, number> = {};
  for (const f of pois) poiCounts[f.properties.kind] = (poiCounts[f.properties.kind] ?? 0) + 1;
  return {
    outDir: options.outDir,
    files: files.map(([name]) => name),
    osmWays: { kept: kept.length, outsideBbox, incomplete },
    roads: roadCounts,
    features: roads.length,
    pois: poiCounts,
    corridors: corridors.refs,
    graph: {
      nodes: graph.nodes.length,
      edges: graph.edges.length,
      components: weaklyConnectedComponents(graph),
      deadEnds: graph.outgoing.filter((out) => out.length === 0).length,
    },
    warnings,
  };
}

/** The summary `region:import` prints. */
export function formatSummary(options: ImportOptions, r: ImportResult): string {
  const counts = (c: Record<string, number | undefined>) =>
    Object.entries(c)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ') || 'none';
  const lines = [
    `region:import ${options.id}: ${path.basename(options.input)} (${options.format}, ${options.crs}) → ${r.outDir}`,
    `  ways        ${r.osmWays.kept} OSM ways → ${r.features} road features (${counts(r.roads)}); ` +
      `${r.osmWays.outsideBbox} outside the bbox skipped`,
    `  pois        ${counts(r.pois)}`,
    `  corridors   ${r.corridors.length > 0 ? r.corridors.join(', ') : 'none'}`,
    `  graph       ${r.graph.nodes} nodes, ${r.graph.edges} edges, ${r.graph.components} weakly connected ` +
      `component${r.graph.components === 1 ? '' : 's'}, ${r.graph.deadEnds} dead ends (usually at the bbox edge)`,
    `  files       ${r.files.join(', ')}`,
    ...r.warnings.map((w) => `  warning     ${w}`),
    `Start the wall on it: BEACON_REGION_DIR=${r.outDir} pnpm start`,
  ];
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// The command line: `pnpm beacon region:import …`

export const IMPORT_USAGE = `  region:import <extract.osm.pbf|.osm|.geojson> --bbox minLon,minLat,maxLon,maxLat --out <dir>
        [--id <id>] [--name-zh <名称>] [--name-en <name>] [--crs wgs84|gcj02] [--motorway-only] [--force]
        [--boundaries <geojson> [--boundaries-attribution <text>] [--boundaries-licence <text>]]
      build a region pack from an OpenStreetMap extract (docs/REGION-PACKS.md)`;

/** Bad arguments: the CLI exits 2 and prints the usage. */
export class ImportUsageError extends Error {
  override name = 'ImportUsageError';
}

const BboxArg = z
  .string({ error: 'is required (minLon,minLat,maxLon,maxLat in WGS-84)' })
  .transform((value, ctx): Bbox => {
    const parts = value.split(',').map((s) => s.trim());
    if (parts.length !== 4 || parts.some((s) => !/^[-+]?\d+(\.\d+)?$/.test(s))) {
      ctx.addIssue({
        code: 'custom',
        message: `expected minLon,minLat,maxLon,maxLat (four numbers separated by commas), got "${value}"`,
      });
      return z.NEVER;
    }
    const [minLon, minLat, maxLon, maxLat] = parts.map(Number) as Bbox;
    const problems = [
      !Longitude.safeParse(minLon).success && `minLon ${minLon} is not a longitude (-180..180)`,
      !Longitude.safeParse(maxLon).success && `maxLon ${maxLon} is not a longitude (-180..180)`,
      !Latitude.safeParse(minLat).success && `minLat ${minLat} is not a latitude (-90..90)`,
      !Latitude.safeParse(maxLat).success && `maxLat ${maxLat} is not a latitude (-90..90)`,
      minLon >= maxLon && `minLon ${minLon} must be less than maxLon ${maxLon}`,
      minLat >= maxLat && `minLat ${minLat} must be less than maxLat ${maxLat}`,
    ].filter((p): p is string => typeof p === 'string');
    for (const message of problems) ctx.addIssue({ code: 'custom', message });
    return [minLon, minLat, maxLon, maxLat];
  });

const Args = z.object({
  input: z.string({ error: 'the extract to import is required' }),
  bbox: BboxArg,
  out: z.string({ error: 'is required (the pack directory, e.g. regions/bijie-osm)' }).min(1),
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be lower-case letters, digits, "-" or "_" (at most 64)')
    .optional(),
  'name-zh': z.string().trim().min(1).optional(),
  'name-en': z.string().trim().min(1).optional(),
  crs: z.enum(['wgs84', 'gcj02'], { error: 'must be wgs84 or gcj02' }).default('wgs84'),
  boundaries: z.string().min(1).optional(),
  'boundaries-attribution': z.string().trim().min(1).optional(),
  'boundaries-licence': z.string().trim().min(1).optional(),
  'motorway-only': z.boolean().default(false),
  force: z.boolean().default(false),
});

/** Parse and check `region:import` arguments. Paths are resolved against `cwd`. Throws ImportUsageError. */
export function parseImportArgs(argv: string[], cwd: string): ImportOptions {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        bbox: { type: 'string' },
        out: { type: 'string' },
        id: { type: 'string' },
        'name-zh': { type: 'string' },
        'name-en': { type: 'string' },
        crs: { type: 'string' },
        boundaries: { type: 'string' },
        'boundaries-attribution': { type: 'string' },
        'boundaries-licence': { type: 'string' },
        'motorway-only': { type: 'boolean' },
        force: { type: 'boolean' },
      },
    });
  } catch (error) {
    throw new ImportUsageError(`region:import: ${(error as Error).message}`, { cause: error });
  }
  if (parsed.positionals.length > 1)
    throw new ImportUsageError(`region:import: one input file, got ${parsed.positionals.length}`);
  const args = Args.safeParse({ ...parsed.values, input: parsed.positionals[0] });
  if (!args.success) {
    const message = args.error.issues
      .map((issue) => {
        const key = String(issue.path[0] ?? '');
        return `${key === 'input' ? 'input' : `--${key}`}: ${issue.message}`;
      })
      .join('; ');
    throw new ImportUsageError(`region:import: ${message}`);
  }
  const a = args.data;
  const input = path.resolve(cwd, a.input);
  const format = formatOf(input);
  if (!format)
    throw new ImportUsageError(
      `region:import: input ${a.input}: unknown format (expected .osm.pbf, .osm/.xml, or .geojson/.json/.geojsonseq ` +
        'from osmium export)',
    );
  if (!fs.existsSync(input)) throw new ImportUsageError(`region:import: input ${a.input}: no such file`);
  const boundaries = a.boundaries ? path.resolve(cwd, a.boundaries) : null;
  if (boundaries && !fs.existsSync(boundaries))
    throw new ImportUsageError(`region:import: --boundaries ${a.boundaries}: no such file`);
  if ((a['boundaries-attribution'] || a['boundaries-licence']) && !boundaries)
    throw new ImportUsageError('region:import: --boundaries-attribution/--boundaries-licence need --boundaries');
  const outDir = path.resolve(cwd, a.out);
  const id = a.id ?? path.basename(outDir);
  if (!/^[a-z0-9][a-z0-9_-]{0,63}$/.test(id))
    throw new ImportUsageError(`region:import: the pack id "${id}" (from --out) is not valid; pass --id <id>`);
  if (fs.existsSync(path.join(outDir, 'manifest.json')) && !a.force)
    throw new ImportUsageError(`region:import: --out ${a.out} already holds a region pack; add --force to replace it`);
  return {
    input,
    format,
    bbox: a.bbox,
    outDir,
    id,
    nameZh: a['name-zh'] ?? id,
    nameEn: a['name-en'] ?? id,
    boundaries,
    boundariesAttribution: a['boundaries-attribution'] ?? null,
    boundariesLicence: a['boundaries-licence'] ?? null,
    crs: a.crs,
    motorwayOnly: a['motorway-only'],
  };
}

/**
 * `region:import`: parse, import, verify, print the summary. Relative paths are taken from the directory
 * `pnpm` was started in (INIT_CWD), since pnpm runs scripts from the repository root.
 */
export async function runRegionImport(
  argv: string[],
  { cwd = process.env.INIT_CWD || process.cwd(), log = console.log } = {},
): Promise<ImportResult> {
  const options = parseImportArgs(argv, cwd);
  try {
    const result = await importOsm(options);
    log(formatSummary(options, result));
    return result;
  } catch (error) {
    if (error instanceof OsmInputError) throw error;
    throw new Error(`region:import: ${(error as Error).message}`, { cause: error });
  }
}
