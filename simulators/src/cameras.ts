import type { Clock, PedestrianDetectedInput } from '@beacon/shared';
import { createEventIds, type EventIds } from './event-ids.ts';
import { jitter, offset, round } from './geo-noise.ts';
import { integer, pick, uniform, type Random } from './random.ts';
import { pointAt, type Corridor } from './route.ts';

/** [min, max] */
export type Range = readonly [number, number];

export interface CameraOptions {
  corridors: readonly Corridor[];
  clock: Clock;
  random: Random;
  /** Delay from creation to the first walk-on; default 5 s. */
  firstWalkOnAfterMs?: number;
  /** Time between random walk-ons, drawn uniformly; default 2–4 minutes; null: none (scripted only). */
  walkOnEveryMs?: Range | null;
  /** How many cameras see one person; default 1–3. */
  camerasPerWalkOn?: Range;
  /** Time between two cameras' detections of the same person; default 2–6 s. */
  detectionGapMs?: Range;
  confidence?: Range;
  /** Cameras stand every this many metres along each corridor; default 2 km. */
  cameraSpacingM?: number;
  /** How far off a camera's position estimate is, standard deviation in metres; default 8. */
  positionErrorM?: number;
  eventIds?: EventIds;
}

/** A person on the carriageway, as planned by the simulator. */
export interface WalkOn {
  readonly corridorRef: string;
  readonly lon: number;
  readonly lat: number;
  readonly direction: 'up' | 'down';
  readonly startedAt: number;
  readonly cameraIds: readonly string[];
}

export interface Cameras {
  /** Walk-ons started so far, oldest first (the last 50). */
  readonly walkOns: readonly WalkOn[];
  /** When the next random walk-on starts, clock time (Infinity when there are none). */
  nextWalkOnAt(): number;
  /** Start a scripted walk-on now at a point of a corridor; its detections come out of the next ticks. */
  walkOn(spec: WalkOnSpec): WalkOn;
  /** A camera reports a person who is not there: one detection, now. */
  falsePositive(spec: { corridor: Corridor; distanceM: number; confidence: number }): void;
  /** Start a walk-on if one is due and return every detection whose time has come. */
  tick(): PedestrianDetectedInput[];
}

/** Where and how a scripted walk-on happens. */
export interface WalkOnSpec {
  corridor: Corridor;
  distanceM: number;
  direction: 'up' | 'down';
  /** How many neighbouring cameras see the person. */
  cameras: number;
  confidence?: Range;
}

interface PlannedDetection {
  at: number;
  payload: Omit<PedestrianDetectedInput, 'eventId' | 'ts'>;
}

/**
 * Expressway cameras that spot pedestrians. Now and then a person walks onto a random point of a corridor;
 * one to three neighbouring cameras report the same person a few seconds apart, each with its own position
 * estimate and confidence, so the server folds them into one incident.
 */
