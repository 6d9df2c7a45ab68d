import type { ActiveWeatherAlert, Alarm, Clock, Snapshot } from '@beacon/shared';
import type { IncidentStore } from '../incidents/incident-store.ts';
import type { UnitStore } from '../units/unit-store.ts';
import type { Areas } from '../auth/areas.ts';

/** How far back closed incidents stay in a snapshot, so the wall can show today's closures. */
const CLOSED_LOOKBACK_MS = 24 * 3600_000;

/** Assemble the current situation from Redis: what every screen loads before applying deltas. */
export function createSituation({
  units,
  incidents,
  clock,
  demoNotice,
  weatherAlerts,
  openAlarms,
  areas,
  slaPolicy,
  drillId = null,
}: {
  units: UnitStore;
  incidents: IncidentStore;
  /** The stations with a warning up (from `alerts:active`). */
  weatherAlerts: () => Promise<ActiveWeatherAlert[]>;
  /** The open and acknowledged alarms. */
  openAlarms: () => Promise<Alarm[]>;
  clock: Clock;
  demoNotice: string | null;
  /** Which jurisdictions a screen may see. */
  areas: Areas;
  /** The SLA targets screens count down against. */
  slaPolicy: Snapshot['slaPolicy'];
  /** The drill this server runs, or null for the live server: screens see only incidents of their own. */
  drillId?: string | null;
}) {
  return {
    /** The situation as a screen of `area` (an adcode) sees it: its jurisdiction and everything below. */
    async snapshot(area: string): Promise<Snapshot> {
      const inArea = (lon: number | null, lat: number | null) => areas.containsPoint(area, lon, lat);
      const now = clock.now();
      const [unitList, incidentList, alerts, alarms] = await Promise.all([
        units.listUnits(),
        incidents.listIncidents(now - CLOSED_LOOKBACK_MS),
        weatherAlerts(),
        openAlarms(),
      ]);
      // A drill's incidents never reach a live screen, nor live ones a drill's.
      const own = incidentList.filter((i) => i.drillId === drillId);
      return {
        serverTime: now,
        demoNotice,
        units: unitList.filter((u) => inArea(u.lon, u.lat)),
        drillId,
        slaPolicy,
        incidents: own.filter((i) => areas.contains(area, i.jurisdiction)),
        weatherAlerts: alerts.filter((a) => inArea(a.lon, a.lat)),
        alarms: alarms
          .filter((a) => a.drillId === drillId && inArea(a.lon, a.lat))
          .sort((a, b) => b.lastSeenAt - a.lastSeenAt),
      };
    },
  };
}
export type Situation = ReturnType<typeof createSituation>;
