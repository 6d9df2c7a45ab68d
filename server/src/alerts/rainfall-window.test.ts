import { describe, expect, it } from 'vitest';
import type { RainfallWindowState } from '@beacon/shared';
import {
  addRainfallSample,
  emptyRainfallWindow,
  rainfallAt,
  rainfallSum,
  rainfallSums,
  type RainfallOptions,
} from './rainfall-window.ts';

const T0 = Date.parse('2026-07-20T08:00:00+08:00');
const MIN = 60_000;
const HOUR = 60 * MIN;

/** Feed `[minutesAfterT0, precipitationMm]` pairs in the given order. */
function feed(
  window: RainfallWindowState,
  samples: [number, number][],
  options: Partial<RainfallOptions> = {},
): RainfallWindowState {
  return samples.reduce(
    (w, [minutes, mm]) => addRainfallSample(w, { ts: T0 + minutes * MIN, precipitationMm: mm }, options).window,
    window,
  );
}

describe('rainfall windows from increments', () => {
  it('sums the readings in (end − length, end] over 3, 6 and 12 hours', () => {
    // 5 mm every hour on the hour, from T0 to T0 + 12 h (13 readings).
    const window = feed(
      emptyRainfallWindow(),
      Array.from({ length: 13 }, (_, h): [number, number] => [h * 60, 5]),
    );
    const end = T0 + 12 * HOUR;
    // (end − 3 h, end] holds the readings at +10, +11, +12 h: the one exactly 3 h before is outside.
    expect(rainfallSums(window, end)).toEqual({ rain3hMm: 15, rain6hMm: 30, rain12hMm: 60 });
    expect(rainfallSum(window, end - 1, 3 * HOUR)).toBe(15);
    expect(rainfallSum(window, end - 30 * MIN, HOUR)).toBe(5);
  });

  it('adds 0.1 mm five hundred times to exactly 50', () => {
    const window = feed(
      emptyRainfallWindow(),
      Array.from({ length: 500 }, (_, i): [number, number] => [i * 0.25, 0.1]),
    );
    expect(rainfallSum(window, T0 + 125 * MIN, 3 * HOUR)).toBe(50);
  });

  it('does not depend on arrival order, and counts a repeated timestamp once', () => {
    const ordered = feed(emptyRainfallWindow(), [
      [0, 4],
      [10, 6],
      [20, 8],
      [30, 2],
    ]);
    const shuffled = feed(emptyRainfallWindow(), [
      [20, 8],
      [0, 4],
      [30, 2],
      [10, 6],
      [20, 8],
      [10, 99],
    ]);
    expect(shuffled).toEqual(ordered);
    expect(rainfallSum(shuffled, T0 + 30 * MIN, 3 * HOUR)).toBe(20);
    const again = addRainfallSample(shuffled, { ts: T0 + 10 * MIN, precipitationMm: 6 });
    expect(again.added).toBe(false);
    expect(again.window).toBe(shuffled);
  });

  it('prunes readings older than 12 h before the newest, and drops late ones that old', () => {
    let window = feed(emptyRainfallWindow(), [
      [0, 10],
      [60, 10],
      [90, 10],
    ]);
    window = feed(window, [[13 * 60, 1]]);
    // The reading exactly 12 h before the newest is outside every window, so it goes too.
    expect(window.samples.map(([ts]) => (ts - T0) / MIN)).toEqual([90, 780]);
    const late = addRainfallSample(window, { ts: T0 + 30 * MIN, precipitationMm: 50 });
    expect(late.added).toBe(false);
    expect(rainfallSums(window, T0 + 13 * HOUR).rain12hMm).toBe(11);
  });

  it('keeps memory bounded at maxSamples even for a station reporting every second', () => {
    const options = { maxSamples: 100 };
    let window = emptyRainfallWindow();
    for (let s = 0; s < 1000; s += 1) {
      window = addRainfallSample(window, { ts: T0 + s * 1000, precipitationMm: 0.01 }, options).window;
    }
    expect(window.samples).toHaveLength(100);
    expect(window.samples[0]![0]).toBe(T0 + 900_000);
  });

  it('attributes its own value to a reading, and knows nothing of a timestamp it has not seen', () => {
    const window = feed(emptyRainfallWindow(), [[0, 2.5]]);
    expect(rainfallAt(window, T0)).toBe(2.5);
    expect(rainfallAt(window, T0 + 1)).toBeUndefined();
  });

  it('never modifies the window it is given', () => {
    const window = feed(emptyRainfallWindow(), [[0, 1]]);
    const frozen = JSON.stringify(window);
    addRainfallSample(window, { ts: T0 + MIN, precipitationMm: 2 });
    expect(JSON.stringify(window)).toBe(frozen);
  });
});

