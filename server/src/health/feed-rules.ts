import { haversineM, type GpsJump, type WeatherObserved } from '@beacon/shared';

/**
 * Feed-health rules as plain functions over plain data: whether a station is stuck, a unit has lost its
 * signal or jumped, a device is quiet. Redis access lives in `feed-health-store.ts`; time is passed in.
 */

/** A GPS fix as far as the jump rule cares: where and when (device time). */
export interface Fix {
  lon: number;
  lat: number;
  ts: number;
}

/**
 * Two fixes of a standing car can lie this far apart from GPS scatter alone. A jump must exceed it, and
 * only the distance beyond it counts towards the implied speed, so 1 Hz fixes do not flag noise as speed.
 */
export const JUMP_TOLERANCE_M = 100;

/** At least this many identical readings in a row before a station can be called stuck. */
export const MIN_STUCK_READINGS = 3;

/** A unit has lost its signal when its newest fix is older than `lostAfterMs`. */
export function isLostSignal(lastFixAt: number, now: number, lostAfterMs: number): boolean {
  return now - lastFixAt > lostAfterMs;
}

/**
 * A device is quiet when nothing was accepted from it for `quietAfterMs`, or never. `unitFixAt` is the
 * newest GPS fix of the unit a patrol terminal is bound to: a car's position often arrives through a fleet
 * gateway while its terminal only speaks when there is a dispatch to answer, so a terminal whose car is
 * reporting is not quiet.
 */
export function isQuiet(
  lastSeenAt: number | null,
  now: number,
  quietAfterMs: number,
  unitFixAt: number | null = null,
): boolean {
  const heard = Math.max(lastSeenAt ?? -Infinity, unitFixAt ?? -Infinity);
  return !Number.isFinite(heard) || now - heard > quietAfterMs;
}

/**
 * The jump from `prev` to `fix` if it implies more than `maxSpeedKmh`, else null. A fix older than
 * `prev` is not judged (it arrived out of order). Fixes with the same timestamp jump when they lie
 * further apart than the tolerance.
 */
export function implausibleJump(
  prev: Fix,
  fix: Fix,
  maxSpeedKmh: number,
  toleranceM: number = JUMP_TOLERANCE_M,
): GpsJump | null {
  if (fix.ts < prev.ts) return null;
  const distanceM = haversineM([prev.lon, prev.lat], [fix.lon, fix.lat]);
  if (distanceM <= toleranceM) return null;
  const dtS = (fix.ts - prev.ts) / 1000;
  if (dtS > 0 && ((distanceM - toleranceM) / dtS) * 3.6 <= maxSpeedKmh) return null;
  return {
    at: fix.ts,
    from: { lon: prev.lon, lat: prev.lat, ts: prev.ts },
    to: { lon: fix.lon, lat: fix.lat, ts: fix.ts },
    distanceM: Math.round(distanceM),
    speedKmh: dtS > 0 ? Math.round((distanceM / dtS) * 3.6) : null,
  };
}

/** A unit's GPS track as far as health cares: the newest fix and the jumps seen so far. */
export interface UnitTrack {
  lastFix: Fix;
  jumps: number;
  lastJump: GpsJump | null;
  /** Server time the last jump was seen, for how long the unit stays flagged. */
  lastJumpSeenAt: number | null;
}

/**
 * Fold one fix into a unit's track. The newest fix always becomes the reference, jump or not: the car
 * may really be there, and a glitch shows as a jump out and a jump back. Returns null when the fix is
 * older than the track's newest (nothing to record).
 */
export function advanceUnitTrack(
  track: UnitTrack | null,
  fix: Fix,
  seenAt: number,
  maxSpeedKmh: number,
): UnitTrack | null {
  const lastFix = { lon: fix.lon, lat: fix.lat, ts: fix.ts };
  if (!track) return { lastFix, jumps: 0, lastJump: null, lastJumpSeenAt: null };
  if (fix.ts < track.lastFix.ts) return null;
  const jump = implausibleJump(track.lastFix, fix, maxSpeedKmh);
  if (!jump) return { ...track, lastFix };
  return { lastFix, jumps: track.jumps + 1, lastJump: jump, lastJumpSeenAt: seenAt };
}

/** A unit stays flagged for `flagMs` after its last implausible jump was seen. */
export function isJumpFlagged(lastJumpSeenAt: number | null, now: number, flagMs: number): boolean {
  return lastJumpSeenAt !== null && now - lastJumpSeenAt < flagMs;
}

/** The identical-readings run that ends with a station's newest reading. */
export interface ReadingHistory {
  fingerprint: string;
  sameSince: number;
  lastReadingAt: number;
  identicalReadings: number;
}

/** What a reading measured, independent of its id and time: equal fingerprints mean identical readings. */
export function readingFingerprint(reading: WeatherObserved): string {
  const { eventId: _eventId, ts: _ts, stationId: _stationId, ...measured } = reading;
  const entries = Object.entries(measured).filter(([, v]) => v !== undefined);
  entries.sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify(entries);
}

/**
 * Fold one reading (device time `ts`) into a station's history: an identical reading extends the run, a
 * different one starts a new run. Returns null for a reading older than the newest (out of order).
 */
export function advanceReadingHistory(
  history: ReadingHistory | null,
  reading: { fingerprint: string; ts: number },
): ReadingHistory | null {
  if (history && reading.ts < history.lastReadingAt) return null;
  if (history && history.fingerprint === reading.fingerprint) {
    return { ...history, lastReadingAt: reading.ts, identicalReadings: history.identicalReadings + 1 };
  }
  return { fingerprint: reading.fingerprint, sameSince: reading.ts, lastReadingAt: reading.ts, identicalReadings: 1 };
}

/**
 * A station is stuck when it has repeated one identical reading for at least `stuckAfterMs` (device
 * time from the first to the newest of them), over at least {@link MIN_STUCK_READINGS} readings. This is
 * judged on the readings themselves: a station that stops reporting is quiet, not stuck.
 */
export function isStuck(history: ReadingHistory | null, stuckAfterMs: number): boolean {
  if (!history || history.identicalReadings < MIN_STUCK_READINGS) return false;
  return history.lastReadingAt - history.sameSince >= stuckAfterMs;
}

/** Rates are counted in buckets of this length; "the last minute" is the current bucket and the five before. */
export const RATE_BUCKET_MS = 10_000;
export const RATE_WINDOW_BUCKETS = 6;

export function rateBucket(t: number): number {
  return Math.floor(t / RATE_BUCKET_MS) * RATE_BUCKET_MS;
}

/** Start times of the buckets that make up "the last minute" at `now`, newest first. */
export function lastMinuteBuckets(now: number): number[] {
  const current = rateBucket(now);
  return Array.from({ length: RATE_WINDOW_BUCKETS }, (_, i) => current - i * RATE_BUCKET_MS);
}
