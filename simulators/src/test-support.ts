import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Clock } from '@beacon/shared';

/** Test helpers shared by the unit tests of this package (not exported from index.ts). */
export const BIJIE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../regions/bijie');
export const BIJIE_ROADS = path.join(BIJIE_DIR, 'schematic-roads.geojson');

export function manualClock(
  start = Date.parse('2026-11-25T12:00:00+08:00'),
): Clock & { advance(ms: number): void; set(t: number): void } {
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
