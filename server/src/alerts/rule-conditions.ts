import type {
  ClearMargin,
  Comparison,
  HazardRule,
  ObservedMetric,
  RoadSurfaceState,
  RuleCondition,
} from '@beacon/shared';

/**
 * A rule condition judged against one observation, in three-valued logic: `true`, `false`, or `null` when
 * the observation lacks a field the answer depends on. A reading without visibility says nothing about
 * fog: it neither raises nor clears it.
 */

/** What the rules read at one reading: its own fields plus the derived rain (see `rainfall-window.ts`). */
export type Observation = { ts: number; roadSurfaceState?: RoadSurfaceState | undefined } & {
  [metric in ObservedMetric]?: number | undefined;
};

export type Truth = boolean | null;

function compare(value: number, op: Comparison, threshold: number): boolean {
  switch (op) {
    case 'lt':
      return value < threshold;
    case 'le':
      return value <= threshold;
    case 'gt':
      return value > threshold;
    case 'ge':
      return value >= threshold;
  }
}

/** How far the margin moves a threshold: the larger of the relative and the absolute part. */
export function marginOf(threshold: number, margin: ClearMargin | undefined): number {
  if (!margin) return 0;
  return Math.max(Math.abs(threshold) * margin.relative, margin.absolute);
}

/**
 * The threshold a condition clears at: moved by the margin away from the alert side (up for `lt`/`le`,
 * down for `gt`/`ge`). Rounded to a millionth so 10.8 − 1.5 is 9.3.
 */
export function clearingThreshold(op: Comparison, threshold: number, margin: ClearMargin | undefined): number {
  const delta = marginOf(threshold, margin);
  const moved = op === 'lt' || op === 'le' ? threshold + delta : threshold - delta;
  return Math.round(moved * 1e6) / 1e6;
}

/**
 * Judge a condition. With `margins`, thresholds are moved by the clear margin first: the result is then
 * whether the alert still *holds* inside its hysteresis band.
 */
export function evaluateCondition(
  condition: RuleCondition,
  observation: Observation,
  margins?: HazardRule['clearMargins'],
): Truth {
  if ('metric' in condition) {
    const value = observation[condition.metric];
    if (value === undefined) return null;
    const threshold = margins
      ? clearingThreshold(condition.op, condition.value, margins[condition.metric])
      : condition.value;
    return compare(value, condition.op, threshold);
  }
  if ('surfaceIn' in condition) {
    const state = observation.roadSurfaceState;
    return state === undefined ? null : condition.surfaceIn.includes(state);
  }
  if ('all' in condition) return allOf(condition.all.map((c) => evaluateCondition(c, observation, margins)));
  return anyOf(condition.any.map((c) => evaluateCondition(c, observation, margins)));
}

/** Kleene AND: false if any is false, unknown if any is unknown, else true. */
export function allOf(values: Truth[]): Truth {
  if (values.includes(false)) return false;
  return values.includes(null) ? null : true;
}

/** Kleene OR: true if any is true, unknown if any is unknown, else false. */
export function anyOf(values: Truth[]): Truth {
  if (values.includes(true)) return true;
  return values.includes(null) ? null : false;
}

/** Kleene NOT. */
export function not(value: Truth): Truth {
  return value === null ? null : !value;
}

const OP_TEXT: Record<Comparison, string> = { lt: '<', le: '≤', gt: '>', ge: '≥' };
const NEGATED: Record<Comparison, Comparison> = { lt: 'ge', le: 'gt', gt: 'le', ge: 'lt' };

/** A condition as text, e.g. `visibilityM < 500`; with `margins`, the thresholds moved by the margin. */
export function describeCondition(condition: RuleCondition, margins?: HazardRule['clearMargins']): string {
  if ('metric' in condition) {
    const threshold = margins
      ? clearingThreshold(condition.op, condition.value, margins[condition.metric])
      : condition.value;
    return `${condition.metric} ${OP_TEXT[condition.op]} ${threshold}`;
  }
  if ('surfaceIn' in condition) return `roadSurfaceState ∈ {${condition.surfaceIn.join(', ')}}`;
  const [parts, joiner] = 'all' in condition ? [condition.all, ' and '] : [condition.any, ' or '];
  const inner = parts.map((c) => {
    const text = describeCondition(c, margins);
    return 'metric' in c || 'surfaceIn' in c ? text : `(${text})`;
  });
  return inner.join(joiner);
}

/** When a stage's condition has cleared with its margin, as text: `visibilityM ≥ 600`, or `not (…)`. */
export function describeClearing(condition: RuleCondition, margins: HazardRule['clearMargins']): string {
  if ('metric' in condition) {
    const threshold = clearingThreshold(condition.op, condition.value, margins[condition.metric]);
    return `${condition.metric} ${OP_TEXT[NEGATED[condition.op]]} ${threshold}`;
  }
  return `not (${describeCondition(condition, margins)})`;
}
