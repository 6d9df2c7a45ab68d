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
