import { isOpenState, type Incident, type Supervision } from '@beacon/shared';
import { HOUR_MS, DAY_MS, localMidnight } from './beijing-time.ts';

/** Local hour of the morning list (早9时清单交办): the cut-off, and the deadline for assigning. */
export const DAILY_ASSIGN_HOUR = 9;
/** Local hour of the evening list (晚9时清单办结): the deadline for closing. */
export const DAILY_CLOSE_HOUR = 21;

export const DAILY_DEADLINE_KINDS = ['daily_assign', 'daily_close'] as const satisfies readonly Supervision['kind'][];
export type DailyDeadlineKind = (typeof DAILY_DEADLINE_KINDS)[number];

/** The fields the daily cycle reads. */
export type DailySubject = Pick<Incident, 'state' | 'drillId' | 'createdAt' | 'assignedAt' | 'closedAt'>;

export interface DailyDeadlines {
  /** 09:00 Beijing time of the item's cycle day: assigned (dispatched) by then. */
  assignBy: number;
  /** 21:00 Beijing time of the item's cycle day: closed by then. */
  closeBy: number;
}

/** One daily deadline an item is past. */
export interface DailyMiss {
  kind: DailyDeadlineKind;
  dueAt: number;
  overdueMs: number;
}

export interface DailyOverdueItem<T extends DailySubject = DailySubject> {
  incident: T;
  /** The deadlines missed, assign before close. */
  missed: DailyMiss[];
  /** The largest `overdueMs` of `missed`. */
  overdueMs: number;
}

/**
 * The seed centers' daily cycle, in Beijing time: an item received before 09:00 belongs to that day's
 * cycle (assigned by 09:00, closed by 21:00 the same day); one received at or after 09:00 belongs to the
 * next day's cycle (assigned by 09:00 and closed by 21:00 the next day).
 */
export function dailyDeadlines(createdAt: number): DailyDeadlines {
  const midnight = localMidnight(createdAt);
  const cutOff = midnight + DAILY_ASSIGN_HOUR * HOUR_MS;
  const cycleDay = createdAt < cutOff ? midnight : midnight + DAY_MS;
  return { assignBy: cycleDay + DAILY_ASSIGN_HOUR * HOUR_MS, closeBy: cycleDay + DAILY_CLOSE_HOUR * HOUR_MS };
}

/** A deadline missed when the step was done after it, or is still not done at `now` past it. */
function missed(kind: DailyDeadlineKind, dueAt: number, doneAt: number | null, now: number): DailyMiss | null {
  const overdueMs = (doneAt ?? now) - dueAt;
  return overdueMs > 0 ? { kind, dueAt, overdueMs } : null;
}

/** Every daily deadline the incident has missed at `now`, including steps done late. */
function missedDailyDeadlines(incident: DailySubject, now: number): DailyMiss[] {
  const { assignBy, closeBy } = dailyDeadlines(incident.createdAt);
  return [
    missed('daily_assign', assignBy, incident.assignedAt, now),
    missed('daily_close', closeBy, incident.closedAt, now),
  ].filter((m): m is DailyMiss => m !== null);
}

/**
 * The open, non-drill incidents with a daily step still not done past its deadline at `now` (not yet assigned
 * after `assignBy`, not yet closed after `closeBy`), with each deadline missed and by how much; most overdue
 * first, then oldest first. An item assigned late no longer owes its assignment and lists only when it is
 * also past `closeBy`.
 */
export function dailyOverdue<T extends DailySubject>(incidents: readonly T[], now: number): DailyOverdueItem<T>[] {
  const items: DailyOverdueItem<T>[] = [];
  for (const incident of incidents) {
    if (incident.drillId !== null || !isOpenState(incident.state)) continue;
    const pending = missedDailyDeadlines(incident, now).filter((m) =>
      m.kind === 'daily_assign' ? incident.assignedAt === null : incident.closedAt === null,
    );
    if (pending.length === 0) continue;
    items.push({ incident, missed: pending, overdueMs: Math.max(...pending.map((m) => m.overdueMs)) });
  }
  return items.sort((a, b) => b.overdueMs - a.overdueMs || a.incident.createdAt - b.incident.createdAt);
}

/**
 * The daily deadlines an open incident has missed at `now` (a step done late counts) that carry no 督办 of
 * their kind yet, so a sweeper raises each once. Like `newBreaches` for the SLA timers, drills are
 * treated like any other incident, and closed, cancelled or merged incidents give none.
 */
export function newDailyBreaches(
  incident: DailySubject & Pick<Incident, 'supervisions'>,
  now: number,
): DailyDeadlineKind[] {
  if (!isOpenState(incident.state)) return [];
  const raised = new Set(incident.supervisions.map((s) => s.kind));
  return missedDailyDeadlines(incident, now)
    .map((m) => m.kind)
    .filter((kind) => !raised.has(kind));
}
