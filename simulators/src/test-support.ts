import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Test helpers shared by the unit tests of this package (not exported from index.ts). */
export const BIJIE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../regions/bijie');
export const BIJIE_ROADS = path.join(BIJIE_DIR, 'corridors.geojson');

export { manualClock } from '@beacon/shared';
