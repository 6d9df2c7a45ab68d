import { formatStake, type CarriagewayDirection, type LonLat } from '@beacon/shared';
import { CELL_DEG, type RoadEdge, type RoadGraph } from './road-graph.ts';

/** A position snapped onto a directed edge. */
export interface RoadMatch {
  edge: RoadEdge;
  /** Fraction along the edge, 0 at `from`, 1 at `to`. */
  t: number;
  point: LonLat;
  /** Distance from the reported position to the road, metres. */
  distanceM: number;
  /** 0..1: how sure the match is, from distance and heading agreement. */
  confidence: number;
}

/** Beyond this distance from any road a position is "off-network". */
export const OFF_NETWORK_M = 300;

/** Planar projection of p onto segment a–b in a local metric frame; returns fraction and distance in metres. */
export function projectOnSegment(p: LonLat, a: LonLat, b: LonLat): { t: number; distanceM: number; point: LonLat } {
  const kx = 111_320 * Math.cos((p[1] * Math.PI) / 180);
  const ky = 110_574;
  const ax = (a[0] - p[0]) * kx;
  const ay = (a[1] - p[1]) * ky;
  const bx = (b[0] - p[0]) * kx;
  const by = (b[1] - p[1]) * ky;
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.min(1, Math.max(0, -(ax * dx + ay * dy) / len2));
  const x = ax + dx * t;
  const y = ay + dy * t;
  return { t, distanceM: Math.hypot(x, y), point: [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t] };
}

function angleBetween(a: number, b: number): number {
  const d = Math.abs(a - b) % 360;
  return d > 180 ? 360 - d : d;
}

/**
 * Snap a position (and, when known, its heading) to the best directed edge within `radiusM`.
 * Heading decides between the two carriageways of an expressway: travelling against an edge's direction
 * costs as much as being a kilometre away. `direction` restricts the match to one carriageway.
 */
export function matchToRoad(
  graph: RoadGraph,
  position: LonLat,
  {
    headingDeg = null,
    direction = null,
    radiusM = OFF_NETWORK_M,
    motorwayOnly = false,
  }: {
    headingDeg?: number | null;
    direction?: CarriagewayDirection | null;
    radiusM?: number;
    motorwayOnly?: boolean;
  } = {},
): RoadMatch | null {
  const reach = Math.ceil(radiusM / 1000 / (CELL_DEG * 100)) + 1;
  const cx = Math.floor(position[0] / CELL_DEG);
  const cy = Math.floor(position[1] / CELL_DEG);
  const seen = new Set<number>();
  let best: (RoadMatch & { score: number }) | null = null;
  for (let x = cx - reach; x <= cx + reach; x += 1) {
    for (let y = cy - reach; y <= cy + reach; y += 1) {
      for (const index of graph.grid.get(`${x}:${y}`) ?? []) {
        if (seen.has(index)) continue;
        seen.add(index);
        const edge = graph.edges[index]!;
        if (motorwayOnly && edge.roadClass !== 'motorway') continue;
        if (direction && edge.direction !== direction) continue;
        const { t, distanceM, point } = projectOnSegment(position, edge.fromPoint, edge.toPoint);
        if (distanceM > radiusM) continue;
        let penalty = 0;
        if (headingDeg !== null) {
          const diff = angleBetween(headingDeg, edge.bearing);
          penalty = diff <= 60 ? 0 : diff <= 120 ? 200 : 1000;
        }
        // Prefer the main carriageway over ramps at equal distance.
        if (edge.roadClass !== 'motorway') penalty += 5;
        const score = distanceM + penalty;
        if (!best || score < best.score) {
          const headingFit = headingDeg === null ? 0.7 : penalty < 100 ? 1 : 0.3;
          const confidence = Math.max(0, Math.min(1, (1 - distanceM / radiusM) * headingFit));
          best = { edge, t, point, distanceM, confidence, score };
        }
      }
    }
  }
  if (!best) return null;
  const { score: _score, ...match } = best;
  return match;
}

/** Stake at a matched point, for carriageways with a ref. */
export function stakeOfMatch(match: RoadMatch): string | null {
  const { edge, t } = match;
  if (!edge.ref || edge.stakeFromM === null || edge.stakeToM === null || edge.roadClass !== 'motorway') return null;
  return formatStake({
    ref: edge.ref,
    m: edge.stakeFromM + (edge.stakeToM - edge.stakeFromM) * t,
    direction: edge.direction,
  });
}

/** The point of a stake on its carriageway (linear referencing), or null if the road or stake is unknown. */
export function pointAtStake(
  graph: RoadGraph,
  stake: { ref: string; m: number; direction: CarriagewayDirection | null },
): LonLat | null {
  for (const edge of graph.edges) {
    if (edge.ref !== stake.ref || edge.roadClass !== 'motorway' || edge.stakeFromM === null || edge.stakeToM === null)
      continue;
    if (stake.direction && edge.direction !== stake.direction) continue;
    const lo = Math.min(edge.stakeFromM, edge.stakeToM);
    const hi = Math.max(edge.stakeFromM, edge.stakeToM);
    if (stake.m < lo || stake.m > hi) continue;
    const t = edge.stakeToM === edge.stakeFromM ? 0 : (stake.m - edge.stakeFromM) / (edge.stakeToM - edge.stakeFromM);
    return [
      edge.fromPoint[0] + (edge.toPoint[0] - edge.fromPoint[0]) * t,
      edge.fromPoint[1] + (edge.toPoint[1] - edge.fromPoint[1]) * t,
    ];
  }
  return null;
}
