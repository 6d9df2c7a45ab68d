import {
  type GroupStats,
  type Incident,
  INCIDENT_TYPES,
  type IncidentStatistics,
  isClosedState,
  isOpenState,
  PRIORITIES,
  RESPONSE_TIME_BUCKETS,
  type ResponseTimeStats,
  type SlaPolicy,
  type StatisticsWindow,
  WINDOW_DAYS,
} from '@beacon/shared';
import { DAY_MS, localHour, localMidnight } from '../sla/beijing-time.ts';
import { breachedTimers, SLA_TIMER_KINDS, type SlaTimerKind } from '../sla/sla.ts';

/** The fields the statistics read. */
export type StatisticsSubject = Pick<
  Incident,
  | 'type'
  | 'priority'
  | 'state'
  | 'jurisdiction'
  | 'drillId'
  | 'createdAt'
  | 'assignedAt'
  | 'arrivedAt'
  | 'closedAt'
  | 'endedAt'
>;

export interface StatisticsOptions {
  now: number;
  window: StatisticsWindow;
  policy: SlaPolicy;
  /** Count the incidents of this drill instead of live ones (a drill's after-action summary). Default null: live. */
  drillId?: string | null;
}

/** The key for incidents without a jurisdiction in `byCounty`. */
export const UNKNOWN_COUNTY = 'unknown';

/** Drills never count; a merged incident lives on in the one it was merged into. */
function isCounted(incident: StatisticsSubject, drillId: string | null = null): boolean {
  return incident.drillId === drillId && incident.state !== 'merged';
}

/** Local midnight starting a window that ends at `now`. */
export function windowStart(window: StatisticsWindow, now: number): number {
  return localMidnight(now) - (WINDOW_DAYS[window] - 1) * DAY_MS;
}

/** The value at rank ⌈p/100 × n⌉ (1-based) of `sortedAsc`; null when it is empty. */
export function nearestRankPercentile(sortedAsc: readonly number[], p: number): number | null {
  if (sortedAsc.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sortedAsc.length));
  return sortedAsc[rank - 1]!;
}

/** `27216` → `27 216`: thousands grouped by a space, as the seed reports write them. */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}

/**
 * `27 216 / 27 291 = 99.7 %`. The rate is rounded to one decimal, except that it never shows 100.0 % while an
 * item is still unclosed (99.96 % shows as 99.9 %).
 */
export function formatClosureRate(closed: number, denominator: number): string {
  const fraction = `${formatCount(closed)} / ${formatCount(denominator)}`;
  if (denominator === 0) return `${fraction} = —`;
  let tenths = Math.round((closed * 1000) / denominator);
  if (tenths === 1000 && closed < denominator) tenths = 999;
  return `${fraction} = ${(tenths / 10).toFixed(1)} %`;
}

function closureRate(closed: number, denominator: number): number | null {
  return denominator === 0 ? null : closed / denominator;
}

/** Durations are clamped at 0 so a clock skew between writers never yields a negative response time. */
function responseTimeStats(durations: number[]): ResponseTimeStats {
  const sorted = durations.map((d) => Math.max(0, d)).sort((a, b) => a - b);
  const count = sorted.length;
  const histogram = RESPONSE_TIME_BUCKETS.map(({ label, toMs }, i) => {
    const fromMs = i === 0 ? 0 : RESPONSE_TIME_BUCKETS[i - 1]!.toMs!;
    const inBucket = sorted.filter((d) => (i === 0 || d > fromMs) && (toMs === null || d <= toMs));
    return { label, fromMs, toMs, count: inBucket.length };
  });
  return {
    count,
    meanMs: count === 0 ? null : Math.round(sorted.reduce((sum, d) => sum + d, 0) / count),
    p50Ms: nearestRankPercentile(sorted, 50),
    p90Ms: nearestRankPercentile(sorted, 90),
    maxMs: count === 0 ? null : sorted[count - 1]!,
    histogram,
  };
}

/** Milliseconds from creation to the step, for the incidents that have it. */
function stepDurations(incidents: readonly StatisticsSubject[], step: 'assignedAt' | 'arrivedAt' | 'closedAt') {
  const durations: number[] = [];
  for (const incident of incidents) {
    const doneAt = incident[step];
    if (doneAt !== null) durations.push(doneAt - incident.createdAt);
  }
  return durations;
}

