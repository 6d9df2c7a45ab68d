import type { AckFn } from './ack.ts';
import type {
  AddAttachmentCommand,
  AddNoteCommand,
  AlarmActionCommand,
  AssignUnitCommand,
  AssignmentRouteCommand,
  CreateIncidentCommand,
  IncidentTimelineCommand,
  LinkIncidentsCommand,
  MergeIncidentsCommand,
  SetPriorityCommand,
  StatisticsCommand,
  SuperviseIncidentCommand,
  TransitionIncidentCommand,
  DeviceInfoCommand,
  RecommendUnitsCommand,
  ReportAssignmentCommand,
  ReportUnitCommand,
} from './commands.ts';
import type { StationAlertChange } from './alerts.ts';
import type {
  ActiveWeatherAlert,
  AssignmentRoute,
  Candidate,
  Incident,
  PastSituation,
  Snapshot,
  Unit,
  UnitPosition,
} from './domain.ts';
import type { DeviceInfo } from './devices.ts';
import type { Alarm } from './alarms.ts';
import type { JurisdictionInfo } from './hierarchy.ts';
import type { TimelineEntry } from './lifecycle.ts';
import type { IncidentStatistics, OverdueItem } from './statistics.ts';
import type { AuditEntry, AuditListCommand, SessionInfo } from './auth.ts';
import type { Broadcast, SendBroadcastCommand } from './broadcasts.ts';
import type {
  CreateOrderCommand,
  ListOrdersCommand,
  OrderActionCommand,
  OrderStats,
  SendOrderCommand,
  WorkOrder,
} from './orders.ts';
import type {
  BatchItemInput,
  GpsReportedInput,
  IngestResult,
  PedestrianDetectedInput,
  WeatherObservedInput,
} from './ingest.ts';
import type { FeedHealthReport, FeedHealthSummary } from './health.ts';

/** Socket.IO namespace for field devices and simulators. */
export const INGEST_NAMESPACE = '/ingest';
/** Socket.IO namespace for the wall, dispatcher consoles and patrol terminals. */
export const OPS_NAMESPACE = '/ops';

/**
 * Events a device sends on `/ingest`. Payloads are typed for senders; the server validates them anyway.
 * Every event takes an acknowledgement.
 */
export interface IngestClientToServerEvents {
  'pedestrian:detected': (payload: PedestrianDetectedInput, ack: AckFn<IngestResult>) => void;
  'weather:observed': (payload: WeatherObservedInput, ack: AckFn<IngestResult>) => void;
  'gps:reported': (payload: GpsReportedInput, ack: AckFn<IngestResult>) => void;
  'ingest:batch': (payload: BatchItemInput[], ack: AckFn<IngestResult>) => void;
  /**
   * A patrol terminal's crew report. Accepted only from a patrol device bound to `unitId` (else FORBIDDEN);
   * applied at once (not through the ingest stream) and answered with the new state.
   */
  'assignment:report': (payload: ReportAssignmentCommand, ack: AckFn<{ incident: Incident; unit: Unit }>) => void;
  /** Back in service or off duty, from a patrol device bound to `unitId` (else FORBIDDEN). */
  'unit:report': (payload: ReportUnitCommand, ack: AckFn<{ unit: Unit }>) => void;
  /** Which device this connection authenticated as, with its kind and binding. */
  'device:info': (payload: DeviceInfoCommand, ack: AckFn<DeviceInfo>) => void;
}

/** The server sends nothing to devices except acknowledgements. */
export type IngestServerToClientEvents = Record<string, never>;