describe('rainfall windows from totals since midnight', () => {
  // 23:00 Beijing on 20 July is 15:00 UTC.
  const evening = Date.parse('2026-07-20T22:00:00+08:00');
  const at = (hhmmOffsetMin: number) => evening + hhmmOffsetMin * MIN;
  const cumulative = (samples: [number, number][]) =>
    samples.reduce(
      (w, [m, mm]) => addRainfallSample(w, { ts: at(m), precipitationMm: mm }).window,
      emptyRainfallWindow('cumulativeSinceMidnight'),
    );

  it('takes differences within a day and restarts at Beijing midnight', () => {
    const window = cumulative([
      [0, 30], // 22:00, 30 mm today: only the baseline
      [60, 42], // 23:00: 12 mm
      [110, 50], // 23:50: 8 mm
      [130, 6], // 00:10 the next day: 6 mm since midnight
      [150, 9], // 00:30: 3 mm
    ]);
    expect(rainfallAt(window, at(0))).toBeUndefined();
    expect(rainfallAt(window, at(60))).toBe(12);
    expect(rainfallAt(window, at(130))).toBe(6);
    expect(rainfallSum(window, at(150), 3 * HOUR)).toBe(29);
  });

  it('treats a drop within the day as a station reset', () => {
    const window = cumulative([
      [0, 30],
      [10, 35],
      [20, 2],
      [30, 4],
    ]);
    expect(rainfallSum(window, at(30), 3 * HOUR)).toBe(9);
  });

  it('gives the same sums whatever the arrival order', () => {
    const samples: [number, number][] = [
      [0, 30],
      [60, 42],
      [110, 50],
      [130, 6],
      [150, 9],
    ];
    const reversed = cumulative([...samples].reverse());
    expect(reversed).toEqual(cumulative(samples));
  });

  it('keeps one reading beyond 12 h as the baseline', () => {
    const window = cumulative([
      [0, 10],
      [30, 12],
      [13 * 60, 20],
      [13 * 60 + 10, 25],
    ]);
    expect(window.samples.map(([ts]) => (ts - evening) / MIN)).toEqual([30, 780, 790]);
  });
});

describe('rainfall windows from rates', () => {
  it('applies each rate over the time since the previous reading, at most maxRateIntervalMs', () => {
    let window = emptyRainfallWindow('ratePerHour');
    for (const [m, rate] of [
      [0, 12],
      [5, 12],
      [10, 24],
      [60, 6],
    ] as const) {
      window = addRainfallSample(window, { ts: T0 + m * MIN, precipitationMm: rate }).window;
    }
    expect(rainfallAt(window, T0)).toBeUndefined();
    expect(rainfallAt(window, T0 + 5 * MIN)).toBe(1);
    expect(rainfallAt(window, T0 + 10 * MIN)).toBe(2);
    // 50 minutes since the previous reading, capped at 10 minutes: 6 mm/h × 10 min.
    expect(rainfallAt(window, T0 + 60 * MIN)).toBe(1);
    expect(rainfallSum(window, T0 + 60 * MIN, 3 * HOUR)).toBe(4);
    expect(rainfallAt(window, T0 + 60 * MIN, { maxRateIntervalMs: HOUR })).toBe(5);
  });
});