interface Evaluated {
  incident: StatisticsSubject;
  breached: SlaTimerKind[];
}

function groupStats(items: readonly Evaluated[]): GroupStats {
  let closed = 0;
  let cancelled = 0;
  let open = 0;
  let overdue = 0;
  for (const { incident, breached } of items) {
    if (isClosedState(incident.state)) closed += 1;
    else if (incident.state === 'cancelled') cancelled += 1;
    else if (isOpenState(incident.state)) {
      open += 1;
      if (breached.length > 0) overdue += 1;
    }
  }
  const total = closed + cancelled + open;
  return { total, closed, cancelled, open, closureRate: closureRate(closed, total - cancelled), overdue };
}

function groupBy<K extends string>(
  items: readonly Evaluated[],
  keys: readonly K[],
  keyOf: (incident: StatisticsSubject) => K,
): Record<K, GroupStats> {
  const groups = new Map<K, Evaluated[]>(keys.map((k) => [k, []]));
  for (const item of items) {
    const key = keyOf(item.incident);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return Object.fromEntries([...groups].map(([key, group]) => [key, groupStats(group)])) as Record<K, GroupStats>;
}

function countyOf(incident: StatisticsSubject): string {
  return incident.jurisdiction ?? UNKNOWN_COUNTY;
}

/** Adcodes ascending, `unknown` last. */
function countyKeys(items: readonly Evaluated[]): string[] {
  const keys = [...new Set(items.map((item) => countyOf(item.incident)))];
  return keys.sort((a, b) => Number(a === UNKNOWN_COUNTY) - Number(b === UNKNOWN_COUNTY) || a.localeCompare(b));
}

/** Incidents received in each local hour of today, and per hour on average over the 7 local days before. */
function hourlyCounts(counted: readonly StatisticsSubject[], now: number): IncidentStatistics['hourly'] {
  const todayStart = localMidnight(now);
  const previousStart = todayStart - 7 * DAY_MS;
  const today = Array.from({ length: 24 }, () => 0);
  const previous = Array.from({ length: 24 }, () => 0);
  for (const { createdAt } of counted) {
    if (createdAt >= todayStart && createdAt <= now) today[localHour(createdAt)]! += 1;
    else if (createdAt >= previousStart && createdAt < todayStart) previous[localHour(createdAt)]! += 1;
  }
  return { today, previous7DayAverage: previous.map((n) => n / 7) };
}

/**
 * The statistics of the incidents created in `window` up to `now` (docs/STATISTICS.md): drills never count,
 * merged incidents count in their target only, cancelled ones count in `total` and `cancelled` but not in the
 * closure rate. Response times, SLA breaches and the breakdowns cover the same incidents; `hourly` compares
 * today with the 7 days before, whatever the window.
 */
export function computeStatistics(
  incidents: readonly StatisticsSubject[],
  options: StatisticsOptions,
): IncidentStatistics {
  const { now, window, policy } = options;
  const from = windowStart(window, now);
  const counted = incidents.filter((i) => isCounted(i, options.drillId ?? null));
  const inWindow = counted.filter((i) => i.createdAt >= from && i.createdAt <= now);
  const evaluated: Evaluated[] = inWindow.map((incident) => ({
    incident,
    breached: breachedTimers(incident, policy, now),
  }));
  const overall = groupStats(evaluated);
  const slaBreaches = Object.fromEntries(
    SLA_TIMER_KINDS.map((kind) => [kind, evaluated.filter((e) => e.breached.includes(kind)).length]),
  ) as Record<SlaTimerKind, number>;
  return {
    window,
    from,
    to: now,
    ...overall,
    closureRateText: formatClosureRate(overall.closed, overall.total - overall.cancelled),
    responseTimes: {
      dispatch: responseTimeStats(stepDurations(inWindow, 'assignedAt')),
      arrival: responseTimeStats(stepDurations(inWindow, 'arrivedAt')),
      closure: responseTimeStats(stepDurations(inWindow, 'closedAt')),
    },
    slaBreaches,
    byType: groupBy(evaluated, INCIDENT_TYPES, (i) => i.type),
    byPriority: groupBy(evaluated, PRIORITIES, (i) => i.priority),
    byCounty: groupBy(evaluated, countyKeys(evaluated), countyOf),
    hourly: hourlyCounts(counted, now),
  };
}
