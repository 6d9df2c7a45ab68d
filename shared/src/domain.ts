import { z } from 'zod';
import { Latitude, Longitude } from './geo.ts';
import { IncidentState, IncidentType, Priority } from './lifecycle.ts';
import type { Alarm } from './alarms.ts';
import type { SlaPolicy } from './sla.ts';

/**
 * A patrol unit's duty status. `dispatched` means assigned but not yet acknowledged by the crew;
 * `returning` means cleared and on its way back (already free for a new job); `off_duty` means signed off.
 * The order is the order of one assignment:
 * available → dispatched → acknowledged → en_route → on_scene → returning → available, then off_duty.
 * Lost GPS is not a status: it is a feed-health flag judged from `lastFixAt`.
 */
export const UNIT_STATUSES = [
  'available',
  'dispatched',
  'acknowledged',
  'en_route',
  'on_scene',
  'returning',
  'off_duty',
] as const;
export const UnitStatus = z.enum(UNIT_STATUSES);
export type UnitStatus = z.output<typeof UnitStatus>;

/** Statuses in which a unit may be recommended and assigned: free, or driving back from a cleared job. */
export const DISPATCHABLE_STATUSES = ['available', 'returning'] as const satisfies readonly UnitStatus[];

/** Whether a unit in this status may be recommended and assigned. */
export function isDispatchable(status: UnitStatus): boolean {
  return (DISPATCHABLE_STATUSES as readonly UnitStatus[]).includes(status);
}

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
  /** Stake number of the last fix (`SX1 K12+300 上行`) when the unit is on an expressway; null otherwise. */
  stake: z.string().nullable().default(null),
  /** Server time of the last status change, epoch ms. */
  statusSince: z.number(),
  /** Set for units of a drill (absent or null for live units). */
  drillId: z.string().nullable().optional(),
});
export type Unit = z.output<typeof Unit>;

/** The high-rate part of a unit, sent in batches per tick. */
export type UnitPosition = Pick<Unit, 'id' | 'lon' | 'lat' | 'speedKmh' | 'headingDeg' | 'lastFixAt' | 'stake'>;

/** A 督办 (supervision) flag: a deadline was missed and the item is escalated to the center above. */
export const Supervision = z.object({
  /** Which deadline: the per-priority SLA timers, or the 09:00 / 21:00 daily cycle. */
  kind: z.enum(['dispatch', 'arrival', 'closure', 'daily_assign', 'daily_close', 'manual']),
  at: z.number(),
  /** The deadline that was missed, epoch ms (null for a manual flag). */
  dueAt: z.number().nullable(),
  reason: z.string(),
  /** Jurisdiction (adcode) the item is escalated to; null when there is no level above. */
  escalatedTo: z.string().nullable(),
  actor: z.string(),
});
export type Supervision = z.output<typeof Supervision>;

export const Incident = z.object({
  id: z.string(),
  type: IncidentType,
  priority: Priority,
  /** Why the priority differs from the type's default (e.g. `red_fog`); null when it does not. */
  priorityReason: z.string().nullable().default(null),
  state: IncidentState,
  lon: Longitude,
  lat: Latitude,
  /** What the reporter or the rule said; null for rule-made incidents without text. */
  description: z.string().nullable().default(null),
  /** Who opened it: `rule:pedestrian`, `rule:weather`, `console`, `user:<name>`. */
  createdBy: z.string().default('rule:pedestrian'),
  /** County (adcode) the incident lies in, from the region pack's boundaries; null outside them. */
  jurisdiction: z.string().nullable().default(null),
  /** Set for incidents of a drill; live screens, statistics and dispatch never see these. */
  drillId: z.string().nullable().default(null),
  /** Server time the incident was opened, epoch ms. */
  createdAt: z.number(),
  updatedAt: z.number(),
  /** How many detections were folded into this incident, and when the last one came in (device time). */
  detections: z.number().int(),
  lastDetectedAt: z.number(),
  cameraId: z.string().nullable(),
  direction: z.enum(['up', 'down']).nullable(),
  confidence: z.number(),
  /** `SX1 K23+450 上行` when the incident is on an expressway of the region pack. */
  stake: z.string().nullable(),
  unitId: z.string().nullable(),
  /** When a unit was dispatched (派单), acknowledged, arrived (到场), and when the incident was closed (办结). */
  assignedAt: z.number().nullable(),
  acknowledgedAt: z.number().nullable().default(null),
  arrivedAt: z.number().nullable().default(null),
  closedAt: z.number().nullable(),
  feedbackAt: z.number().nullable().default(null),
  /** When it was cancelled or merged. */
  endedAt: z.number().nullable().default(null),
  mergedInto: z.string().nullable().default(null),
  /** Related incidents (links go both ways). */
  links: z.array(z.string()).default([]),
  /** 督办 flags raised on this incident, oldest first. */
  supervisions: z.array(Supervision).default([]),
  /** Version, bumped by every change; writers compare it to refuse lost updates. */
  rev: z.number().int().default(0),
});
export type Incident = z.output<typeof Incident>;

/** Statuses a patrol crew reports about its current assignment. */
export const ASSIGNMENT_REPORTS = ['acknowledged', 'en_route', 'on_scene', 'cleared'] as const;
export const AssignmentReport = z.enum(ASSIGNMENT_REPORTS);
export type AssignmentReport = z.output<typeof AssignmentReport>;

