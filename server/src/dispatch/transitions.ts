import type { AssignmentReport, IncidentState, UnitReport, UnitStatus } from '@beacon/shared';

/** What a crew's report does to its unit and incident, and from which unit statuses it is allowed. */
export interface AssignmentTransition {
  from: readonly UnitStatus[];
  unitStatus: UnitStatus;
  incidentState: IncidentState;
  /** Ends the assignment: the unit lets go of the incident, which is closed. */
  clears: boolean;
}

/**
 * The patrol terminal's state machine for one assignment. A crew may skip a step (report on scene without
 * en route) but never go back, and can only clear once it has acknowledged. Clearing sends the unit
 * `returning`: free for a new job while it drives back.
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
        unitStatus: 'returning',
        incidentState: 'closed',
        clears: true,
      };
  }
}

/** What a report without an incident does to the unit, and from which statuses it is allowed. */
export interface UnitTransition {
  from: readonly UnitStatus[];
  unitStatus: UnitStatus;
}

/**
 * Reports outside an assignment: back in service after returning or after signing on again, and signing
 * off duty. A unit on a job must clear it first; it can never sign off with an incident in hand.
 */
export function unitTransition(report: UnitReport): UnitTransition {
  switch (report) {
    case 'available':
      return { from: ['returning', 'off_duty'], unitStatus: 'available' };
    case 'off_duty':
      return { from: ['available', 'returning'], unitStatus: 'off_duty' };
  }
}
