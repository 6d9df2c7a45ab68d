import fs from 'node:fs';
import path from 'node:path';
import {
  RegionManifest,
  RoadCollection,
  bearingDeg,
  describeZodError,
  haversineM,
  type CarriagewayDirection,
  type LonLat,
  type RoadClass,
} from '@beacon/shared';

/** One directed edge: a segment between two consecutive vertices of a way. */
export interface RoadEdge {
  index: number;
  from: number;
  to: number;
  fromPoint: LonLat;
  toPoint: LonLat;
  lengthM: number;
  /** Free-flow travel time of the segment itself, seconds. */
  travelS: number;
  /**
   * Travel time the drive-time search uses: `travelS`, or longer while a weather measure restricts the
   * segment (see `RoadNetwork.setRestrictions`).
   */
  effectiveTravelS: number;
  /** Fixed time added for entering this edge (e.g. turning at an interchange), seconds. */
  delayS: number;
  bearing: number;
  wayId: string;
  ref: string | null;
  roadClass: RoadClass;
  direction: CarriagewayDirection | null;
  /** Stake at `from` and `to` for carriageways with a ref; null otherwise. */
  stakeFromM: number | null;
  stakeToM: number | null;
  viaZh: string | null;
  speedKmh: number;
}

/** The directed road graph of a region pack with a coarse grid index of its edges. */
export interface RoadGraph {
  nodes: LonLat[];
  edges: RoadEdge[];
  /** Edges leaving / entering each node. */
  outgoing: number[][];
  incoming: number[][];
  /** Edge indexes per grid cell (CELL_DEG degrees). */
  grid: Map<string, number[]>;
  schematic: boolean;
}

export const CELL_DEG = 0.01;
export const cellKey = (lon: number, lat: number) => `${Math.floor(lon / CELL_DEG)}:${Math.floor(lat / CELL_DEG)}`;

/** Build the graph: ways meet where they share a vertex; one-way ways run in their digitised direction only. */
export function buildRoadGraph(roads: RoadCollection, schematic = false): RoadGraph {
  const nodeIndex = new Map<string, number>();
  const nodes: LonLat[] = [];
  const nodeOf = (p: LonLat) => {
    const key = `${p[0]},${p[1]}`;
    let i = nodeIndex.get(key);
    if (i === undefined) {
      i = nodes.length;
      nodes.push(p);
      nodeIndex.set(key, i);
    }
    return i;
  };
  const edges: RoadEdge[] = [];
  for (const feature of roads.features) {
    const p = feature.properties;
    const coords = feature.geometry.coordinates as LonLat[];
    const lengths = coords.slice(1).map((c, i) => haversineM(coords[i]!, c));
    const total = lengths.reduce((a, b) => a + b, 0);
    let along = 0;
    const stakeAt = (m: number) =>
      p.stakeStartM === null || p.stakeEndM === null || total === 0
        ? null
        : p.stakeStartM + ((p.stakeEndM - p.stakeStartM) * m) / total;
    for (let i = 1; i < coords.length; i += 1) {
      const a = coords[i - 1]!;
      const b = coords[i]!;
      const lengthM = lengths[i - 1]!;
      const add = (from: LonLat, to: LonLat, sFrom: number | null, sTo: number | null, delayS: number) => {
        edges.push({
          index: edges.length,
          from: nodeOf(from),
          to: nodeOf(to),
          fromPoint: from,
          toPoint: to,
          lengthM,
          travelS: lengthM / (p.speedKmh / 3.6),
          effectiveTravelS: lengthM / (p.speedKmh / 3.6),
          delayS,
          bearing: bearingDeg(from, to),
          wayId: p.id,
          ref: p.ref,
          roadClass: p.class,
          direction: p.direction,
          stakeFromM: sFrom,
          stakeToM: sTo,
          viaZh: p.via_zh,
          speedKmh: p.speedKmh,
        });
      };
      const delay = i === 1 ? (p.delayS ?? 0) : 0;
      add(a, b, stakeAt(along), stakeAt(along + lengthM), delay);
      if (!p.oneway) add(b, a, stakeAt(along + lengthM), stakeAt(along), delay);
      along += lengthM;
    }
  }
  const outgoing: number[][] = nodes.map(() => []);
  const incoming: number[][] = nodes.map(() => []);
  const grid = new Map<string, number[]>();
  for (const e of edges) {
    outgoing[e.from]!.push(e.index);
    incoming[e.to]!.push(e.index);
    // Index the edge in every cell its bounding box touches.
    const [minLon, maxLon] = [Math.min(e.fromPoint[0], e.toPoint[0]), Math.max(e.fromPoint[0], e.toPoint[0])];
    const [minLat, maxLat] = [Math.min(e.fromPoint[1], e.toPoint[1]), Math.max(e.fromPoint[1], e.toPoint[1])];
    for (let x = Math.floor(minLon / CELL_DEG); x <= Math.floor(maxLon / CELL_DEG); x += 1) {
      for (let y = Math.floor(minLat / CELL_DEG); y <= Math.floor(maxLat / CELL_DEG); y += 1) {
        const key = `${x}:${y}`;
        const list = grid.get(key);
        if (list) list.push(e.index);
        else grid.set(key, [e.index]);
      }
    }
  }
  return { nodes, edges, outgoing, incoming, grid, schematic };
}

/** Read and validate a region pack's manifest and road layer, and build its graph. Errors name the file. */
export function loadRoadGraph(regionDir: string): RoadGraph {
  const read = (file: string): unknown => {
    try {
      return JSON.parse(fs.readFileSync(path.join(regionDir, file), 'utf8'));
    } catch (error) {
      throw new Error(`region pack ${regionDir}: cannot read ${file}: ${(error as Error).message}`, { cause: error });
    }
  };
  const manifest = RegionManifest.safeParse(read('manifest.json'));
  if (!manifest.success)
    throw new Error(`region pack ${regionDir}: manifest.json: ${describeZodError(manifest.error)}`);
  const roadsFile = manifest.data.files.roads;
  const roads = RoadCollection.safeParse(read(roadsFile.file));
  if (!roads.success) throw new Error(`region pack ${regionDir}: ${roadsFile.file}: ${describeZodError(roads.error)}`);
  return buildRoadGraph(roads.data, roadsFile.schematic === true);
}
