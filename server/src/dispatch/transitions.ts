import type { AssignmentReport, IncidentState, UnitReport, UnitStatus } from '@beacon/shared';

/** What a crew's report does to its unit and incident, and from which unit statuses it is allowed. */
export interface AssignmentTransition {
  from: readonly UnitStatus[];
  unitStatus: UnitStatus;
  /** The incident's next state; null: the report does not move the incident (an acknowledgement). */
  incidentState: IncidentState | null;
  /** The incident time stamped by this report (the first time only). */
  stamp: 'acknowledgedAt' | 'arrivedAt' | 'closedAt' | null;
  /** Ends the assignment: the unit lets go of the incident, which is closed (办结). */
  clears: boolean;
}

/**
 * The patrol terminal's state machine for one assignment. A crew may skip a step (report on scene without
 * en route) but never go back, and can only clear once it has acknowledged. An acknowledgement stamps the
 * incident without moving it (it stays 派单 dispatched); clearing closes it (办结) and sends the unit
 * `returning`: free for a new job while it drives back.
 */
export function assignmentTransition(report: AssignmentReport): AssignmentTransition {
  switch (report) {
    case 'acknowledged':
      return {
        from: ['dispatched'],
        unitStatus: 'acknowledged',
        incidentState: null,
        stamp: 'acknowledgedAt',
        clears: false,
      };
    case 'en_route':
      return {
        from: ['dispatched', 'acknowledged'],
        unitStatus: 'en_route',
        incidentState: 'en_route',
        stamp: null,
        clears: false,
      };
    case 'on_scene':
      return {
        from: ['dispatched', 'acknowledged', 'en_route'],
        unitStatus: 'on_scene',
        incidentState: 'on_scene',
        stamp: 'arrivedAt',
        clears: false,
      };
    case 'cleared':
      return {
        from: ['acknowledged', 'en_route', 'on_scene'],
        unitStatus: 'returning',
        incidentState: 'closed',
        stamp: 'closedAt',
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
