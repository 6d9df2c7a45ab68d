import {
  DISPATCHABLE_STATUSES,
  PRIORITIES,
  UNIT_STATUSES,
  isClosedState,
  isOpenState,
  type Incident,
  type Priority,
  type Unit,
  type UnitStatus,
} from '@beacon/shared';

const CHINA_OFFSET_MS = 8 * 3600_000;

/** Epoch ms of the start of the local (UTC+8) day containing `now`. */
export function startOfLocalDay(now: number): number {
  return Math.floor((now + CHINA_OFFSET_MS) / 86_400_000) * 86_400_000 - CHINA_OFFSET_MS;
}

export interface WallKpis {
  openByPriority: Record<Priority, number>;
  openTotal: number;
  unitsByStatus: Record<UnitStatus, number>;
  /** Units a dispatcher can send now: available, or returning from a cleared job. */
  unitsFree: number;
  /** Units given a job and not yet on scene: dispatched, acknowledged or en route. */
  unitsDispatched: number;
  createdToday: number;
  closedToday: number;
  /**
   * Closed ÷ (created − cancelled) among today's incidents, or null when that is 0 (the statistics' rule:
   * a merged incident counts in the one it was merged into, a cancelled one needed no closing).
   */
  closureRateToday: number | null;
}

/** The wall's headline numbers, computed from plain data (live incidents only; drills never count). */
export function computeKpis(incidents: Incident[], units: Unit[], now: number): WallKpis {
  const dayStart = startOfLocalDay(now);
  const openByPriority = Object.fromEntries(PRIORITIES.map((p) => [p, 0])) as Record<Priority, number>;
  const unitsByStatus = Object.fromEntries(UNIT_STATUSES.map((s) => [s, 0])) as Record<UnitStatus, number>;
  let createdToday = 0;
  let cancelledOfToday = 0;
  let closedOfToday = 0;
  let closedToday = 0;
  for (const i of incidents) {
    if (i.drillId !== null || i.state === 'merged') continue;
    if (isOpenState(i.state)) openByPriority[i.priority] += 1;
    if (i.createdAt >= dayStart) {
      createdToday += 1;
      if (isClosedState(i.state)) closedOfToday += 1;
      if (i.state === 'cancelled') cancelledOfToday += 1;
    }
    if (isClosedState(i.state) && i.closedAt !== null && i.closedAt >= dayStart) closedToday += 1;
  }
  const closable = createdToday - cancelledOfToday;
  for (const u of units) unitsByStatus[u.status] += 1;
  return {
    openByPriority,
    openTotal: PRIORITIES.reduce((sum, p) => sum + openByPriority[p], 0),
    unitsByStatus,
    unitsFree: DISPATCHABLE_STATUSES.reduce((sum, s) => sum + unitsByStatus[s], 0),
    unitsDispatched: unitsByStatus.dispatched + unitsByStatus.acknowledged + unitsByStatus.en_route,
    createdToday,
    closedToday,
    closureRateToday: closable === 0 ? null : closedOfToday / closable,
  };
}
