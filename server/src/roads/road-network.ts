import { haversineM, type Candidate, type CarriagewayDirection, type LonLat, type Unit } from '@beacon/shared';
import { routeFromMatch, routeOffNetwork, timesToTarget, type UnitRoute } from './drive-time.ts';
import { matchToRoad, stakeOfMatch, type RoadMatch } from './map-match.ts';
import type { RoadEdge, RoadGraph } from './road-graph.ts';
import { speedFactorForMeasure } from '../alerts/control-measure.ts';

/** Motorway speed used to express a detour as extra minutes. */
const REFERENCE_KMH = 100;
/** Routes are sent for this many best candidates. */
const ROUTES_FOR = 5;

/**
 * A section of an expressway under a traffic-control measure: both carriageways of `ref` between the two
 * stakes drive at `speedLimitKmh` at most, or crawl at `CLOSED_SECTION_KMH` when closed.
 */
export interface RoadRestriction {
  ref: string;
  fromStakeM: number;
  toStakeM: number;
  speedLimitKmh: number | null;
  closed: boolean;
}

/**
 * Speed assumed on a closed section. Not infinite: a patrol may still have to go in (an incident inside, or
 * it is the unit closing it), but any open detour wins: 10 km closed cost two hours.
 */
export const CLOSED_SECTION_KMH = 5;

/**
 * The travel time of one edge under the restrictions: the slowest of those covering it (same ref, motorway,
 * stake ranges overlapping); its free-flow time when none does.
 */
export function restrictedTravelS(edge: RoadEdge, restrictions: readonly RoadRestriction[]): number {
  let travelS = edge.travelS;
  if (edge.ref === null || edge.roadClass !== 'motorway' || edge.stakeFromM === null || edge.stakeToM === null) {
    return travelS;
  }
  const lo = Math.min(edge.stakeFromM, edge.stakeToM);
  const hi = Math.max(edge.stakeFromM, edge.stakeToM);
  for (const r of restrictions) {
    if (r.ref !== edge.ref || hi <= r.fromStakeM || lo >= r.toStakeM) continue;
    const speed = speedFactorForMeasure({ speedLimitKmh: r.speedLimitKmh, closeSection: r.closed }, edge.speedKmh);
    const t = speed.closed ? edge.lengthM / (CLOSED_SECTION_KMH / 3.6) : edge.travelS * speed.travelTimeFactor;
    travelS = Math.max(travelS, t);
  }
  return travelS;
}

export interface IncidentPlace {
  lon: number;
  lat: number;
  direction: CarriagewayDirection | null;
}

/**
 * The road network of the region pack: where things are (stake numbers, map matching) and how long it
 * takes to drive there (one backward search from the incident ranks every candidate).
 */
