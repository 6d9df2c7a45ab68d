import fs from 'node:fs';
import path from 'node:path';
import {
  PointCollection,
  RegionManifest,
  type ActiveWeatherAlert,
  type ActiveWeatherStage,
  type Clock,
  type PrecipitationInterpretation,
  type StationAlertState,
  type WeatherObserved,
  type WeatherRuleTable,
} from '@beacon/shared';
import type { Logger } from '../log.ts';
import type { Keys } from '../redis/keys.ts';
import type { BeaconRedis } from '../redis/scripts.ts';
import type { Fanout } from '../realtime/fanout.ts';
import type { RoadNetwork, RoadRestriction } from '../roads/road-network.ts';
import { controlLevelForExtent, stationMeasure } from './control-measure.ts';
import { evaluateStation, parseStationState } from './station-state.ts';

/**
 * The road-weather rules wired into the pipeline: each reading is folded into its station's state in
 * Redis (compare-and-set, so several workers can share the stream), each change is published as
 * `alert:changed`, the stations with a warning up are kept in `alerts:active`, and the road network's
 * drive times follow the active measures.
 */

/** Where a weather station is: from the region pack's sites file. */
export interface WeatherStationSite {
  stationId: string;
  lon: number;
  lat: number;
  /** The expressway the station stands on and its stake there, when the pack says. */
  ref: string | null;
  stakeM: number | null;
}

/** The weather stations of a region pack, by id; empty when the pack has no sites file. */
export function loadWeatherStations(regionDir: string): Map<string, WeatherStationSite> {
  const read = (file: string): unknown => JSON.parse(fs.readFileSync(path.join(regionDir, file), 'utf8'));
  const manifest = RegionManifest.parse(read('manifest.json'));
  const stations = new Map<string, WeatherStationSite>();
  if (!manifest.files.sites) return stations;
  const sites = PointCollection.safeParse(read(manifest.files.sites.file));
  if (!sites.success) throw new Error(`region pack ${regionDir}: ${manifest.files.sites.file} is not valid`);
  for (const feature of sites.data.features) {
    const p = feature.properties;
    if (p.kind !== 'weather_station' || !p.id) continue;
    const [lon, lat] = feature.geometry.coordinates;
    stations.set(p.id, { stationId: p.id, lon: lon!, lat: lat!, ref: p.ref ?? null, stakeM: p.stakeM ?? null });
  }
  return stations;
}

/** The section a station's warning controls: `segmentKm` either side of its stake on its expressway. */
export function affectedSegment(
  site: Pick<WeatherStationSite, 'ref' | 'stakeM'> | undefined,
  segmentKm: number,
): ActiveWeatherAlert['segment'] {
  if (!site || site.ref === null || site.stakeM === null) return null;
  const half = segmentKm * 1000;
  return { ref: site.ref, fromStakeM: Math.max(0, site.stakeM - half), toStakeM: site.stakeM + half };
}

const LEVEL_RANK = { blue: 0, yellow: 1, orange: 2, red: 3 } as const;

/** The warning a station's state amounts to, or null when no hazard is up. */
export function activeAlertOf(
  state: StationAlertState,
  table: WeatherRuleTable,
  site: WeatherStationSite | undefined,
  segmentKm: number,
): ActiveWeatherAlert | null {
  const measure = stationMeasure(state, table);
  if (!measure) return null;
  const stages: ActiveWeatherStage[] = measure.sources.map((source) => ({
    hazard: source.hazard,
    level: source.level,
    stageId: source.stage,
    since: state.hazards[source.hazard]?.since ?? state.lastTs ?? 0,
  }));
  const segment = affectedSegment(site, segmentKm);
  const extentKm = segment ? (segment.toStakeM - segment.fromStakeM) / 1000 : 2 * segmentKm;
  return {
    stationId: state.stationId,
    lon: site?.lon ?? null,
    lat: site?.lat ?? null,
    ref: site?.ref ?? null,
    stakeM: site?.stakeM ?? null,
    stages,
    measure: {
      speedLimitKmh: measure.speedLimitKmh,
      minGapM: measure.minGapM,
      closed: measure.closeSection,
      text_zh: measure.textZh,
      text_en: measure.textEn,
    },
    controlLevel: controlLevelForExtent(extentKm),
    segment,
  };
}

