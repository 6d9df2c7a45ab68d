import { z } from 'zod';
import { AssignmentReport, UnitReport } from './domain.ts';

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
