import { z } from 'zod';
import { Latitude, Longitude } from './geo.ts';

/**
 * A patrol unit's duty status. `dispatched` means assigned but not yet acknowledged by the crew.
 * The order is the order of one assignment: available → dispatched → acknowledged → en_route → on_scene → available.
 */
export const UNIT_STATUSES = ['available', 'dispatched', 'acknowledged', 'en_route', 'on_scene'] as const;
export const UnitStatus = z.enum(UNIT_STATUSES);
export type UnitStatus = z.output<typeof UnitStatus>;

export const Unit = z.object({
  id: z.string(),
  callsign: z.string(),
  status: UnitStatus,
  lon: Longitude,
  lat: Latitude,
  speedKmh: z.number().nullable(),
  headingDeg: z.number().nullable(),
  /** Device time of the last GPS fix, epoch ms. */
  lastFixAt: z.number(),
  incidentId: z.string().nullable(),
  /** Server time of the last status change, epoch ms. */
  statusSince: z.number(),
});
export type Unit = z.output<typeof Unit>;

/** The high-rate part of a unit, sent in batches per tick. */
export type UnitPosition = Pick<Unit, 'id' | 'lon' | 'lat' | 'speedKmh' | 'headingDeg' | 'lastFixAt'>;

export const INCIDENT_TYPES = ['pedestrian'] as const;
export const IncidentType = z.enum(INCIDENT_TYPES);
export type IncidentType = z.output<typeof IncidentType>;

export const INCIDENT_STATES = ['open', 'assigned', 'acknowledged', 'en_route', 'on_scene', 'closed'] as const;
export const IncidentState = z.enum(INCIDENT_STATES);
export type IncidentState = z.output<typeof IncidentState>;

export const PRIORITIES = ['P1', 'P2', 'P3'] as const;
export const Priority = z.enum(PRIORITIES);
export type Priority = z.output<typeof Priority>;

export const Incident = z.object({
  id: z.string(),
  type: IncidentType,
  priority: Priority,
  state: IncidentState,
  lon: Longitude,
  lat: Latitude,
  /** Server time the incident was opened, epoch ms. */
  createdAt: z.number(),
  updatedAt: z.number(),
  /** How many detections were folded into this incident, and when the last one came in (device time). */
  detections: z.number().int(),
  lastDetectedAt: z.number(),
  cameraId: z.string().nullable(),
  direction: z.enum(['up', 'down']).nullable(),
  confidence: z.number(),
  unitId: z.string().nullable(),
  assignedAt: z.number().nullable(),
  closedAt: z.number().nullable(),
});
export type Incident = z.output<typeof Incident>;

/** Statuses a patrol crew reports about its current assignment. */
export const ASSIGNMENT_REPORTS = ['acknowledged', 'en_route', 'on_scene', 'cleared'] as const;
export const AssignmentReport = z.enum(ASSIGNMENT_REPORTS);
export type AssignmentReport = z.output<typeof AssignmentReport>;

/** A unit offered for an incident. Distance is straight-line until the road graph exists. */
export interface Candidate {
  unitId: string;
  callsign: string;
  status: UnitStatus;
  distanceM: number;
  /** How `distanceM` was measured. `straight_line` must be labelled as such on every screen. */
  distanceKind: 'straight_line';
  lastFixAt: number;
}

/** Everything a screen needs to draw the current situation; sent on connect and on request. */
export interface Snapshot {
  serverTime: number;
  /** Set when the server is fed by the demo simulators; screens must say so. */
  demoNotice: string | null;
  units: Unit[];
  incidents: Incident[];
}