export function createCameras({
  corridors,
  clock,
  random,
  firstWalkOnAfterMs = 5_000,
  walkOnEveryMs = [120_000, 240_000],
  camerasPerWalkOn = [1, 3],
  detectionGapMs = [2_000, 6_000],
  confidence = [0.75, 0.98],
  cameraSpacingM = 2_000,
  positionErrorM = 8,
  eventIds = createEventIds('ped'),
}: CameraOptions): Cameras {
  if (corridors.length === 0) throw new Error('cameras need at least one corridor');
  if (walkOnEveryMs) checkRange('walkOnEveryMs', walkOnEveryMs, 1);
  checkRange('camerasPerWalkOn', camerasPerWalkOn, 1);
  checkRange('detectionGapMs', detectionGapMs, 0);
  checkRange('confidence', confidence, 0);
  if (confidence[1] > 1) throw new Error('confidence must be within 0..1');

  let nextAt = walkOnEveryMs ? clock.now() + firstWalkOnAfterMs : Number.POSITIVE_INFINITY;
  const walkOns: WalkOn[] = [];
  let pending: PlannedDetection[] = [];

  function cameraNumberAt(corridor: Corridor, distanceM: number): { nearest: number; onCorridor: number } {
    const onCorridor = Math.max(1, Math.ceil(corridor.lengthM / cameraSpacingM));
    return { nearest: Math.min(onCorridor, Math.floor(distanceM / cameraSpacingM) + 1), onCorridor };
  }
  const cameraId = (corridor: Corridor, k: number) => `CAM-${corridor.ref}-${String(k).padStart(2, '0')}`;

  function startRandomWalkOn(now: number): void {
    const corridor = pick(random, corridors);
    const distanceM = uniform(random, 0, corridor.lengthM);
    const direction = random() < 0.5 ? 'up' : 'down';
    const cameras = integer(random, camerasPerWalkOn[0], camerasPerWalkOn[1]);
    startWalkOn(now, { corridor, distanceM, direction, cameras });
  }

  function startWalkOn(now: number, spec: WalkOnSpec): WalkOn {
    const { corridor, distanceM, direction } = spec;
    const seenWith = spec.confidence ?? confidence;
    const at = pointAt(corridor, distanceM);
    const { nearest, onCorridor: camerasOnCorridor } = cameraNumberAt(corridor, distanceM);
    const howMany = Math.min(camerasOnCorridor, spec.cameras);
    // Neighbouring cameras in the direction of traffic, stepping back at the end of the corridor.
    const step = direction === 'up' ? 1 : -1;
    const cameraNumbers: number[] = [];
    for (let k = nearest; k >= 1 && k <= camerasOnCorridor && cameraNumbers.length < howMany; k += step) {
      cameraNumbers.push(k);
    }
    for (let k = nearest - step; cameraNumbers.length < howMany; k -= step) cameraNumbers.push(k);
    const cameraIds = cameraNumbers.map((k) => cameraId(corridor, k));

    // The person drifts a few metres between sightings; each camera estimates the position with an error.
    let t = now;
    let person = { lon: at.lon, lat: at.lat };
    for (const [i, cameraId] of cameraIds.entries()) {
      if (i > 0) {
        const gap = uniform(random, detectionGapMs[0], detectionGapMs[1]);
        t += gap;
        const walkedM = 1.2 * (gap / 1000);
        const angle = uniform(random, 0, 2 * Math.PI);
        person = offset(person.lon, person.lat, Math.sin(angle) * walkedM, Math.cos(angle) * walkedM);
      }
      const seen = jitter(random, person.lon, person.lat, positionErrorM);
      pending.push({
        at: Math.round(t),
        payload: {
          lon: round(seen.lon, 6),
          lat: round(seen.lat, 6),
          confidence: round(uniform(random, seenWith[0], seenWith[1]), 2),
          cameraId,
          direction,
        },
      });
    }
    const walkOn: WalkOn = {
      corridorRef: corridor.ref,
      lon: at.lon,
      lat: at.lat,
      direction,
      startedAt: now,
      cameraIds,
    };
    walkOns.push(walkOn);
    if (walkOns.length > 50) walkOns.shift();
    return walkOn;
  }

  return {
    walkOns,
    nextWalkOnAt: () => nextAt,
    walkOn: (spec) => startWalkOn(clock.now(), spec),
    falsePositive({ corridor, distanceM, confidence: seen }) {
      const at = pointAt(corridor, distanceM);
      const spot = jitter(random, at.lon, at.lat, positionErrorM);
      pending.push({
        at: clock.now(),
        payload: {
          lon: round(spot.lon, 6),
          lat: round(spot.lat, 6),
          confidence: round(seen, 2),
          cameraId: cameraId(corridor, cameraNumberAt(corridor, distanceM).nearest),
        },
      });
    },
    tick() {
      const now = clock.now();
      if (walkOnEveryMs && now >= nextAt) {
        startRandomWalkOn(now);
        // After a long pause (a stopped clock, a sleeping laptop) start one walk-on, not a backlog.
        nextAt = now + uniform(random, walkOnEveryMs[0], walkOnEveryMs[1]);
      }
      const due = pending.filter((p) => p.at <= now).sort((a, b) => a.at - b.at);
      pending = pending.filter((p) => p.at > now);
      return due.map((p) => ({ eventId: eventIds(), ts: p.at, ...p.payload }));
    },
  };
}

function checkRange(name: string, [min, max]: Range, lowest: number): void {
  if (!(Number.isFinite(min) && Number.isFinite(max) && min >= lowest && max >= min)) {
    throw new Error(`${name} must be [min, max] with ${lowest} <= min <= max, got [${min}, ${max}]`);
  }
}
