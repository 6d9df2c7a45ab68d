import { describe, expect, it } from 'vitest';
import type { WeatherObserved } from '@beacon/shared';
import {
  advanceReadingHistory,
  advanceUnitTrack,
  implausibleJump,
  isJumpFlagged,
  isLostSignal,
  isQuiet,
  isStuck,
  lastMinuteBuckets,
  readingFingerprint,
  type ReadingHistory,
} from './feed-rules.ts';

const T0 = Date.parse('2026-11-25T22:00:00+08:00');
const MIN = 60_000;
/** About 1.1 km east of 105°E at 27°N is 0.01° of longitude. */
const KM_PER_HUNDREDTH = 0.99;

describe('lost signal and quiet devices', () => {
  it('loses the signal only once the newest fix is older than the threshold', () => {
    expect(isLostSignal(T0, T0 + 60_000, 60_000)).toBe(false);
    expect(isLostSignal(T0, T0 + 60_001, 60_000)).toBe(true);
    expect(isLostSignal(T0, T0 - 5000, 60_000)).toBe(false);
  });
  it('calls a device that never sent anything quiet', () => {
    expect(isQuiet(null, T0, MIN)).toBe(true);
    expect(isQuiet(T0, T0 + MIN, MIN)).toBe(false);
    expect(isQuiet(T0, T0 + MIN + 1, MIN)).toBe(true);
  });
  it('hears a patrol terminal through its car: silent terminal, reporting car, not quiet', () => {
    expect(isQuiet(null, T0 + MIN, MIN, T0 + 10_000)).toBe(false);
    expect(isQuiet(T0, T0 + 3 * MIN, MIN, T0 + MIN)).toBe(true);
    expect(isQuiet(null, T0, MIN, null)).toBe(true);
  });
});

describe('implausible jumps', () => {
  const prev = { lon: 105, lat: 27, ts: T0 };

  it('accepts a car at expressway speed and flags one that covers 10 km in a minute', () => {
    // 0.03° ≈ 3 km in 90 s ≈ 120 km/h.
    expect(implausibleJump(prev, { lon: 105.03, lat: 27, ts: T0 + 90_000 }, 250)).toBeNull();
    const jump = implausibleJump(prev, { lon: 105.1, lat: 27, ts: T0 + 60_000 }, 250);
    expect(jump).toMatchObject({ at: T0 + 60_000, from: prev, to: { lon: 105.1, lat: 27 } });
    expect(jump!.distanceM).toBeGreaterThan(KM_PER_HUNDREDTH * 10 * 1000);
    expect(jump!.speedKmh).toBeGreaterThan(590);
    expect(jump!.speedKmh).toBeLessThan(600);
  });

  it('does not mistake GPS scatter at 1 Hz for speed', () => {
    // 80 m in one second would be 288 km/h, but it is within the scatter of two fixes.
    expect(implausibleJump(prev, { lon: 105.0008, lat: 27, ts: T0 + 1000 }, 250)).toBeNull();
  });

  it('flags two far-apart fixes with the same timestamp, and ignores fixes that arrive out of order', () => {
    expect(implausibleJump(prev, { lon: 105.01, lat: 27, ts: T0 }, 250)).toMatchObject({ speedKmh: null });
    expect(implausibleJump(prev, { lon: 106, lat: 27, ts: T0 - 1000 }, 250)).toBeNull();
  });

  it('keeps the jumped-to fix as the reference and counts the jump back too', () => {
    let track = advanceUnitTrack(null, prev, T0, 250)!;
    expect(track).toMatchObject({ jumps: 0, lastJump: null });
    track = advanceUnitTrack(track, { lon: 105.2, lat: 27, ts: T0 + 10_000 }, T0 + 10_000, 250)!;
    expect(track).toMatchObject({ jumps: 1, lastFix: { lon: 105.2 }, lastJumpSeenAt: T0 + 10_000 });
    track = advanceUnitTrack(track, { lon: 105, lat: 27, ts: T0 + 20_000 }, T0 + 20_000, 250)!;
    expect(track.jumps).toBe(2);
    expect(advanceUnitTrack(track, { lon: 105, lat: 27, ts: T0 }, T0 + 21_000, 250)).toBeNull();
    const calm = advanceUnitTrack(track, { lon: 105.001, lat: 27, ts: T0 + 21_000 }, T0 + 21_000, 250)!;
    expect(calm).toMatchObject({ jumps: 2, lastJumpSeenAt: T0 + 20_000, lastFix: { lon: 105.001 } });
  });

  it('keeps a unit flagged for a while after its last jump', () => {
    expect(isJumpFlagged(null, T0, 10 * MIN)).toBe(false);
    expect(isJumpFlagged(T0, T0 + 10 * MIN - 1, 10 * MIN)).toBe(true);
    expect(isJumpFlagged(T0, T0 + 10 * MIN, 10 * MIN)).toBe(false);
  });
});

describe('stuck weather stations', () => {
  const reading = (ts: number, airTempC = 3.2): WeatherObserved => ({
    eventId: `e-${ts}`,
    ts,
    stationId: 'WS-01',
    airTempC,
    visibilityM: 20_000,
    roadSurfaceState: 'dry',
  });
  const fold = (readings: WeatherObserved[]): ReadingHistory | null =>
    readings.reduce<ReadingHistory | null>(
      (history, r) => advanceReadingHistory(history, { fingerprint: readingFingerprint(r), ts: r.ts }) ?? history,
      null,
    );

  it('fingerprints what was measured, not the id, time or station', () => {
    expect(readingFingerprint(reading(T0))).toBe(readingFingerprint({ ...reading(T0 + 1), stationId: 'WS-02' }));
    expect(readingFingerprint(reading(T0))).not.toBe(readingFingerprint(reading(T0, 3.3)));
    const { visibilityM: _v, ...withoutVisibility } = reading(T0);
    expect(readingFingerprint(withoutVisibility)).not.toBe(readingFingerprint(reading(T0)));
  });

  it('is stuck after 30 minutes of identical readings, and recovers on the first different one', () => {
    const every5Min = Array.from({ length: 7 }, (_, i) => reading(T0 + i * 5 * MIN));
    expect(isStuck(fold(every5Min.slice(0, 6)), 30 * MIN)).toBe(false);
    const history = fold(every5Min);
    expect(history).toMatchObject({ sameSince: T0, lastReadingAt: T0 + 30 * MIN, identicalReadings: 7 });
    expect(isStuck(history, 30 * MIN)).toBe(true);

    const recovered = fold([...every5Min, reading(T0 + 35 * MIN, 3.4)]);
    expect(recovered).toMatchObject({ sameSince: T0 + 35 * MIN, identicalReadings: 1 });
    expect(isStuck(recovered, 30 * MIN)).toBe(false);
  });

  it('needs a few readings, not just two far apart, and ignores readings that arrive late', () => {
    expect(isStuck(fold([reading(T0), reading(T0 + 40 * MIN)]), 30 * MIN)).toBe(false);
    const history = fold([reading(T0), reading(T0 + 10 * MIN)]);
    expect(advanceReadingHistory(history, { fingerprint: 'other', ts: T0 + 5 * MIN })).toBeNull();
  });
});

describe('rate window', () => {
  it('is the current 10-second bucket and the five before it', () => {
    const buckets = lastMinuteBuckets(T0 + 12_345);
    expect(buckets).toHaveLength(6);
    expect(buckets[0]).toBe(T0 + 10_000);
    expect(buckets.at(-1)).toBe(T0 - 40_000);
  });
});
