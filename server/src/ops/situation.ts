import type { ActiveWeatherAlert, Clock, Snapshot } from '@beacon/shared';
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
}: {
  units: UnitStore;
  incidents: IncidentStore;
  /** The stations with a warning up (from `alerts:active`). */
  weatherAlerts: () => Promise<ActiveWeatherAlert[]>;
  clock: Clock;
  demoNotice: string | null;
}) {
  return {
    async snapshot(): Promise<Snapshot> {
      const now = clock.now();
      const [unitList, incidentList, alerts] = await Promise.all([
        units.listUnits(),
        incidents.listIncidents(now - CLOSED_LOOKBACK_MS),
        weatherAlerts(),
      ]);
      return { serverTime: now, demoNotice, units: unitList, incidents: incidentList, weatherAlerts: alerts };
    },
  };
}
export type Situation = ReturnType<typeof createSituation>;
