import type { FeatureCollection, Point } from 'geojson';
import type { Incident, Unit } from '@beacon/shared';
import { LOST_SIGNAL_MS } from '../stores/situation.ts';

/** How long a new P1 incident pulses on the wall to pull every eye to it. */
export const PULSE_MS = 5 * 60_000;

/** Every unit as one GeoJSON feature; the whole fleet is one source. */
export function unitsToGeoJSON(units: Unit[], now: number): FeatureCollection<Point> {
  return {
    type: 'FeatureCollection',
    features: units.map((u) => ({
      type: 'Feature',
      id: u.id,
      geometry: { type: 'Point', coordinates: [u.lon, u.lat] },
      properties: {
        id: u.id,
        status: u.status,
        heading: u.headingDeg ?? 0,
        hasHeading: u.headingDeg !== null,
        lost: now - u.lastFixAt > LOST_SIGNAL_MS,
      },
    })),
  };
}

/** Open incidents as features; new open P1s carry `pulse` so the wall animates them. */
export function incidentsToGeoJSON(
  incidents: Incident[],
  now: number,
  selectedId: string | null = null,
): FeatureCollection<Point> {
  return {
    type: 'FeatureCollection',
    features: incidents
      .filter((i) => i.state !== 'closed')
      .map((i) => ({
        type: 'Feature',
        id: i.id,
        geometry: { type: 'Point', coordinates: [i.lon, i.lat] },
        properties: {
          id: i.id,
          priority: i.priority,
          state: i.state,
          type: i.type,
          pulse: i.priority === 'P1' && i.state === 'open' && now - i.createdAt < PULSE_MS,
          selected: i.id === selectedId,
        },
      })),
  };
}
