import type { Clock, GpsReportedInput } from '@beacon/shared';
import { createEventIds, type EventIds } from './event-ids.ts';
import { jitter, round } from './geo-noise.ts';
import { chance, gaussian, uniform, type Random } from './random.ts';
import { networkLengthM, pointAt, spreadOverNetwork, type Corridor, type Direction } from './route.ts';

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
  eventIds?: EventIds;
}

/** The simulator's own idea of one patrol car. Duty status lives on the server, not here. */
export interface PatrolUnit {
  readonly id: string;
  readonly corridor: Corridor;
  /** Distance from the corridor's first point, metres. */
  distanceM: number;
  direction: Direction;
  /** The speed the crew tends to hold. */
  readonly cruiseKmh: number;
  speedKmh: number;
}

export interface Patrols {
  readonly units: readonly PatrolUnit[];
  /** Move every unit by the clock time since the previous tick and return one GPS fix per unit. */
  tick(): GpsReportedInput[];
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
  eventIds = createEventIds('gps'),
}: PatrolOptions): Patrols {
  if (corridors.length === 0) throw new Error('patrols need at least one corridor');
  if (!(count >= 1 && count <= 999)) throw new Error(`patrol count must be 1..999, got ${count}`);
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
    };
  });

  let lastTickAt: number | null = null;

  function move(unit: PatrolUnit, dtS: number): void {
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
      return units.map((unit): GpsReportedInput => {
        if (dtS > 0) move(unit, dtS);
        const at = pointAt(unit.corridor, unit.distanceM, unit.direction);
        const noisy = jitter(random, at.lon, at.lat, gpsNoiseM);
        return {
          eventId: eventIds(),
          ts: now,
          unitId: unit.id,
          lon: round(noisy.lon, 6),
          lat: round(noisy.lat, 6),
          speedKmh: round(unit.speedKmh, 1),
          headingDeg: round(at.headingDeg, 1) % 360,
        };
      });
    },
  };
}

function clampTo(d: number, length: number): number {
  return Math.min(Math.max(d, 0), length);
}
