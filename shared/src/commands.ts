import { z } from 'zod';
import { AssignmentReport } from './domain.ts';

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
