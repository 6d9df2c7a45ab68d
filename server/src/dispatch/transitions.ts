import type { AssignmentReport, IncidentState, UnitStatus } from '@beacon/shared';

/** What a crew's report does to its unit and incident, and from which unit statuses it is allowed. */
export interface AssignmentTransition {
  from: readonly UnitStatus[];
  unitStatus: UnitStatus;
  incidentState: IncidentState;
  /** Frees the unit and closes the incident. */
  clears: boolean;
}

/**
 * The patrol terminal's state machine. A crew may skip a step (report on scene without en route)
 * but never go back, and can only clear once it has acknowledged.
 */
export function assignmentTransition(report: AssignmentReport): AssignmentTransition {
  switch (report) {
    case 'acknowledged':
      return { from: ['dispatched'], unitStatus: 'acknowledged', incidentState: 'acknowledged', clears: false };
    case 'en_route':
      return { from: ['dispatched', 'acknowledged'], unitStatus: 'en_route', incidentState: 'en_route', clears: false };
    case 'on_scene':
      return {
        from: ['dispatched', 'acknowledged', 'en_route'],
        unitStatus: 'on_scene',
        incidentState: 'on_scene',
        clears: false,
      };
    case 'cleared':
      return {
        from: ['acknowledged', 'en_route', 'on_scene'],
        unitStatus: 'available',
        incidentState: 'closed',
        clears: true,
      };
  }
}
