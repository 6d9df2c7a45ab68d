import { haversineM, type LonLat } from '@beacon/shared';
import { MinHeap } from './min-heap.ts';
import type { RoadEdge, RoadGraph } from './road-graph.ts';
import type { RoadMatch } from './map-match.ts';

/** Speed assumed for the leg from an off-network unit to the nearest road node (labelled approximate). */
export const OFF_NETWORK_KMH = 30;
/** Straight lines underestimate real paths off the network; this factor makes the estimate less optimistic. */
export const OFF_NETWORK_DETOUR = 1.3;

/** Time from every node to the target, and the first edge of the fastest way there. */
export interface TimesToTarget {
  timeS: Float64Array;
  nextEdge: Int32Array;
  target: RoadMatch[];
}

/**
 * One backward Dijkstra search from the target (one or more matched points, e.g. both carriageways when the
 * direction is unknown) over the reversed graph: afterwards the drive time from any node is known, so all
 * candidates are ranked with a single search. Stops early once every node in `stopWhenSettled` is settled.
 */
export function timesToTarget(graph: RoadGraph, target: RoadMatch[], stopWhenSettled?: Set<number>): TimesToTarget {
  const n = graph.nodes.length;
  const timeS = new Float64Array(n).fill(Infinity);
  const nextEdge = new Int32Array(n).fill(-1);
  const heap = new MinHeap();
  for (const match of target) {
    const e = match.edge;
    const t = e.delayS + e.effectiveTravelS * match.t;
    if (t < timeS[e.from]!) {
      timeS[e.from] = t;
      nextEdge[e.from] = e.index;
      heap.push(t, e.from);
    }
  }
  const remaining = stopWhenSettled ? new Set(stopWhenSettled) : null;
  const settled = new Uint8Array(n);
  while (heap.size > 0) {
    const { key, value: node } = heap.pop()!;
    if (settled[node] || key > timeS[node]!) continue;
    settled[node] = 1;
    if (remaining) {
      remaining.delete(node);
      if (remaining.size === 0) break;
    }
    for (const index of graph.incoming[node]!) {
      const e = graph.edges[index]!;
      const candidate = key + e.delayS + e.effectiveTravelS;
      if (candidate < timeS[e.from]!) {
        timeS[e.from] = candidate;
        nextEdge[e.from] = index;
        heap.push(candidate, e.from);
      }
    }
  }
  return { timeS, nextEdge, target };
}

/** A unit's way to the target: drive time, road distance and the route. */
export interface UnitRoute {
  driveTimeS: number;
  roadDistanceM: number;
  route: LonLat[];
  edges: RoadEdge[];
  /** True when part of it is a straight-line estimate (off-network start). */
  approximate: boolean;
}

function walk(graph: RoadGraph, times: TimesToTarget, fromNode: number, route: LonLat[], edges: RoadEdge[]): number {
  let distance = 0;
  let node = fromNode;
  const targetEdges = new Map(times.target.map((m) => [m.edge.index, m]));
  for (let guard = 0; guard < graph.edges.length + 1; guard += 1) {
    const index = times.nextEdge[node]!;
    if (index < 0) break;
    const e = graph.edges[index]!;
    edges.push(e);
    const end = targetEdges.get(index);
    if (end && times.timeS[node]! === e.delayS + e.effectiveTravelS * end.t) {
      route.push(end.point);
      return distance + e.lengthM * end.t;
    }
    route.push(e.toPoint);
    distance += e.lengthM;
    node = e.to;
  }
  return distance;
}

/** Route of a unit matched on the network. */
export function routeFromMatch(graph: RoadGraph, times: TimesToTarget, start: RoadMatch): UnitRoute | null {
  const e = start.edge;
  // Already on a target edge, short of the target point: straight on.
  for (const target of times.target) {
    if (target.edge.index === e.index && target.t >= start.t) {
      return {
        driveTimeS: e.effectiveTravelS * (target.t - start.t),
        roadDistanceM: e.lengthM * (target.t - start.t),
        route: [start.point, target.point],
        edges: [e],
        approximate: false,
      };
    }
  }
  const rest = times.timeS[e.to]!;
  if (!Number.isFinite(rest)) return null;
  const route: LonLat[] = [start.point, e.toPoint];
  const edges: RoadEdge[] = [e];
  const distance = e.lengthM * (1 - start.t) + walk(graph, times, e.to, route, edges);
  return {
    driveTimeS: e.effectiveTravelS * (1 - start.t) + rest,
    roadDistanceM: distance,
    route,
    edges,
    approximate: false,
  };
}

/** Route of a unit away from the network: a straight-line leg to the best nearby node, then the road. */
export function routeOffNetwork(
  graph: RoadGraph,
  times: TimesToTarget,
  position: LonLat,
  maxLegM = 30_000,
): UnitRoute | null {
  let best: { node: number; total: number; legM: number } | null = null;
  const speed = OFF_NETWORK_KMH / 3.6;
  graph.nodes.forEach((node, i) => {
    if (!Number.isFinite(times.timeS[i]!)) return;
    const legM = haversineM(position, node) * OFF_NETWORK_DETOUR;
    if (legM > maxLegM) return;
    const total = legM / speed + times.timeS[i]!;
    if (!best || total < best.total) best = { node: i, total, legM };
  });
  if (!best) return null;
  const { node, total, legM } = best as { node: number; total: number; legM: number };
  const route: LonLat[] = [position, graph.nodes[node]!];
  const edges: RoadEdge[] = [];
  const distance = legM + walk(graph, times, node, route, edges);
  return { driveTimeS: total, roadDistanceM: distance, route, edges, approximate: true };
}
