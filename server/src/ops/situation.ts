import type { ActiveWeatherAlert, Alarm, Clock, Snapshot } from '@beacon/shared';
import type { IncidentStore } from '../incidents/incident-store.ts';
import type { UnitStore } from '../units/unit-store.ts';

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
  /** The drill this server runs, or null for the live server: screens see only incidents of their own. */
  drillId?: string | null;
}) {
  return {
    async snapshot(): Promise<Snapshot> {
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
        units: unitList,
        drillId,
        incidents: own,
        weatherAlerts: alerts,
        alarms: alarms.filter((a) => a.drillId === drillId).sort((a, b) => b.lastSeenAt - a.lastSeenAt),
      };
    },
  };
}
export type Situation = ReturnType<typeof createSituation>;
