import {
  RULE_TEXTS,
  DEFAULT_PRIORITY,
  GpsReported,
  PedestrianDetected,
  WeatherObserved,
  formatStake,
  haversineM,
  parseStake,
  raisePriority,
  type ActiveWeatherAlert,
  type AlarmType,
  type Clock,
} from '@beacon/shared';
import type { Logger } from '../log.ts';
import type { Keys } from '../redis/keys.ts';
import type { BeaconRedis } from '../redis/scripts.ts';
import type { Fanout } from '../realtime/fanout.ts';
import type { UnitStore } from '../units/unit-store.ts';
import type { IncidentStore } from '../incidents/incident-store.ts';
import { correlatePedestrian, inRedFog } from '../incidents/correlation.ts';
import { timelineEntry, type IncidentLifecycle } from '../incidents/lifecycle-service.ts';
import type { Alarms } from '../alarms/alarm-service.ts';
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

/** Readings kept per station for the trend charts (a day at one a minute, 4 days at one per 5 minutes). */
export const WEATHER_HISTORY_LEN = 1440;

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
 * way out of Redis (`entryFromRaw`, shared with feed health); a damaged entry is logged and skipped. Projection
 * is idempotent: GPS and weather by nature (the newest fix wins, station states are compare-and-set per reading),
 * detections and alarm counts through a marker per entry (`keys.projected`) written in the same script or
 * transaction as the change, so an entry read again after a crash or an outage is applied once.
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
  lifecycle: IncidentLifecycle;
  alarms: Alarms;
  config: {
    pedestrianMergeRadiusM: number;
    pedestrianMergeWindowMs: number;
    pedestrianSectionM: number;
    /** The drill this server runs (its incidents carry the id); detections correlate within it. */
    drillId?: string | null;
  };
}) {
  const { redis, keys, clock, log, units, incidents, fanout, roads, weatherAlerts, lifecycle, alarms, config } = deps;

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

  /**
   * A camera saw a person on the road: correlate with the open pedestrian incidents of the same road section
   * (several cameras, one person), or open a new one; raise priority inside a red-fog section; count the
   * camera's alarm and link it to the incident.
   */
  async function projectDetection(detection: PedestrianDetected, deviceId: string, entryId: string): Promise<void> {
    // An entry read again after a crash or an outage (pending re-read, XAUTOCLAIM) is applied once: each part of
    // its projection carries a marker written in the same script or transaction as the change.
    const incidentMarker = keys.projected(entryId, 'incident');
    const alarmMarker = keys.projected(entryId, 'alarm');
    const source = `camera:${detection.cameraId ?? deviceId}`;
    const done = await redis.get(incidentMarker);
    const incidentId = done ?? (await projectDetectionIncident(detection, source, incidentMarker));
    await alarms.raise(
      { source, type: 'pedestrian', lon: detection.lon, lat: detection.lat, incidentId },
      { marker: alarmMarker },
    );
  }

  /** Fold a detection into its correlated incident, or open one; returns the incident's id. */
  async function projectDetectionIncident(
    detection: PedestrianDetected,
    source: string,
    marker: string,
  ): Promise<string> {
    const now = clock.now();
    const stake = roads.stakeOf([detection.lon, detection.lat], { direction: detection.direction ?? null });
    const searchM = Math.max(config.pedestrianSectionM, config.pedestrianMergeRadiusM);
    const candidates = await incidents.nearbyOpen(detection.lon, detection.lat, searchM);
    const correlated = correlatePedestrian(
      { ts: detection.ts, stake, drillId: config.drillId ?? null },
      candidates,
      {
        sectionM: config.pedestrianSectionM,
        radiusM: config.pedestrianMergeRadiusM,
        windowMs: config.pedestrianMergeWindowMs,
      },
      (incident) => haversineM([detection.lon, detection.lat], [incident.lon, incident.lat]),
    );
    const redFog = inRedFog(stake ? parseStake(stake) : null, await weatherAlerts.listActive());
    const previous = await alarms.store.openAlarmOf(source, 'pedestrian');

    if (correlated) {
      const newCamera = previous?.incidentId !== correlated.id;
      const { incident, changed } = await incidents.updateIncident(
        correlated.id,
        (current) => {
          const raise = redFog && current.priority !== 'P1' && current.priorityReason !== 'red_fog';
          return {
            fields: {
              detections: current.detections + 1,
              lastDetectedAt: Math.max(current.lastDetectedAt, detection.ts),
              confidence: Math.max(current.confidence, detection.confidence),
              updatedAt: now,
              ...(raise ? { priority: raisePriority(current.priority), priorityReason: 'red_fog' } : {}),
            },
            timeline: [
              ...(newCamera
                ? [
                    timelineEntry({
                      at: now,
                      actor: 'rule:pedestrian',
                      kind: 'detection',
                      text: RULE_TEXTS.correlated(source),
                    }),
                  ]
                : []),
              ...(raise
                ? [
                    timelineEntry({
                      at: now,
                      actor: 'rule:pedestrian',
                      kind: 'priority',
                      text: RULE_TEXTS.redFogRaise(current.priority, raisePriority(current.priority)),
                    }),
                  ]
                : []),
            ],
          };
        },
        { marker },
      );
      if (changed) await fanout.publish('incident:updated', incident);
      return correlated.id;
    }
    {
      const base = DEFAULT_PRIORITY.pedestrian;
      const incident = await lifecycle.open(
        {
          type: 'pedestrian',
          priority: redFog ? raisePriority(base) : base,
          priorityReason: redFog ? 'red_fog' : null,
          lon: detection.lon,
          lat: detection.lat,
          direction: detection.direction ?? null,
          cameraId: detection.cameraId ?? null,
          confidence: detection.confidence,
          detectedAt: detection.ts,
          detections: 1,
          stake,
          createdBy: 'rule:pedestrian',
        },
        { marker },
      );
      return incident.id;
    }
  }

  /**
   * A station's warning after a reading: each hazard up counts into the station's alarm of that hazard; an
   * orange or red hazard (or a closure) opens a 恶劣天气 incident for the section once per episode; hazards
   * that went down close their alarms.
   */
  async function projectWarning(stationId: string, alert: ActiveWeatherAlert | null, entryId: string): Promise<void> {
    const source = `station:${stationId}`;
    const up = new Set(alert?.stages.map((s) => s.hazard) ?? []);
    for (const hazard of ['fog', 'ice', 'gale', 'rainstorm'] as const satisfies readonly AlarmType[]) {
      if (up.has(hazard)) continue;
      const open = await alarms.store.openAlarmOf(source, hazard);
      if (open) await alarms.clearedByRule(open.id);
    }
    if (!alert || alert.lon === null || alert.lat === null) return;
    for (const stage of alert.stages) {
      const { alarm } = await alarms.raise(
        { source, type: stage.hazard, lon: alert.lon, lat: alert.lat, level: stage.level },
        { marker: keys.projected(entryId, `alarm:${stage.hazard}`) },
      );
      const severe = stage.level === 'orange' || stage.level === 'red' || alert.measure?.closed === true;
      if (!severe) continue;
      const linked = alarm.incidentId ? await incidents.getIncident(alarm.incidentId) : null;
      if (linked && linked.state !== 'cancelled' && linked.state !== 'merged' && linked.closedAt === null) continue;
      const marker = keys.projected(entryId, `incident:${stage.hazard}`);
      const opened = await redis.get(marker);
      if (opened) {
        await alarms.store.relink(alarm.id, opened);
        continue;
      }
      const incident = await lifecycle.open(
        {
          type: 'severe_weather',
          priority: stage.level === 'red' ? 'P1' : DEFAULT_PRIORITY.severe_weather,
          lon: alert.lon,
          lat: alert.lat,
          description: `${stationId} ${stage.hazard} ${stage.level}: ${alert.measure?.text_zh ?? ''}`.trim(),
          stake:
            alert.ref !== null && alert.stakeM !== null
              ? formatStake({ ref: alert.ref, m: alert.stakeM, direction: null })
              : undefined,
          createdBy: 'rule:weather',
        },
        { marker },
      );
      await alarms.store.relink(alarm.id, incident.id);
    }
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
            await projectDetection(item.event, entry.fields.device ?? 'unknown', entry.id);
            break;
          case 'weather': {
            weather.hset(keys.weatherLatest, item.event.stationId, JSON.stringify(item.event));
            // The station's recent readings, for the wall's visibility and road-temperature trends (a sorted
            // set by device time, so a reading read twice is kept once, capped to the newest).
            weather.zadd(
              keys.weatherHistory(item.event.stationId),
              item.event.ts,
              JSON.stringify({
                ts: item.event.ts,
                visibilityM: item.event.visibilityM ?? null,
                roadSurfaceTempC: item.event.roadSurfaceTempC ?? null,
              }),
            );
            weather.zremrangebyrank(keys.weatherHistory(item.event.stationId), 0, -WEATHER_HISTORY_LEN - 1);
            weatherCount += 1;
            const alert = await weatherAlerts.apply(item.event);
            if (alert !== undefined) await projectWarning(item.event.stationId, alert, entry.id);
            break;
          }
        }
      }
      await projectFixes(fixes);
      if (weatherCount > 0) await weather.exec();
    },
  };
}
export type Projector = ReturnType<typeof createProjector>;