export function createRoadNetwork(graph: RoadGraph) {
  /** Motorway edges with a stake range, by ref: the only ones a restriction can touch. */
  const stakedByRef = new Map<string, RoadEdge[]>();
  for (const e of graph.edges) {
    if (e.ref === null || e.roadClass !== 'motorway' || e.stakeFromM === null) continue;
    const list = stakedByRef.get(e.ref);
    if (list) list.push(e);
    else stakedByRef.set(e.ref, [e]);
  }
  /** Edges whose effective travel time differs from free flow. */
  let restricted: RoadEdge[] = [];
  let current: RoadRestriction[] = [];

  /** Where an incident sits on the network: its carriageway if known, else both. */
  function incidentTargets(place: IncidentPlace): RoadMatch[] {
    const position: LonLat = [place.lon, place.lat];
    if (place.direction) {
      const match = matchToRoad(graph, position, { direction: place.direction, motorwayOnly: true });
      if (match) return [match];
    }
    const both = (['up', 'down'] as const)
      .map((direction) => matchToRoad(graph, position, { direction, motorwayOnly: true }))
      .filter((m): m is RoadMatch => m !== null);
    if (both.length > 0) return both;
    // Packs without 上行/下行 (e.g. imported from OpenStreetMap): the nearest road, plus the nearest one
    // running the other way (the other carriageway of a dual carriageway) when there is one.
    const nearest = matchToRoad(graph, position, { motorwayOnly: true }) ?? matchToRoad(graph, position);
    if (!nearest) return [];
    const reverse = matchToRoad(graph, position, {
      headingDeg: (nearest.edge.bearing + 180) % 360,
      motorwayOnly: nearest.edge.roadClass === 'motorway',
    });
    const isOtherWay =
      reverse && reverse.edge.wayId !== nearest.edge.wayId && sameCarriageway(reverse, nearest) === false;
    return isOtherWay ? [nearest, reverse] : [nearest];
  }

  /** Same direction of travel: by 上行/下行 when the pack has them, else by bearing. */
  function sameCarriageway(a: RoadMatch, b: RoadMatch): boolean {
    if (a.edge.direction !== null && b.edge.direction !== null) return a.edge.direction === b.edge.direction;
    const diff = Math.abs(a.edge.bearing - b.edge.bearing) % 360;
    return (diff > 180 ? 360 - diff : diff) < 90;
  }

  function explain(start: RoadMatch | null, route: UnitRoute, targets: RoadMatch[]): Pick<Candidate, 'reason' | 'via'> {
    if (!start) return { reason: 'off_network', via: null };
    const last = route.edges.at(-1)?.index;
    const target =
      targets.find((t) => t.edge.index === last) ??
      targets.find((t) => t.edge.ref === start.edge.ref && t.edge.roadClass === 'motorway') ??
      targets[0]!;
    const turn = route.edges.find((e) => e.delayS > 0 && e.viaZh);
    const via = turn?.viaZh ?? route.edges.find((e) => e.viaZh)?.viaZh ?? null;
    if (start.edge.roadClass === 'motorway' && start.edge.ref !== null && start.edge.ref === target.edge.ref) {
      if (sameCarriageway(start, target)) {
        return turn ? { reason: 'passed_incident', via } : { reason: 'same_carriageway', via: null };
      }
      return { reason: 'opposite_carriageway', via };
    }
    return { reason: 'other_road', via };
  }

  return {
    graph,

    /**
     * Replace the traffic-control restrictions the drive times take into account (the whole list each
     * time). Only the edges of the restricted refs are touched, so searches stay as fast as before.
     */
    setRestrictions(restrictions: readonly RoadRestriction[]): void {
      for (const e of restricted) e.effectiveTravelS = e.travelS;
      restricted = [];
      current = [...restrictions];
      for (const ref of new Set(restrictions.map((r) => r.ref))) {
        const forRef = restrictions.filter((r) => r.ref === ref);
        for (const e of stakedByRef.get(ref) ?? []) {
          const t = restrictedTravelS(e, forRef);
          if (t !== e.travelS) {
            e.effectiveTravelS = t;
            restricted.push(e);
          }
        }
      }
    },

    /** The restrictions in force. */
    restrictions(): readonly RoadRestriction[] {
      return current;
    },

    /** Stake number of a position (snapped with its heading or carriageway), or null off the expressways. */
    stakeOf(
      position: LonLat,
      options: { headingDeg?: number | null; direction?: CarriagewayDirection | null } = {},
    ): string | null {
      const match = matchToRoad(graph, position, { ...options, motorwayOnly: true });
      return match ? stakeOfMatch(match) : null;
    },

    /**
     * Rank units by drive time to the incident. Units off the network get a straight-line first leg at a
     * low speed (flagged approximate); with no route at all, straight-line distance ranks them (flagged).
     */
    rankCandidates(place: IncidentPlace, units: Unit[], limit: number): Candidate[] {
      const targets = incidentTargets(place);
      const matches = units.map((u) => matchToRoad(graph, [u.lon, u.lat], { headingDeg: u.headingDeg }));
      const everyoneOnNetwork = matches.every((m) => m !== null);
      const stopAt = everyoneOnNetwork ? new Set(matches.map((m) => m!.edge.to)) : undefined;
      const times = targets.length > 0 ? timesToTarget(graph, targets, stopAt) : null;
      const ranked = units.map((unit, i): Candidate & { sortKey: number } => {
        const start = matches[i]!;
        const straightLineM = Math.round(haversineM([unit.lon, unit.lat], [place.lon, place.lat]));
        const base = {
          unitId: unit.id,
          callsign: unit.callsign,
          status: unit.status,
          straightLineM,
          stake: start ? stakeOfMatch(start) : null,
          lastFixAt: unit.lastFixAt,
        };
        const route = times
          ? start
            ? routeFromMatch(graph, times, start)
            : routeOffNetwork(graph, times, [unit.lon, unit.lat])
          : null;
        if (!route) {
          return {
            ...base,
            driveTimeS: null,
            roadDistanceM: null,
            approximate: true,
            reason: 'no_route',
            via: null,
            extraS: null,
            route: null,
            sortKey: 1e12 + straightLineM,
          };
        }
        return {
          ...base,
          driveTimeS: Math.round(route.driveTimeS),
          roadDistanceM: Math.round(route.roadDistanceM),
          approximate: route.approximate,
          ...explain(start, route, targets),
          extraS: Math.max(0, Math.round(route.driveTimeS - straightLineM / (REFERENCE_KMH / 3.6))),
          route: route.route.map(([lon, lat]) => [Math.round(lon * 1e6) / 1e6, Math.round(lat * 1e6) / 1e6]),
          sortKey: route.driveTimeS,
        };
      });
      ranked.sort((a, b) => a.sortKey - b.sortKey);
      return ranked.slice(0, limit).map(({ sortKey: _sortKey, ...candidate }, index) => ({
        ...candidate,
        route: index < ROUTES_FOR ? candidate.route : null,
      }));
    },
  };
}
export type RoadNetwork = ReturnType<typeof createRoadNetwork>;
