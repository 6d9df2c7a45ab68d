import { z } from 'zod';
import { AssignmentReport, UnitReport } from './domain.ts';
import { Latitude, Longitude } from './geo.ts';
import { IncidentState, IncidentType, Priority } from './lifecycle.ts';
import { StatisticsWindow } from './statistics.ts';

const Id = z.string().trim().min(1).max(64);

export const RecommendUnitsCommand = z.strictObject({
  incidentId: Id,
  limit: z.number().int().min(1).max(50).optional(),
});
export type RecommendUnitsCommand = z.output<typeof RecommendUnitsCommand>;

export const AssignUnitCommand = z.strictObject({ incidentId: Id, unitId: Id });
export type AssignUnitCommand = z.output<typeof AssignUnitCommand>;

export const ReportAssignmentCommand = z.strictObject({ unitId: Id, incidentId: Id, status: AssignmentReport });
export type ReportAssignmentCommand = z.output<typeof ReportAssignmentCommand>;

/** A crew's report without an incident: back in service (`available`) or signed off (`off_duty`). */
export const ReportUnitCommand = z.strictObject({ unitId: Id, status: UnitReport });
export type ReportUnitCommand = z.output<typeof ReportUnitCommand>;

/** Ask for the route a unit was given when it was assigned to this incident. */
export const AssignmentRouteCommand = z.strictObject({ incidentId: Id });
export type AssignmentRouteCommand = z.output<typeof AssignmentRouteCommand>;

/** Ask the server which device this connection is (the patrol terminal checks its binding at login). */
export const DeviceInfoCommand = z.strictObject({});
export type DeviceInfoCommand = z.output<typeof DeviceInfoCommand>;

const Reason = z.string().trim().min(1).max(500);
const Text = z.string().trim().min(1).max(2000);

/** A dispatcher opens an incident from a call, a patrol's report or a higher center's order. */
export const CreateIncidentCommand = z.strictObject({
  type: IncidentType,
  lon: Longitude,
  lat: Latitude,
  /** Defaults to the type's priority (DEFAULT_PRIORITY). */
  priority: Priority.optional(),
  description: Text.optional(),
  /** Carriageway, when the reporter knows it. */
  direction: z.enum(['up', 'down']).optional(),
});
export type CreateIncidentCommand = z.output<typeof CreateIncidentCommand>;

/**
 * The steps a dispatcher takes by hand: 研判 assessed (also: take the unit off the job, with a reason),
 * 处置 handling, 办结 closed, 回访 feedback, cancelled. Dispatch, en route and on scene come from
 * `dispatch:assign` and the crew's reports; merged from `incident:merge`.
 */
export const MANUAL_TRANSITIONS = ['assessed', 'handling', 'closed', 'feedback', 'cancelled'] as const;
export const TransitionIncidentCommand = z.strictObject({
  incidentId: Id,
  to: IncidentState.refine((s) => (MANUAL_TRANSITIONS as readonly string[]).includes(s), {
    message: `must be one of ${MANUAL_TRANSITIONS.join(', ')}`,
  }),
  reason: Reason.optional(),
});
export type TransitionIncidentCommand = z.output<typeof TransitionIncidentCommand>;

export const AddNoteCommand = z.strictObject({ incidentId: Id, text: Text });
export type AddNoteCommand = z.output<typeof AddNoteCommand>;

/** An attachment is a link to a file kept elsewhere (a photo on the evidence server, a video clip). */
export const AddAttachmentCommand = z.strictObject({
  incidentId: Id,
  url: z.url({ protocol: /^https?$/ }).max(2000),
  title: z.string().trim().max(200).optional(),
});
export type AddAttachmentCommand = z.output<typeof AddAttachmentCommand>;

/** Fold `incidentId` into `intoId` (并案): the first ends as merged, the second carries on. */
export const MergeIncidentsCommand = z.strictObject({ incidentId: Id, intoId: Id, reason: Reason.optional() });
export type MergeIncidentsCommand = z.output<typeof MergeIncidentsCommand>;

/** Mark two incidents as related (both stay open). */
export const LinkIncidentsCommand = z.strictObject({ incidentId: Id, otherId: Id });
export type LinkIncidentsCommand = z.output<typeof LinkIncidentsCommand>;

export const SetPriorityCommand = z.strictObject({ incidentId: Id, priority: Priority, reason: Reason });
export type SetPriorityCommand = z.output<typeof SetPriorityCommand>;

/** A supervisor flags an incident for 督办 by hand. */
export const SuperviseIncidentCommand = z.strictObject({ incidentId: Id, reason: Reason });
export type SuperviseIncidentCommand = z.output<typeof SuperviseIncidentCommand>;

export const IncidentTimelineCommand = z.strictObject({ incidentId: Id });
export type IncidentTimelineCommand = z.output<typeof IncidentTimelineCommand>;

/** A person acknowledges an alarm (it stays open and keeps counting) or clears it (it closes). */
export const AlarmActionCommand = z.strictObject({ alarmId: Id, action: z.enum(['acknowledge', 'clear']) });
export type AlarmActionCommand = z.output<typeof AlarmActionCommand>;

/** Ask for the statistics report of a window (default today). */
export const StatisticsCommand = z.strictObject({ window: StatisticsWindow.optional() });
export type StatisticsCommand = z.output<typeof StatisticsCommand>;
