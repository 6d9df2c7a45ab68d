import { DAY_MS } from '../sla/beijing-time.ts';
import { dailyOverdue, type DailyOverdueItem } from '../sla/daily-cycle.ts';
import {
  type Clock,
  type Incident,
  type IncidentStatistics,
  type SlaPolicy,
  type StatisticsWindow,
} from '@beacon/shared';
import type { IncidentStore } from '../incidents/incident-store.ts';
import { computeStatistics, windowStart } from './statistics.ts';

/** A report is recomputed at most this often per window: walls and consoles poll it. */
const CACHE_MS = 10_000;

/**
 * Statistics and overdue lists from the incidents in Redis. Reads every incident created in the window
 * (plus the 7 days before today, for the hourly comparison); drill incidents are stored beside live ones
 * and left out by `computeStatistics`.
 */
export function createIncidentStats(deps: {
  incidents: IncidentStore;
  clock: Clock;
  policy: SlaPolicy;
  /** A drill server reports its own drill's incidents. */
  drillId?: string | null;
}) {
  const { incidents, clock, policy } = deps;
  const drillId = deps.drillId ?? null;
  const cache = new Map<StatisticsWindow, { at: number; report: IncidentStatistics }>();

  return {
    async statistics(window: StatisticsWindow): Promise<IncidentStatistics> {
      const now = clock.now();
      const cached = cache.get(window);
      if (cached && now - cached.at >= 0 && now - cached.at < CACHE_MS) return cached.report;
      const from = Math.min(windowStart(window, now), windowStart('7d', now) - DAY_MS);
      const report = computeStatistics(await incidents.incidentsCreatedBetween(from, now), {
        now,
        window,
        policy,
        drillId,
      });
      cache.set(window, { at: now, report });
      return report;
    },

    /** Open live incidents past a 09:00 / 21:00 daily-cycle deadline, most overdue first. */
    async overdue(): Promise<DailyOverdueItem<Incident>[]> {
      const open = await incidents.listOpen();
      // dailyOverdue leaves drill items out; a drill server lists its own as if they were live.
      return dailyOverdue(
        open.filter((i) => i.drillId === drillId).map((i) => ({ ...i, drillId: null })),
        clock.now(),
      );
    },
  };
}
export type IncidentStats = ReturnType<typeof createIncidentStats>;
