import { Incident } from '@beacon/shared';

/**
 * A fresh incident for unit tests: a received P1 pedestrian at 105°E 27°N, created at `at`; the shared schema
 * fills every field with a default, so tests keep compiling as the model grows.
 */
export function makeIncident(overrides: Partial<Incident> = {}, at = 1_800_000_000_000): Incident {
  return Incident.parse({
    id: 'INC-1',
    type: 'pedestrian',
    priority: 'P1',
    state: 'received',
    lon: 105,
    lat: 27,
    createdAt: at,
    updatedAt: at,
    detections: 1,
    lastDetectedAt: at,
    cameraId: null,
    direction: null,
    confidence: 0.9,
    stake: null,
    unitId: null,
    assignedAt: null,
    closedAt: null,
    ...overrides,
  });
}
