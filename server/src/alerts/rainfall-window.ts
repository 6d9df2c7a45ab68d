import type { PrecipitationInterpretation, RainfallWindowState } from '@beacon/shared';

/**
 * Rain accumulated over sliding windows (3, 6 and 12 hours) from a station's `precipitationMm` values.
 *
 * The protocol does not say what `precipitationMm` measures, so the interpretation is a parameter:
 * - `increment` (default): the rain since the station's previous reading. A lost reading loses its rain.
 * - `cumulativeSinceMidnight`: the day's total so far, restarting at local midnight (Beijing, UTC+8, by
 *   default). The rain of a reading is the difference to the previous reading of the same day; the first
 *   reading of a day counts its whole value (it fell since midnight, after the previous reading); a value
 *   lower than the previous one of the same day is a station reset and counts whole.
 * - `ratePerHour`: the current rate in mm/h (what the demo simulator sends). The rain of a reading is its
 *   rate times the time since the previous reading, at most `maxRateIntervalMs`.
 * In the last two, a reading with no earlier one kept only sets the baseline and counts no rain.
 *
 * A window ending at `t` holds the readings in `(t − length, t]`. Readings are kept sorted by device time,
 * one per timestamp (a second reading with the same timestamp is a duplicate and is dropped), so the sums
 * do not depend on arrival order. Memory is bounded: readings older than the horizon (12 h) before the
 * newest are pruned (one is kept as the baseline where the interpretation needs one), and at most
 * `maxSamples` are kept (the oldest go first; 1440 is one reading every 30 s over 12 h).
 */

