import { z } from 'zod';

/**
 * A device timestamp: epoch milliseconds, or an ISO-8601 string with a zone offset.
 * Both are normalised to epoch milliseconds.
 */
export const DeviceTimestamp = z
  .union([
    z.number().int().min(946_684_800_000, 'must be epoch milliseconds after 2000-01-01'),
    z.iso.datetime({ offset: true }).transform((s) => Date.parse(s)),
  ])
  .pipe(z.number().int());

/** A source of "now" in epoch milliseconds, injected wherever time matters. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock moved by hand: tests, and drills that step simulated time. */
export interface ManualClock extends Clock {
  advance(ms: number): void;
  set(t: number): void;
}

export function manualClock(start = Date.parse('2026-11-25T12:00:00+08:00')): ManualClock {
  let now = start;
  return {
    now: () => now,
    advance: (ms) => {
      now += ms;
    },
    set: (t) => {
      now = t;
    },
  };
}