/** Commands the wall, consoles and patrol terminals send on `/ops`. */
export interface OpsClientToServerEvents {
  'situation:snapshot': (payload: Record<string, never>, ack: AckFn<Snapshot>) => void;
  'dispatch:recommend': (payload: RecommendUnitsCommand, ack: AckFn<{ candidates: Candidate[] }>) => void;
  'dispatch:assign': (payload: AssignUnitCommand, ack: AckFn<{ incident: Incident; unit: Unit }>) => void;
  'assignment:report': (payload: ReportAssignmentCommand, ack: AckFn<{ incident: Incident; unit: Unit }>) => void;
  /** Back in service or off duty, on a crew's behalf. */
  'unit:report': (payload: ReportUnitCommand, ack: AckFn<{ unit: Unit }>) => void;
  /** The route the assigned unit was given at dispatch; null when the incident was never assigned. */
  'assignment:route': (payload: AssignmentRouteCommand, ack: AckFn<{ assignment: AssignmentRoute | null }>) => void;
  /** The full feed-health report: every device, weather station and unit with its flags. */
  'health:snapshot': (payload: Record<string, never>, ack: AckFn<FeedHealthReport>) => void;
  /** Open an incident by hand (受理). */
  'incident:create': (payload: CreateIncidentCommand, ack: AckFn<{ incident: Incident }>) => void;
  /** A manual lifecycle step: 研判 / 处置 / 办结 / 回访 / cancel; `unit` is the unit let go, if any. */
  'incident:transition': (
    payload: TransitionIncidentCommand,
    ack: AckFn<{ incident: Incident; unit: Unit | null }>,
  ) => void;
  'incident:note': (payload: AddNoteCommand, ack: AckFn<{ incident: Incident }>) => void;
  'incident:attach': (payload: AddAttachmentCommand, ack: AckFn<{ incident: Incident }>) => void;
  'incident:merge': (payload: MergeIncidentsCommand, ack: AckFn<{ incident: Incident; into: Incident }>) => void;
  'incident:link': (payload: LinkIncidentsCommand, ack: AckFn<{ incident: Incident; other: Incident }>) => void;
  'incident:priority': (payload: SetPriorityCommand, ack: AckFn<{ incident: Incident }>) => void;
  /** Raise a 督办 flag by hand. */
  'incident:supervise': (payload: SuperviseIncidentCommand, ack: AckFn<{ incident: Incident }>) => void;
  /** The incident with its whole timeline and its correlated alarms. */
  'incident:timeline': (
    payload: IncidentTimelineCommand,
    ack: AckFn<{ incident: Incident; timeline: TimelineEntry[]; alarms: Alarm[] }>,
  ) => void;
  /** Closure rate, response times and breakdowns for today / 7 days / 30 days (docs/STATISTICS.md). */
  'incidents:statistics': (payload: StatisticsCommand, ack: AckFn<IncidentStatistics>) => void;
  /** Open incidents past the 09:00 / 21:00 daily-cycle deadlines, most overdue first. */
  'incidents:overdue': (payload: Record<string, never>, ack: AckFn<{ items: OverdueItem[] }>) => void;
  /** Acknowledge or clear an alarm. */
  'alarm:act': (payload: AlarmActionCommand, ack: AckFn<{ alarm: Alarm }>) => void;
  /** The audit stream, newest first (supervisors). */
  'audit:list': (payload: AuditListCommand, ack: AckFn<{ entries: AuditEntry[] }>) => void;
  /** Who this connection is signed in as. */
  'session:info': (payload: Record<string, never>, ack: AckFn<SessionInfo>) => void;
  /** Send a resident notice (警情通报) about an incident or a weather warning to the affected grid cells. */
  'broadcast:send': (payload: SendBroadcastCommand, ack: AckFn<{ broadcast: Broadcast }>) => void;
  /** Notices of the last two days in the caller's area, newest first, with their delivery per group. */
  'broadcasts:list': (payload: Record<string, never>, ack: AckFn<{ broadcasts: Broadcast[] }>) => void;
  /**
   * A jurisdiction (default the caller's) with its parent, siblings and children — where a work order may
   * be sent. Townships and villages are generated (`generated: true`).
   */
  'jurisdictions:around': (
    payload: { of?: string },
    ack: AckFn<{
      self: JurisdictionInfo;
      parent: JurisdictionInfo | null;
      siblings: JurisdictionInfo[];
      children: JurisdictionInfo[];
    }>,
  ) => void;
  /**
   * The situation as it stood at a past time (epoch ms), rebuilt from the events stream (time machine). Unit
   * positions are as of each unit's last status change; the stream reaches back BEACON_STREAM_MAX_AGE_MS.
   */
  'situation:asOf': (payload: { at: number }, ack: AckFn<PastSituation>) => void;
  /** Recent readings of weather stations (visibility, road temperature), oldest first, for trend charts. */
  'weather:history': (
    payload: { stationIds: string[]; sinceMs?: number },
    ack: AckFn<{ stations: { stationId: string; readings: WeatherTrendPoint[] }[] }>,
  ) => void;
  /** Create a work order at the caller's center (optionally sending it at once). */
  'order:create': (payload: CreateOrderCommand, ack: AckFn<{ order: WorkOrder }>) => void;
  /** Send an order the caller's center holds down to a child, up to the parent or sideways to a sibling. */
  'order:send': (payload: SendOrderCommand, ack: AckFn<{ order: WorkOrder }>) => void;
  /** Accept, return (with a reason), complete (with a result) or cancel (its origin only) a work order. */
  'order:act': (payload: OrderActionCommand, ack: AckFn<{ order: WorkOrder }>) => void;
  /** Work orders held by or created at a center and below (default the caller's), newest first. */
  'orders:list': (payload: ListOrdersCommand, ack: AckFn<{ orders: WorkOrder[] }>) => void;
  /** The supervisor view: a center's work-order figures and each child center's. */
  'orders:stats': (payload: { under?: string }, ack: AckFn<{ self: OrderStats; children: OrderStats[] }>) => void;
}