/** How the window is kept; the interpretation itself is part of the window's state. */
export interface RainfallOptions {
  /** Local time zone of the station's midnight, minutes east of UTC; default 480 (Beijing). */
  utcOffsetMin: number;
  /** `ratePerHour`: a rate is applied over at most this long; default 10 minutes. */
  maxRateIntervalMs: number;
  /** Readings are kept this long before the newest; default 12 hours, the longest window (keep it ≥ that). */
  horizonMs: number;
  /** At most this many readings are kept; default 1440. */
  maxSamples: number;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export const DEFAULT_RAINFALL_OPTIONS: RainfallOptions = {
  utcOffsetMin: 480,
  maxRateIntervalMs: 10 * 60_000,
  horizonMs: 12 * HOUR_MS,
  maxSamples: 1440,
};

/** The windows the rule table compares against. */
export const RAIN_WINDOWS = { rain3hMm: 3 * HOUR_MS, rain6hMm: 6 * HOUR_MS, rain12hMm: 12 * HOUR_MS } as const;
export type RainSums = Record<keyof typeof RAIN_WINDOWS, number>;

/** A window with no readings, reading `precipitationMm` as `interpretation`. */
export function emptyRainfallWindow(interpretation: PrecipitationInterpretation = 'increment'): RainfallWindowState {
  return { interpretation, samples: [] };
}

/** Sums in millimetres, rounded to a thousandth so 500 × 0.1 mm is exactly 50. */
const roundMm = (mm: number) => Math.round(mm * 1000) / 1000;

function localDay(ts: number, utcOffsetMin: number): number {
  return Math.floor((ts + utcOffsetMin * 60_000) / DAY_MS);
}

/** Index of the first sample with a timestamp ≥ ts (samples are sorted). */
function lowerBound(samples: RainfallWindowState['samples'], ts: number): number {
  let lo = 0;
  let hi = samples.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (samples[mid]![0] < ts) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Add one reading's value. Returns the window unchanged (`added: false`) for a duplicate timestamp or a
 * reading older than the horizon; the input is never modified.
 */
export function addRainfallSample(
  window: RainfallWindowState,
  sample: { ts: number; precipitationMm: number },
  options: Partial<RainfallOptions> = {},
): { window: RainfallWindowState; added: boolean } {
  const opts = { ...DEFAULT_RAINFALL_OPTIONS, ...options };
  const { samples } = window;
  const at = lowerBound(samples, sample.ts);
  if (samples[at]?.[0] === sample.ts) return { window, added: false };
  const next: RainfallWindowState['samples'] = [
    ...samples.slice(0, at),
    [sample.ts, sample.precipitationMm],
    ...samples.slice(at),
  ];
  const pruned = prune(next, window.interpretation, opts);
  const added = pruned.some(([ts]) => ts === sample.ts);
  return added ? { window: { interpretation: window.interpretation, samples: pruned }, added } : { window, added };
}

function needsBaseline(interpretation: PrecipitationInterpretation): boolean {
  return interpretation !== 'increment';
}

/** Drop readings older than the horizon (keeping one baseline where needed) and beyond `maxSamples`. */
function prune(
  samples: RainfallWindowState['samples'],
  interpretation: PrecipitationInterpretation,
  opts: RainfallOptions,
): RainfallWindowState['samples'] {
  const newest = samples.at(-1)?.[0];
  if (newest === undefined) return samples;
  let first = lowerBound(samples, newest - opts.horizonMs + 1);
  if (needsBaseline(interpretation) && first > 0) first -= 1;
  first = Math.max(first, samples.length - opts.maxSamples);
  return first > 0 ? samples.slice(first) : samples;
}

/** The rain attributed to the i-th sample: what fell in the interval that ends at it; undefined if unknown. */
function amountOf(window: RainfallWindowState, i: number, opts: RainfallOptions): number | undefined {
  const [ts, value] = window.samples[i]!;
  const previous = window.samples[i - 1];
  switch (window.interpretation) {
    case 'increment':
      return value;
    case 'cumulativeSinceMidnight': {
      if (!previous) return undefined;
      const [prevTs, prevValue] = previous;
      if (localDay(prevTs, opts.utcOffsetMin) !== localDay(ts, opts.utcOffsetMin)) return value;
      return value >= prevValue ? value - prevValue : value;
    }
    case 'ratePerHour': {
      if (!previous) return undefined;
      return (value * Math.min(ts - previous[0], opts.maxRateIntervalMs)) / HOUR_MS;
    }
  }
}

/** The rain attributed to the reading at `ts` (what fell since the previous one); undefined if not known. */
export function rainfallAt(
  window: RainfallWindowState,
  ts: number,
  options: Partial<RainfallOptions> = {},
): number | undefined {
  const opts = { ...DEFAULT_RAINFALL_OPTIONS, ...options };
  const i = lowerBound(window.samples, ts);
  if (window.samples[i]?.[0] !== ts) return undefined;
  const amount = amountOf(window, i, opts);
  return amount === undefined ? undefined : roundMm(amount);
}

/** Rain in `(endTs − durationMs, endTs]`, millimetres. */
export function rainfallSum(
  window: RainfallWindowState,
  endTs: number,
  durationMs: number,
  options: Partial<RainfallOptions> = {},
): number {
  const opts = { ...DEFAULT_RAINFALL_OPTIONS, ...options };
  const { samples } = window;
  let sum = 0;
  for (let i = lowerBound(samples, endTs - durationMs + 1); i < samples.length && samples[i]![0] <= endTs; i += 1) {
    sum += amountOf(window, i, opts) ?? 0;
  }
  return roundMm(sum);
}

/** Rain over the 3, 6 and 12 hours that end at `endTs`. */
export function rainfallSums(
  window: RainfallWindowState,
  endTs: number,
  options: Partial<RainfallOptions> = {},
): RainSums {
  return {
    rain3hMm: rainfallSum(window, endTs, RAIN_WINDOWS.rain3hMm, options),
    rain6hMm: rainfallSum(window, endTs, RAIN_WINDOWS.rain6hMm, options),
    rain12hMm: rainfallSum(window, endTs, RAIN_WINDOWS.rain12hMm, options),
  };
}
