import type { Clock, GpsReportedInput, LonLat } from '@beacon/shared';
import { createEventIds, type EventIds } from './event-ids.ts';
import { jitter, round } from './geo-noise.ts';
import { chance, gaussian, uniform, type Random } from './random.ts';
import {
  createPolyline,
  nearestOnNetwork,
  networkLengthM,
  pointAt,
  spreadOverNetwork,
  type Corridor,
  type Direction,
  type Polyline,
} from './route.ts';

export interface PatrolOptions {
  corridors: readonly Corridor[];
  clock: Clock;
  random: Random;
  /** Number of units; default 12. */
  count?: number;
  /** Unit ids are `<prefix>-01` …; default `BJ`. */
  idPrefix?: string;
  minSpeedKmh?: number;
  maxSpeedKmh?: number;
  /** Standard deviation of the GPS error in metres per axis; default 3. */
  gpsNoiseM?: number;
  /** Simulated seconds per clock second; default 1. */
  speed?: number;
  /** Clock time between two fixes of a unit; default 0: a fix on every tick. */
  gpsEveryMs?: number;
  /** Chance per fix that the receiver loses the sky (a tunnel, a cutting); default 0. */
  dropoutChance?: number;
  /** How long a dropout lasts, clock time, drawn uniformly; default 10–45 s. */
  dropoutMs?: readonly [number, number];
  eventIds?: EventIds;
}

/** Most cars one simulator drives (load mode: `pnpm --filter @beacon/simulators load`). */
export const MAX_PATROLS = 100_000;

/** A car this close to the route it is given joins it where it is, instead of driving to its start. */
const JOIN_ROUTE_M = 300;

/** What a car is doing: patrolling its beat, driving a route it was given, or standing still. */
export type PatrolMotion =
  | { kind: 'patrol' }
  | { kind: 'route'; line: Polyline; travelledM: number; speedKmh: number }
  | { kind: 'parked'; lon: number; lat: number; headingDeg: number };

/** The simulator's own idea of one patrol car. Duty status lives on the server, not here. */
export interface PatrolUnit {
  readonly id: string;
  corridor: Corridor;
  /** Distance from the corridor's first point, metres. */
  distanceM: number;
  direction: Direction;
  /** The speed the crew tends to hold. */
  readonly cruiseKmh: number;
  speedKmh: number;
  motion: PatrolMotion;
  /** No GPS fix until this clock time (a dropout); 0: none. */
  silentUntil: number;
  /** Clock time of the last fix sent. */
  lastFixAt: number | null;
}

/** Where a unit is now, without noise. */
export interface PatrolPosition {
  lon: number;
  lat: number;
  headingDeg: number;
  speedKmh: number;
}

export interface Patrols {
  readonly units: readonly PatrolUnit[];
  /**
   * Move every unit by the clock time since the previous tick and return the GPS fixes that are due
   * (one per unit and tick by default; none while a unit's receiver is in a dropout).
   */
  tick(): GpsReportedInput[];
  unit(unitId: string): PatrolUnit | undefined;
  /** Where the unit is now (no GPS noise). */
  positionOf(unitId: string): PatrolPosition | undefined;
  /**
   * Leave the beat and drive `route` (from the unit's position to its end) at `speedKmh`. The car follows
   * the polyline, so its GPS turns only where the route turns.
   */
  driveRoute(unitId: string, route: readonly LonLat[], speedKmh: number): void;
  /** True once a unit driving a route has reached its end. */
  arrived(unitId: string): boolean;
  /** Stop where the unit is (on scene). */
  park(unitId: string): void;
  /** Back to patrol: join the nearest corridor, heading the way the car faces. */
  resumePatrol(unitId: string): void;
}

/**
 * Patrol cars driving back and forth along the corridors. Units are spread over the network in
 * proportion to corridor length; each keeps a cruise speed between the bounds with a little drift,
 * turns round at the corridor ends, and reports a fix with a few metres of GPS noise.
 *
 * Every unit reports on every tick whatever its duty status; an assignment made by a dispatcher is
 * server-side state the simulator does not fight.
 */
