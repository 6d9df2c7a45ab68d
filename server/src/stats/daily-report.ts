import {
  BeaconError,
  type Clock,
  type IncidentStatistics,
  type OrderStats,
  type SessionInfo,
  type SlaPolicy,
} from '@beacon/shared';
import type { IncidentStore } from '../incidents/incident-store.ts';
import type { Areas } from '../auth/areas.ts';
import type { Jurisdictions } from '../region/jurisdictions.ts';
import type { Orders } from '../orders/order-service.ts';
import type { AlarmStore } from '../alarms/alarm-store.ts';
import { DAY_MS, localMidnight } from '../sla/beijing-time.ts';
import { dailyOverdue } from '../sla/daily-cycle.ts';
import { computeStatistics } from './statistics.ts';

/** One printable page per jurisdiction and day: what the seed centers report every evening. */
export interface DailyReport {
  jurisdiction: { adcode: string; name_zh: string; name_en: string; generated: boolean };
  /** `2026-11-25` (Beijing). */
  date: string;
  generatedAt: number;
  incidents: IncidentStatistics;
  overdue: { id: string; type: string; state: string; missed: string[]; overdueMs: number }[];
  orders: { self: OrderStats; children: OrderStats[] };
  weatherWarnings: { stationId: string; hazard: string; level: string | null; firstSeenAt: number; count: number }[];
}

/**
 * The daily report of a jurisdiction (and everything below it): incidents received that day with closure rate
 * and response times, items overdue against the daily cycle, work orders per child center, and the weather
 * warnings raised. `date` defaults to today; only the caller's own jurisdiction and below may be asked for.
 */
export function createDailyReports(deps: {
  clock: Clock;
  incidents: IncidentStore;
  areas: Areas;
  jurisdictions: Jurisdictions;
  orders: Orders;
  alarms: AlarmStore;
  policy: SlaPolicy;
  drillId: string | null;
}) {
  const { clock, incidents, areas, jurisdictions, orders, alarms, policy, drillId } = deps;
  return {
    async report(session: SessionInfo, adcode: string | undefined, date: string | undefined): Promise<DailyReport> {
      const code = adcode ?? session.jurisdiction;
      const j = jurisdictions.get(code);
      if (!j) throw new BeaconError('NOT_FOUND', `no jurisdiction ${code}`);
      if (!areas.contains(session.jurisdiction, code)) {
        throw new BeaconError('FORBIDDEN', `${code} is outside your jurisdiction (${session.jurisdiction})`);
      }
      const now = clock.now();
      let dayStart = localMidnight(now);
      if (date) {
        if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new BeaconError('INVALID', 'date must be YYYY-MM-DD');
        dayStart = Date.parse(`${date}T00:00:00+08:00`);
        if (!Number.isFinite(dayStart) || dayStart > now) throw new BeaconError('INVALID', `no report for ${date}`);
      }
      const end = Math.min(now, dayStart + DAY_MS - 1);
      const inArea = <T extends { jurisdiction: string | null }>(list: T[]) =>
        list.filter((i) => areas.contains(code, i.jurisdiction));
      const created = inArea(await incidents.incidentsCreatedBetween(dayStart - 7 * DAY_MS, end));
      const stats = computeStatistics(created, { now: end, window: 'today', policy, drillId });
      const open = inArea(await incidents.listOpen()).filter((i) => i.drillId === null);
      const overdue = dailyOverdue(open, end).map((o) => ({
        id: o.incident.id,
        type: o.incident.type,
        state: o.incident.state,
        missed: o.missed.map((m) => m.kind),
        overdueMs: o.overdueMs,
      }));
      const weather = (await alarms.listAlarms(dayStart))
        .filter((a) => a.type !== 'pedestrian' && a.firstSeenAt <= end && areas.containsPoint(code, a.lon, a.lat))
        .map((a) => ({
          stationId: a.source.replace(/^station:/, ''),
          hazard: a.type,
          level: a.level,
          firstSeenAt: a.firstSeenAt,
          count: a.count,
        }));
      return {
        jurisdiction: { adcode: j.adcode, name_zh: j.name_zh, name_en: j.name_en, generated: j.generated },
        date: new Date(dayStart + 8 * 3600_000).toISOString().slice(0, 10),
        generatedAt: now,
        incidents: stats,
        overdue,
        orders: await orders.stats(code, session),
        weatherWarnings: weather,
      };
    },
  };
}
export type DailyReports = ReturnType<typeof createDailyReports>;