/** Facts the server pushes on `/ops`, named `domain:pastTense`. */
export interface OpsServerToClientEvents {
  /** Sent once on every (re)connect, before any delta — unless a catch-up is sent instead. */
  'situation:snapshot': (snapshot: Snapshot) => void;
  /** Sent on reconnect instead of the snapshot when the screen's `lastEventId` can be replayed. */
  'situation:catchup': (catchup: SituationCatchup) => void;
  /** The screen's session ended (signed out elsewhere, display revoked, account disabled): sign in again. */
  'session:ended': (payload: { reason: string }) => void;
  /** On connect and whenever this server loses or regains Redis. */
  'server:status': (status: ServerStatus) => void;
  /** GPS positions merged per unit and flushed once per tick. */
  'units:moved': (batch: { positions: UnitPosition[] }) => void;
  /** A unit appeared or its status changed. */
  'unit:updated': (unit: Unit, meta?: EventMeta) => void;
  'incident:created': (incident: Incident, meta?: EventMeta) => void;
  'incident:updated': (incident: Incident, meta?: EventMeta) => void;
  /**
   * A weather hazard's stage moved at a station (raised, lowered or cleared). `alert` is the station's
   * warning after the change (replaces the one with the same `stationId`); null when nothing is up any more.
   */
  'alert:changed': (payload: WeatherAlertChanged, meta?: EventMeta) => void;
  /** An alarm opened, was acknowledged, or closed (repeats only update its count, without an event). */
  'alarm:changed': (alarm: Alarm, meta?: EventMeta) => void;
  /** A work order was created, moved, accepted, returned, completed or cancelled. */
  'order:changed': (payload: OrderChanged, meta?: EventMeta) => void;
  /** A resident notice was sent, or groups confirmed or failed. */
  'broadcast:changed': (broadcast: Broadcast, meta?: EventMeta) => void;
  /** Feed-health counts: on connect, then when they change (checked every `BEACON_HEALTH_PUSH_MS`). */
  'health:updated': (summary: FeedHealthSummary) => void;
}

/**
 * Second argument of every domain event: its id in the events stream (`beacon:events`), or null when the
 * stream could not be written (Redis down). A screen keeps the newest id it saw and, after a reconnect,
 * names it in its handshake (`lastEventId`) to be sent what it missed (`situation:catchup`).
 */
export interface EventMeta {
  id: string | null;
}

/** One domain event as stored in the events stream and replayed on a catch-up. */
export interface StoredEvent {
  id: string;
  type: DomainEventName;
  payload: unknown;
}

/**
 * What a reconnecting screen gets instead of a snapshot when it named the last event it saw and the events
 * stream still holds everything after it: those events in order (of the screen's area), the units as they
 * are now (positions are not domain events), and the feed's new last id.
 */
export interface SituationCatchup {
  serverTime: number;
  after: string;
  events: StoredEvent[];
  units: Unit[];
  lastEventId: string | null;
}

/** Whether the server can reach Redis: screens show a degraded banner while it cannot. */
export interface ServerStatus {
  redis: 'up' | 'down';
  since: number;
}

/** Names of every domain event the server fans out; each is also appended to the events stream. */
export type DomainEventName =
  | 'unit:updated'
  | 'incident:created'
  | 'incident:updated'
  | 'alert:changed'
  | 'alarm:changed'
  | 'order:changed'
  | 'broadcast:changed';

/** Payload of `order:changed`: the order now, and the centers it just left (which hear of it too). */
export interface OrderChanged {
  order: WorkOrder;
  notify: string[];
}

/** Payload of `alert:changed`. */
export interface WeatherAlertChanged {
  stationId: string;
  change: StationAlertChange;
  alert: ActiveWeatherAlert | null;
}

/** One reading of a station's trend: device time, visibility (m) and road-surface temperature (°C) when sent. */
export interface WeatherTrendPoint {
  ts: number;
  visibilityM: number | null;
  roadSurfaceTempC: number | null;
}
