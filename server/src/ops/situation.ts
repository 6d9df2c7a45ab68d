import type { Clock, Snapshot } from '@beacon/shared';
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
}: {
  units: UnitStore;
  incidents: IncidentStore;
  clock: Clock;
  demoNotice: string | null;
}) {
  return {
    async snapshot(): Promise<Snapshot> {
      const now = clock.now();
      const [unitList, incidentList] = await Promise.all([
        units.listUnits(),
        incidents.listIncidents(now - CLOSED_LOOKBACK_MS),
      ]);
      return { serverTime: now, demoNotice, units: unitList, incidents: incidentList };
    },
  };
}
export type Situation = ReturnType<typeof createSituation>;
