import { z } from 'zod';

/**
 * The incident types a center handles. Rules open `pedestrian` (cameras) and `severe_weather` (stations);
 * dispatchers open the others from a phone call, a patrol's report or a higher center's work order.
 */
export const INCIDENT_TYPES = [
  'pedestrian',
  'severe_weather',
  'traffic_accident',
  'illegal_operation',
  'road_hazard',
  'work_order',
] as const;
export const IncidentType = z.enum(INCIDENT_TYPES);
export type IncidentType = z.output<typeof IncidentType>;

/** P1 is the most urgent. */
export const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
export const Priority = z.enum(PRIORITIES);
export type Priority = z.output<typeof Priority>;

/**
 * The priority an incident of each type starts with. A pedestrian on the expressway is P2 and is raised to
 * P1 inside a red-fog section (drivers cannot see them); a general work order is P4.
 */
export const DEFAULT_PRIORITY: Record<IncidentType, Priority> = {
  pedestrian: 'P2',
  severe_weather: 'P2',
  traffic_accident: 'P2',
  illegal_operation: 'P3',
  road_hazard: 'P3',
  work_order: 'P4',
};

/** One step more urgent (P1 stays P1). */
export function raisePriority(priority: Priority): Priority {
  const i = PRIORITIES.indexOf(priority);
  return PRIORITIES[Math.max(0, i - 1)]!;
}

/**
 * An incident's life, in the order the seed centers run it:
 * 受理 received → 研判 assessed → 派单 dispatched → 出警 en route → 到场 on scene → 处置 handling →
 * 办结 closed → 回访 feedback; or it ends early as cancelled (撤销) or merged (并案) into another.
 * A crew's acknowledgement does not change the incident's state: it stamps `acknowledgedAt`.
 */
export const INCIDENT_STATES = [
  'received',
  'assessed',
  'dispatched',
  'en_route',
  'on_scene',
  'handling',
  'closed',
  'feedback',
  'cancelled',
  'merged',
] as const;
export const IncidentState = z.enum(INCIDENT_STATES);
export type IncidentState = z.output<typeof IncidentState>;

/** The main line, in order; `cancelled` and `merged` are side exits. */
export const LIFECYCLE_LINE = [
  'received',
  'assessed',
  'dispatched',
  'en_route',
  'on_scene',
  'handling',
  'closed',
  'feedback',
] as const satisfies readonly IncidentState[];

/** States after which nothing more can happen to an incident. */
export const TERMINAL_STATES = ['feedback', 'cancelled', 'merged'] as const satisfies readonly IncidentState[];

/** States of an incident that still needs work: on the map, in the queue, under SLA timers. */
export const OPEN_STATES = [
  'received',
  'assessed',
  'dispatched',
  'en_route',
  'on_scene',
  'handling',
] as const satisfies readonly IncidentState[];

/** States in which a unit may be sent to the incident. */
export const ASSIGNABLE_STATES = ['received', 'assessed'] as const satisfies readonly IncidentState[];

/** States in which a unit holds the incident. */
export const STAFFED_STATES = [
  'dispatched',
  'en_route',
  'on_scene',
  'handling',
] as const satisfies readonly IncidentState[];

export function isOpenState(state: IncidentState): boolean {
  return (OPEN_STATES as readonly IncidentState[]).includes(state);
}

export function isTerminalState(state: IncidentState): boolean {
  return (TERMINAL_STATES as readonly IncidentState[]).includes(state);
}

/** Whether an incident in this state has been dealt with (办结), for closure rates: closed, or closed and visited. */
export function isClosedState(state: IncidentState): boolean {
  return state === 'closed' || state === 'feedback';
}

export type TransitionVerdict =
  | { ok: true; skipped: IncidentState[] }
  | { ok: false; code: 'INVALID_TRANSITION' | 'REASON_REQUIRED'; message: string };

/**
 * Whether an incident may move from `from` to `to`, and under what condition:
 * - the next step on the main line is always allowed;
 * - a forward skip (e.g. a crew that reports cleared straight from on scene) needs a reason, and the steps
 *   skipped are returned so they can be recorded;
 * - back from a staffed state to `assessed` (the unit is taken off the job to reassign) needs a reason;
 * - 处置 handling only follows 到场 on scene (someone must be there to handle it);
 * - `cancelled` from any open state needs a reason; `merged` from any open state (the merge names its target);
 * - nothing leaves a terminal state, and `closed` only goes on to `feedback`.
 */
export function checkTransition(from: IncidentState, to: IncidentState, reason?: string | null): TransitionVerdict {
  const hasReason = typeof reason === 'string' && reason.trim().length > 0;
  const refuse = (message: string): TransitionVerdict => ({ ok: false, code: 'INVALID_TRANSITION', message });
  const needReason = (message: string): TransitionVerdict => ({ ok: false, code: 'REASON_REQUIRED', message });
  if (from === to) return refuse(`incident is already ${from}`);
  if (isTerminalState(from)) return refuse(`incident is ${from}; nothing can follow`);
  if (to === 'cancelled') {
    if (from === 'closed') return refuse('a closed incident cannot be cancelled');
    return hasReason ? { ok: true, skipped: [] } : needReason('cancelling an incident needs a reason');
  }
  if (to === 'merged') {
    if (from === 'closed') return refuse('a closed incident cannot be merged');
    return { ok: true, skipped: [] };
  }
  if (to === 'handling' && from !== 'on_scene') return refuse('handling follows on scene');
  const line = LIFECYCLE_LINE as readonly IncidentState[];
  const i = line.indexOf(from);
  const j = line.indexOf(to);
  if (j === i + 1) return { ok: true, skipped: [] };
  if (j > i + 1) {
    if (from === 'closed' || to === 'feedback') return refuse(`${to} can only follow closed`);
    if (!hasReason)
      return needReason(`moving from ${from} to ${to} skips ${line.slice(i + 1, j).join(', ')}; give a reason`);
    return { ok: true, skipped: line.slice(i + 1, j) as IncidentState[] };
  }
  if (to === 'assessed' && (STAFFED_STATES as readonly IncidentState[]).includes(from)) {
    return hasReason ? { ok: true, skipped: [] } : needReason('taking the unit off the job needs a reason');
  }
  return refuse(`an incident cannot go back from ${from} to ${to}`);
}

/** The actor of an action: `user:<name>`, `console` (before logins), `device:<id>` (a patrol terminal), `rule:<name>`. */
export const Actor = z.string().min(1).max(128);

/** One line of an incident's timeline: a transition, a note, an attachment, a link, a merge, a 督办 flag. */
export const TimelineEntry = z.object({
  at: z.number(),
  actor: Actor,
  kind: z.enum([
    'created',
    'transition',
    'note',
    'attachment',
    'link',
    'merge',
    'priority',
    'supervision',
    'assignment',
    'detection',
  ]),
  from: IncidentState.nullable().default(null),
  to: IncidentState.nullable().default(null),
  text: z.string().nullable().default(null),
  url: z.string().nullable().default(null),
  /** Another incident this entry refers to (link, merge). */
  ref: z.string().nullable().default(null),
  unitId: z.string().nullable().default(null),
});
export type TimelineEntry = z.output<typeof TimelineEntry>;