export function createPatrols({
  corridors,
  clock,
  random,
  count = 12,
  idPrefix = 'BJ',
  minSpeedKmh = 60,
  maxSpeedKmh = 100,
  gpsNoiseM = 3,
  speed = 1,
  gpsEveryMs = 0,
  dropoutChance = 0,
  dropoutMs = [10_000, 45_000],
  eventIds = createEventIds('gps'),
}: PatrolOptions): Patrols {
  if (corridors.length === 0) throw new Error('patrols need at least one corridor');
  if (!(Number.isInteger(count) && count >= 1 && count <= MAX_PATROLS)) {
    throw new Error(`patrol count must be 1..${MAX_PATROLS}, got ${count}`);
  }
  if (!(minSpeedKmh > 0 && maxSpeedKmh >= minSpeedKmh)) throw new Error('patrol speeds must satisfy 0 < min <= max');
  const width = Math.max(2, String(count).length);

  // Each unit starts near the middle of its share of the network, give or take a quarter share.
  const quarterShareM = networkLengthM(corridors) / count / 4;
  const units: PatrolUnit[] = spreadOverNetwork(corridors, count).map((at, i) => {
    const cruiseKmh = uniform(random, minSpeedKmh, maxSpeedKmh);
    return {
      id: `${idPrefix}-${String(i + 1).padStart(width, '0')}`,
      corridor: at.corridor,
      distanceM: clampTo(at.distanceM + uniform(random, -quarterShareM, quarterShareM), at.corridor.lengthM),
      direction: chance(random, 0.5) ? 1 : -1,
      cruiseKmh,
      speedKmh: cruiseKmh,
      motion: { kind: 'patrol' },
      silentUntil: 0,
      lastFixAt: null,
    };
  });
  const byId = new Map(units.map((u) => [u.id, u]));
  if (!(dropoutChance >= 0 && dropoutChance <= 1)) throw new Error(`dropoutChance must be 0..1, got ${dropoutChance}`);

  let lastTickAt: number | null = null;

  function move(unit: PatrolUnit, dtS: number): void {
    const motion = unit.motion;
    if (motion.kind === 'parked') {
      unit.speedKmh = 0;
      return;
    }
    if (motion.kind === 'route') {
      // A response drive holds the route's speed with a little drift, and stops at the end of the route.
      unit.speedKmh = Math.max(5, motion.speedKmh * (1 + gaussian(random) * 0.03));
      motion.travelledM = Math.min(motion.line.lengthM, motion.travelledM + (unit.speedKmh / 3.6) * dtS);
      if (motion.travelledM >= motion.line.lengthM) unit.speedKmh = 0;
      return;
    }
    patrol(unit, dtS);
  }

  function positionOf(unit: PatrolUnit): PatrolPosition {
    const motion = unit.motion;
    if (motion.kind === 'parked') return { ...pick3(motion), speedKmh: 0 };
    if (motion.kind === 'route') {
      const at = pointAt(motion.line, motion.travelledM);
      return { lon: at.lon, lat: at.lat, headingDeg: at.headingDeg, speedKmh: unit.speedKmh };
    }
    const at = pointAt(unit.corridor, unit.distanceM, unit.direction);
    return { lon: at.lon, lat: at.lat, headingDeg: at.headingDeg, speedKmh: unit.speedKmh };
  }

  function fixDue(unit: PatrolUnit, now: number): boolean {
    if (now < unit.silentUntil) return false;
    if (gpsEveryMs > 0 && unit.lastFixAt !== null && now - unit.lastFixAt < gpsEveryMs) return false;
    if (dropoutChance > 0 && chance(random, dropoutChance)) {
      unit.silentUntil = now + uniform(random, dropoutMs[0], dropoutMs[1]);
      return false;
    }
    return true;
  }

  function need(unitId: string): PatrolUnit {
    const unit = byId.get(unitId);
    if (!unit) throw new Error(`no simulated patrol unit ${unitId}`);
    return unit;
  }

  function patrol(unit: PatrolUnit, dtS: number): void {
    // Speed drifts around the cruise speed and stays inside the bounds.
    const drift = gaussian(random) * 1.5 + (unit.cruiseKmh - unit.speedKmh) * 0.1;
    unit.speedKmh = Math.min(maxSpeedKmh, Math.max(minSpeedKmh, unit.speedKmh + drift));
    const length = unit.corridor.lengthM;
    // Unfold the back-and-forth route into a line of length 2L, move, fold back.
    const unfolded = unit.direction === 1 ? unit.distanceM : 2 * length - unit.distanceM;
    const travelled = (unit.speedKmh / 3.6) * dtS;
    const next = (((unfolded + travelled) % (2 * length)) + 2 * length) % (2 * length);
    if (next <= length) {
      unit.distanceM = next;
      unit.direction = 1;
    } else {
      unit.distanceM = 2 * length - next;
      unit.direction = -1;
    }
  }

  return {
    units,
    tick() {
      const now = clock.now();
      const dtS = lastTickAt === null ? 0 : (Math.max(0, now - lastTickAt) / 1000) * speed;
      lastTickAt = now;
      const fixes: GpsReportedInput[] = [];
      for (const unit of units) {
        if (dtS > 0) move(unit, dtS);
        if (!fixDue(unit, now)) continue;
        unit.lastFixAt = now;
        const at = positionOf(unit);
        const noisy = jitter(random, at.lon, at.lat, gpsNoiseM);
        fixes.push({
          eventId: eventIds(),
          ts: now,
          unitId: unit.id,
          lon: round(noisy.lon, 6),
          lat: round(noisy.lat, 6),
          speedKmh: round(at.speedKmh, 1),
          headingDeg: round(at.headingDeg, 1) % 360,
        });
      }
      return fixes;
    },
    unit: (unitId) => byId.get(unitId),
    positionOf(unitId) {
      const unit = byId.get(unitId);
      return unit ? positionOf(unit) : undefined;
    },
    driveRoute(unitId, route, speedKmh) {
      const unit = need(unitId);
      const here = positionOf(unit);
      const points = route.length >= 2 ? route : [...route, ...route];
      const given = points.length >= 2 ? createPolyline(points) : null;
      // Join the route where the car is on it (it stood on the hard shoulder since the alert); a car that is
      // off the route drives to its start first.
      const near = given ? nearestOnNetwork([{ ...given, ref: 'route', name: 'route' }], [here.lon, here.lat]) : null;
      let line: Polyline;
      let travelledM = 0;
      if (given && near && near.offM <= JOIN_ROUTE_M) {
        line = given;
        travelledM = near.distanceM;
      } else {
        line = createPolyline([[here.lon, here.lat], ...(route.length > 0 ? route : [[here.lon, here.lat] as LonLat])]);
      }
      unit.motion = { kind: 'route', line, travelledM, speedKmh: Math.max(5, speedKmh) };
    },
    arrived(unitId) {
      const motion = need(unitId).motion;
      return motion.kind === 'route' && motion.travelledM >= motion.line.lengthM;
    },
    park(unitId) {
      const unit = need(unitId);
      const here = positionOf(unit);
      unit.motion = { kind: 'parked', lon: here.lon, lat: here.lat, headingDeg: here.headingDeg };
      unit.speedKmh = 0;
    },
    resumePatrol(unitId) {
      const unit = need(unitId);
      const here = positionOf(unit);
      const near = nearestOnNetwork(corridors, [here.lon, here.lat]);
      const along = pointAt(near.corridor, near.distanceM, 1).headingDeg;
      const facing = Math.abs(((here.headingDeg - along + 540) % 360) - 180);
      Object.assign(unit, {
        corridor: near.corridor,
        distanceM: near.distanceM,
        direction: facing <= 90 ? 1 : -1,
        speedKmh: unit.cruiseKmh,
        motion: { kind: 'patrol' },
      });
    },
  };
}

function pick3(p: { lon: number; lat: number; headingDeg: number }): { lon: number; lat: number; headingDeg: number } {
  return { lon: p.lon, lat: p.lat, headingDeg: p.headingDeg };
}

function clampTo(d: number, length: number): number {
  return Math.min(Math.max(d, 0), length);
}
