import { type Incident, isOpenState, type SlaPolicy, type Supervision } from '@beacon/shared';

/** The per-priority SLA timers, each running from the incident's creation. */
export const SLA_TIMER_KINDS = ['dispatch', 'arrival', 'closure'] as const satisfies readonly Supervision['kind'][];
export type SlaTimerKind = (typeof SLA_TIMER_KINDS)[number];

/** The fields the SLA timers read. */
export type SlaSubject = Pick<Incident, 'priority' | 'createdAt' | 'assignedAt' | 'arrivedAt' | 'closedAt' | 'endedAt'>;

/**
 * One timer at a moment:
 * - `running`: the step is not done and the incident is still open;
 * - `met`: the step was done at `metAt` (on time or late);
 * - `stopped`: the incident ended (closed without this step, cancelled or merged) before the step was done.
 */
export type SlaTimerStatus = 'running' | 'met' | 'stopped';

export interface SlaTimer {
  kind: SlaTimerKind;
  status: SlaTimerStatus;
  /** createdAt + the priority's target. */
  dueAt: number;
  /** When the step was done (assignedAt, arrivedAt, closedAt); null when it was not. */
  metAt: number | null;
  /** Not done by `dueAt`: done after it, still running past it, or stopped after it. */
  breached: boolean;
  /**
   * dueAt minus the moment the timer stood still (metAt, else when the incident ended, else now):
   * the time left while running, the slack when met; negative by as much as it is overdue.
   */
  remainingMs: number;
}

/** The three timers of an incident; null for a timer the policy does not set (arrival of a P4 work order). */
export type SlaEvaluation = Record<SlaTimerKind, SlaTimer | null>;

function stepDoneAt(incident: SlaSubject, kind: SlaTimerKind): number | null {
  switch (kind) {
    case 'dispatch':
      return incident.assignedAt;
    case 'arrival':
      return incident.arrivedAt;
    case 'closure':
      return incident.closedAt;
  }
}

function targetMs(policy: SlaPolicy, incident: SlaSubject, kind: SlaTimerKind): number | null {
  const targets = policy[incident.priority];
  switch (kind) {
    case 'dispatch':
      return targets.dispatchMs;
    case 'arrival':
      return targets.arrivalMs;
    case 'closure':
      return targets.closureMs;
  }
}

function evaluateTimer(incident: SlaSubject, kind: SlaTimerKind, policy: SlaPolicy, now: number): SlaTimer | null {
  const target = targetMs(policy, incident, kind);
  if (target === null) return null;
  const dueAt = incident.createdAt + target;
  // Closing ends the dispatch and arrival timers too; cancelling or merging ends all three.
  const endedAt = incident.endedAt ?? incident.closedAt;
  const doneAt = stepDoneAt(incident, kind);
  const metAt = doneAt !== null && (endedAt === null || doneAt <= endedAt) ? doneAt : null;
  const status: SlaTimerStatus = metAt !== null ? 'met' : endedAt !== null ? 'stopped' : 'running';
  const stoodStillAt = metAt ?? endedAt ?? now;
  const remainingMs = dueAt - stoodStillAt;
  return { kind, status, dueAt, metAt, breached: remainingMs < 0, remainingMs };
}

/**
 * The dispatch (createdAt → assignedAt), arrival (createdAt → arrivedAt) and closure (createdAt → closedAt)
 * timers of an incident at `now`, against its priority's targets. A step done exactly at `dueAt` is on time.
 * Drill incidents are evaluated like any other.
 */
export function evaluateSla(incident: SlaSubject, policy: SlaPolicy, now: number): SlaEvaluation {
  return {
    dispatch: evaluateTimer(incident, 'dispatch', policy, now),
    arrival: evaluateTimer(incident, 'arrival', policy, now),
    closure: evaluateTimer(incident, 'closure', policy, now),
  };
}

/** The kinds of the timers that are breached at `now`. */
export function breachedTimers(incident: SlaSubject, policy: SlaPolicy, now: number): SlaTimerKind[] {
  const evaluation = evaluateSla(incident, policy, now);
  return SLA_TIMER_KINDS.filter((kind) => evaluation[kind]?.breached === true);
}

/**
 * The timers of an open incident that are breached at `now` but carry no 督办 (supervision) of their kind
 * yet: what a periodic sweeper should raise, so each deadline is escalated once. A step done late while the
 * incident is still open counts (the sweeper may have been down when it fell due); an incident that is closed,
 * cancelled or merged needs no more escalation and gives none.
 */
export function newBreaches(
  incident: SlaSubject & Pick<Incident, 'state' | 'supervisions'>,
  policy: SlaPolicy,
  now: number,
): SlaTimerKind[] {
  if (!isOpenState(incident.state)) return [];
  const raised = new Set(incident.supervisions.map((s) => s.kind));
  return breachedTimers(incident, policy, now).filter((kind) => !raised.has(kind));
}

/**
 * The jurisdiction a 督办 goes to: the center above the incident's county (`parentOf`, e.g. the region's
 * jurisdictions). Null when the incident has no jurisdiction or its jurisdiction has no level above.
 */
export function escalationTarget(
  jurisdiction: string | null,
  parentOf: (adcode: string) => string | null,
): string | null {
  return jurisdiction === null ? null : parentOf(jurisdiction);
}