/** Statuses a crew reports without an incident: back in service, or signed off duty. */
export const UNIT_REPORTS = ['available', 'off_duty'] as const;
export const UnitReport = z.enum(UNIT_REPORTS);
export type UnitReport = z.output<typeof UnitReport>;

/** Why a candidate's drive time is what it is; screens turn it into a sentence. */
export const CANDIDATE_REASONS = [
  /** On the incident's carriageway, behind it: straight on. */
  'same_carriageway',
  /** Across the median: must turn around at `via`. */
  'opposite_carriageway',
  /** On the incident's carriageway but past it: must turn around twice. */
  'passed_incident',
  /** On another road: joins at `via`. */
  'other_road',
  /** Away from the road network: the first leg is a straight-line estimate. */
  'off_network',
  /** No road route (e.g. the incident is off the network): straight-line distance only. */
  'no_route',
] as const;
export type CandidateReason = (typeof CANDIDATE_REASONS)[number];

/** A unit offered for an incident, ranked by drive time on the directed road graph. */
export interface Candidate {
  unitId: string;
  callsign: string;
  status: UnitStatus;
  /** Drive time to the incident, seconds; null when there is no road route. */
  driveTimeS: number | null;
  roadDistanceM: number | null;
  /** Great-circle distance, for comparison only: never a drive distance. */
  straightLineM: number;
  /** True when part of the drive time is estimated (the unit is off the road network). */
  approximate: boolean;
  reason: CandidateReason;
  /** The interchange or service area where the unit turns around or joins, when it matters. */
  via: string | null;
  /** Drive time beyond a straight run at motorway speed, seconds (the cost of the detour). */
  extraS: number | null;
  /** Where the unit is, as a stake number, when it is on an expressway. */
  stake: string | null;
  /** Route from the unit to the incident, [lon, lat] pairs (for the best few candidates). */
  route: [number, number][] | null;
  lastFixAt: number;
}

/**
 * The drive a unit was given when it was assigned: computed once on the road graph from where the unit
 * was at that moment, kept for the patrol terminal and the console.
 */
export const AssignmentRoute = z.object({
  incidentId: z.string(),
  unitId: z.string(),
  /** Server time of the assignment (and of the computation), epoch ms. */
  computedAt: z.number(),
  driveTimeS: z.number().nullable(),
  roadDistanceM: z.number().nullable(),
  approximate: z.boolean(),
  reason: z.enum(CANDIDATE_REASONS),
  via: z.string().nullable(),
  /** Drive time beyond a straight run at motorway speed, seconds (the cost of a turn-around). */
  extraS: z.number().nullable(),
  /** [lon, lat] pairs from the unit to the incident; null when there is no road route. */
  route: z.array(z.tuple([Longitude, Latitude])).nullable(),
});
export type AssignmentRoute = z.output<typeof AssignmentRoute>;

/** One hazard up at a weather station. */
export interface ActiveWeatherStage {
  hazard: 'fog' | 'ice' | 'gale' | 'rainstorm';
  level: 'blue' | 'yellow' | 'orange' | 'red';
  /** The rule table's stage id, e.g. `orange-100m`. */
  stageId: string;
  /** Device time of the reading that moved the hazard to this stage, epoch ms. */
  since: number;
}

/** The one traffic-control measure of a station's section (the strictest of its hazards). */
export interface WeatherControlMeasure {
  /** Highest speed allowed, km/h; null: the posted limit. */
  speedLimitKmh: number | null;
  /** Smallest gap to the vehicle ahead, metres; null: no requirement. */
  minGapM: number | null;
  /** The section is closed to traffic. */
  closed: boolean;
  text_zh: string;
  text_en: string;
}

/** A weather station with at least one warning up, and the road it controls. */
export interface ActiveWeatherAlert {
  stationId: string;
  /** Null for a station the region pack does not know (then `ref`, `stakeM` and `segment` are null too). */
  lon: number | null;
  lat: number | null;
  ref: string | null;
  stakeM: number | null;
  /** Most severe first. */
  stages: ActiveWeatherStage[];
  measure: WeatherControlMeasure | null;
  /** Control grade by the length of road affected (三级 / 二级 / 一级). */
  controlLevel: '三级' | '二级' | '一级';
  /** The controlled section of the station's expressway: `BEACON_ALERT_SEGMENT_KM` either side of its stake. */
  segment: { ref: string; fromStakeM: number; toStakeM: number } | null;
}

/** Everything a screen needs to draw the current situation; sent on connect and on request. */
export interface Snapshot {
  serverTime: number;
  /** Set when the server is fed by the demo simulators; screens must say so. */
  demoNotice: string | null;
  /** Set when the server runs a drill: screens show the 演练 watermark. */
  drillId?: string | null;
  units: Unit[];
  incidents: Incident[];
  /** Weather stations with a warning up, most severe first. */
  weatherAlerts: ActiveWeatherAlert[];
  /** Open and acknowledged alarms, latest signal first. */
  alarms: Alarm[];
  /** The server's SLA targets per priority (ms from creation; arrival null: no trip), for screens' countdowns. */
  slaPolicy?: SlaPolicy;
}

/** The situation as it stood at a past time, rebuilt from the events stream (`situation:asOf`, the time machine). */
export interface PastSituation {
  asOf: number;
  /** The oldest event still in the stream: nothing before it can be rebuilt. */
  oldestEventAt: number | null;
  incidents: Incident[];
  /** Units as of their last status change before `asOf` (positions between changes are not domain events). */
  units: Unit[];
  weatherAlerts: ActiveWeatherAlert[];
  alarms: Alarm[];
  eventsApplied: number;
}
