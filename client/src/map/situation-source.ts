import { inject, provide, type InjectionKey } from 'vue';
import type { ActiveWeatherAlert, Incident, Unit } from '@beacon/shared';
import { useSituationStore } from '../stores/situation.ts';

/**
 * What the situation layers (incidents, units, weather warnings) read. The live situation store satisfies it;
 * a screen that shows another situation (the time machine's past one) provides its own with
 * `provideMapSituation`, and the live store stays untouched.
 */
export interface MapSituation {
  readonly incidents: Record<string, Incident>;
  readonly incidentList: Incident[];
  readonly units: Record<string, Unit>;
  /** Bumped when positions change in place (the live store); a replaced `units` also redraws. */
  readonly positionsVersion: number;
  readonly weatherAlerts: Record<string, ActiveWeatherAlert>;
  readonly weatherAlertList: ActiveWeatherAlert[];
  /** The situation's "now" minus the local clock: pulses and "signal lost" are judged at that time. */
  readonly clockSkewMs: number;
}

const MAP_SITUATION: InjectionKey<MapSituation> = Symbol('beacon-map-situation');

/** Draw this situation instead of the live store in every map below the calling component. */
export function provideMapSituation(situation: MapSituation): void {
  provide(MAP_SITUATION, situation);
}

/** The situation the layers draw: the one provided above them, else the live store. */
export function useMapSituation(): MapSituation {
  return inject(MAP_SITUATION, null) ?? useSituationStore();
}
