import type { Clock } from '@beacon/shared';
import type { Random } from './random.ts';

/** A source of unique event ids for one feed. */
export type EventIds = () => string;

/**
 * Id of one simulator run: the start time and a random suffix. Event ids carry it so that a restarted
 * demo never repeats an id the server still remembers (it de-duplicates per device for days).
 */
export function newRunId(clock: Clock, random: Random): string {
  const suffix = Math.floor(random() * 36 ** 4)
    .toString(36)
    .padStart(4, '0');
  return `${clock.now().toString(36)}${suffix}`;
}

/** `prefix-1`, `prefix-2`, … */
export function createEventIds(prefix: string): EventIds {
  let seq = 0;
  return () => {
    seq += 1;
    return `${prefix}-${seq}`;
  };
}
