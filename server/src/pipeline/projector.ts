import { GpsReported, PedestrianDetected, WeatherObserved, type Clock } from '@beacon/shared';
import type { Logger } from '../log.ts';
import type { Keys } from '../redis/keys.ts';
import type { BeaconRedis } from '../redis/scripts.ts';
import type { Fanout } from '../realtime/fanout.ts';
import type { UnitStore } from '../units/unit-store.ts';
import type { IncidentStore } from '../incidents/incident-store.ts';
import { isSameWalkOn } from '../incidents/pedestrian-rule.ts';
import type { RoadNetwork } from '../roads/road-network.ts';
import type { WeatherAlerts } from '../alerts/weather-alerts.ts';

/** A device event read back from the ingest stream and validated again with the shared schemas. */
export type StreamItem =
  | { kind: 'gps'; event: GpsReported }
  | { kind: 'pedestrian'; event: PedestrianDetected }
  | { kind: 'weather'; event: WeatherObserved };

/** One entry of the ingest stream as read back: its id, its fields, and its event decoded once. */
export interface StreamEntry {
  id: string;
  fields: Record<string, string>;
  /** Null when the payload does not parse or validate, or the kind is unknown. */
  item: StreamItem | null;
}

const SCHEMA_BY_KIND = { gps: GpsReported, pedestrian: PedestrianDetected, weather: WeatherObserved } as const;

/** Decode an entry's payload with the schema of its kind; null for a damaged entry. */
function decodeItem(fields: Record<string, string>): StreamItem | null {
  const kind = fields.kind;
  if (kind !== 'gps' && kind !== 'pedestrian' && kind !== 'weather') return null;
  let payload: unknown;
  try {
    payload = JSON.parse(fields.payload ?? '');
  } catch {
    return null;
  }
  const result = SCHEMA_BY_KIND[kind].safeParse(payload);
  return result.success ? ({ kind, event: result.data } as StreamItem) : null;
}

/** Turn a raw XREADGROUP entry into a StreamEntry, decoding its payload once for every consumer. */
export function entryFromRaw([id, flat]: [string, string[]]): StreamEntry {
  const fields: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) fields[flat[i]!] = flat[i + 1]!;
  return { id, fields, item: decodeItem(fields) };
}

/**
 * Turns stored device events into state and incidents: GPS moves units, detections open or grow
 * pedestrian incidents, weather readings become the station's latest and go through the road-weather
 * rules (in stream order, one station state at a time). Entries are re-validated once on the
 * way out of Redis (`entryFromRaw`, shared with feed health); a damaged entry is logged and skipped. Projection is idempotent for GPS and weather;
 * a detection delivered twice after a crash can add one to its incident's detection count.
 */
export function createProjector(deps: {
  redis: BeaconRedis;
  keys: Keys;
  clock: Clock;
  log: Logger;
  units: UnitStore;
  incidents: IncidentStore;
  fanout: Fanout;
  roads: RoadNetwork;
  weatherAlerts: WeatherAlerts;
  config: { pedestrianMergeRadiusM: number; pedestrianMergeWindowMs: number };
}) {
  const { redis, keys, clock, log, units, incidents, fanout, roads, weatherAlerts, config } = deps;

  async function projectFixes(all: GpsReported[]): Promise<void> {
    if (all.length === 0) return;
    // Only the newest fix of each unit in a run moves it (the same final state, far fewer Redis calls);
    // every fix stays in the ingest stream, and feed health sees them all.
    const newest = new Map<string, GpsReported>();
    for (const fix of all) {
      const kept = newest.get(fix.unitId);
      if (!kept || fix.ts >= kept.ts) newest.set(fix.unitId, fix);
    }
    const fixes = [...newest.values()].map((fix) => ({
      ...fix,
      stake: roads.stakeOf([fix.lon, fix.lat], { headingDeg: fix.headingDeg ?? null }),
    }));
    const results = await units.applyFixes(fixes, clock.now());
    const created: string[] = [];
    fixes.forEach((fix, i) => {
      const result = results[i]!;
      if (!result.applied) return;
      if (result.created) created.push(fix.unitId);
      else
        fanout.queuePosition({
          id: fix.unitId,
          lon: fix.lon,
          lat: fix.lat,
          speedKmh: fix.speedKmh ?? null,
          headingDeg: fix.headingDeg ?? null,
          lastFixAt: fix.ts,
          stake: fix.stake,
        });
    });
    for (const unit of await units.getUnits(created)) await fanout.publish('unit:updated', unit);
  }

  async function projectDetection(detection: PedestrianDetected): Promise<void> {
    const now = clock.now();
    const near = await incidents.nearestOpen(detection.lon, detection.lat, config.pedestrianMergeRadiusM);
    if (near && isSameWalkOn(near, detection, config.pedestrianMergeWindowMs)) {
      const updated = await incidents.recordRepeatDetection(near.id, detection, now);
      if (updated) await fanout.publish('incident:updated', updated);
      return;
    }
    const stake = roads.stakeOf([detection.lon, detection.lat], { direction: detection.direction ?? null });
    const incident = await incidents.openPedestrianIncident(detection, now, stake);
    log.info({ incidentId: incident.id, lon: incident.lon, lat: incident.lat }, 'pedestrian incident opened');
    await fanout.publish('incident:created', incident);
  }

  return {
    /** Project a run of stream entries in order. GPS fixes are pipelined together; detections go one by one. */
    async project(entries: StreamEntry[]): Promise<void> {
      let fixes: GpsReported[] = [];
      const weather = redis.pipeline();
      let weatherCount = 0;
      for (const entry of entries) {
        const item = entry.item;
        if (!item) {
          log.warn({ streamId: entry.id, kind: entry.fields.kind }, 'skipping damaged or unknown ingest entry');
          continue;
        }
        switch (item.kind) {
          case 'gps':
            fixes.push(item.event);
            break;
          case 'pedestrian':
            await projectFixes(fixes);
            fixes = [];
            await projectDetection(item.event);
            break;
          case 'weather':
            weather.hset(keys.weatherLatest, item.event.stationId, JSON.stringify(item.event));
            weatherCount += 1;
            await weatherAlerts.apply(item.event);
            break;
        }
      }
      await projectFixes(fixes);
      if (weatherCount > 0) await weather.exec();
    },
  };
}
export type Projector = ReturnType<typeof createProjector>;