/** The road restrictions of the active warnings: one per warning with a segment and a measure. */
export function restrictionsOf(alerts: readonly ActiveWeatherAlert[]): RoadRestriction[] {
  return alerts.flatMap((alert) =>
    alert.segment && alert.measure && (alert.measure.speedLimitKmh !== null || alert.measure.closed)
      ? [{ ...alert.segment, speedLimitKmh: alert.measure.speedLimitKmh, closed: alert.measure.closed }]
      : [],
  );
}

/** Most severe first, then by station id. */
function bySeverity(a: ActiveWeatherAlert, b: ActiveWeatherAlert): number {
  const top = (x: ActiveWeatherAlert) => Math.max(...x.stages.map((s) => LEVEL_RANK[s.level]));
  return top(b) - top(a) || a.stationId.localeCompare(b.stationId);
}

/** How often a reading is re-applied when another worker stored the same station in between. */
const MAX_ATTEMPTS = 20;

export function createWeatherAlerts(deps: {
  redis: BeaconRedis;
  keys: Keys;
  clock: Clock;
  log: Logger;
  fanout: Fanout;
  roads: RoadNetwork;
  table: WeatherRuleTable;
  stations: Map<string, WeatherStationSite>;
  config: { alertSegmentKm: number; rainInterpretation: PrecipitationInterpretation };
}) {
  const { redis, keys, clock, log, fanout, roads, table, stations, config } = deps;

  async function listActive(): Promise<ActiveWeatherAlert[]> {
    const raw = await redis.hgetall(keys.alertsActive);
    const alerts: ActiveWeatherAlert[] = [];
    for (const [stationId, json] of Object.entries(raw)) {
      try {
        alerts.push(JSON.parse(json) as ActiveWeatherAlert);
      } catch {
        log.warn({ stationId }, 'skipping unreadable active weather alert');
      }
    }
    return alerts.sort(bySeverity);
  }

  let applied = '';
  /** Make the road network's drive times follow the active warnings (only touches it when they changed). */
  async function refreshRoads(): Promise<void> {
    const restrictions = restrictionsOf(await listActive());
    const key = JSON.stringify(restrictions);
    if (key === applied) return;
    applied = key;
    roads.setRestrictions(restrictions);
  }

  let timer: ReturnType<typeof setInterval> | null = null;

  return {
    listActive,
    refreshRoads,

    /**
     * Refresh the drive-time restrictions now and then every `everyMs`, so warnings raised by another
     * server's worker reach this server's drive times too.
     */
    async start(everyMs: number): Promise<void> {
      await refreshRoads();
      timer ??= setInterval(() => {
        refreshRoads().catch((error: unknown) => log.warn({ err: error }, 'could not refresh road restrictions'));
      }, everyMs);
      timer.unref();
    },

    stop(): void {
      if (timer) clearInterval(timer);
      timer = null;
    },

    /**
     * Fold one reading into its station's state; publish what changed. Returns the station's warning after
     * the reading (null: none up), or undefined when the reading could not be stored.
     */
    async apply(reading: WeatherObserved): Promise<ActiveWeatherAlert | null | undefined> {
      const key = keys.alertStation(reading.stationId);
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
        const [version, json] = await redis.hmget(key, 'v', 'state');
        const stored = json ? parseStationState(json) : null;
        if (json && !stored)
          log.warn({ stationId: reading.stationId }, 'stored alert state is damaged; starting afresh');
        const { state, changes } = evaluateStation(stored, reading, table, clock.now(), {
          interpretation: config.rainInterpretation,
        });
        const alert = activeAlertOf(state, table, stations.get(reading.stationId), config.alertSegmentKm);
        const stored1 = await redis.storeAlertState(
          key,
          keys.alertsActive,
          version ?? '0',
          JSON.stringify(state),
          reading.stationId,
          changes.length > 0 ? '1' : '0',
          alert ? JSON.stringify(alert) : '',
        );
        if (Number(stored1) !== 1) continue;
        if (changes.length === 0) return alert;
        await refreshRoads();
        for (const change of changes) {
          log.info(
            { stationId: change.stationId, hazard: change.hazard, from: change.fromStage, to: change.toStage },
            'weather alert changed',
          );
          await fanout.publish('alert:changed', { stationId: reading.stationId, change, alert });
        }
        return alert;
      }
      log.warn({ stationId: reading.stationId }, 'weather alert state kept changing under us; reading skipped');
      return undefined;
    },
  };
}
export type WeatherAlerts = ReturnType<typeof createWeatherAlerts>;
