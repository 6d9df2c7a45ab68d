import type { FeatureCollection, Point } from 'geojson';
import { ASSIGNABLE_STATES, isOpenState, type Incident, type IncidentState, type Unit } from '@beacon/shared';
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

/** Whether an incident is a new P1 still waiting for a unit (received or assessed): the wall pulses it. */
export function awaitsDispatch(incident: Incident): boolean {
  return (ASSIGNABLE_STATES as readonly IncidentState[]).includes(incident.state);
}

/** Open incidents as features; new P1s awaiting dispatch carry `pulse` so the wall animates them. */
export function incidentsToGeoJSON(
  incidents: Incident[],
  now: number,
  selectedId: string | null = null,
): FeatureCollection<Point> {
  return {
    type: 'FeatureCollection',
    features: incidents
      .filter((i) => isOpenState(i.state))
      .map((i) => ({
        type: 'Feature',
        id: i.id,
        geometry: { type: 'Point', coordinates: [i.lon, i.lat] },
        properties: {
          id: i.id,
          priority: i.priority,
          state: i.state,
          type: i.type,
          pulse: i.priority === 'P1' && awaitsDispatch(i) && now - i.createdAt < PULSE_MS,
          selected: i.id === selectedId,
        },
      })),
  };
}
