import {
  BatchItem,
  BeaconError,
  INGEST_SCHEMA_BY_KIND,
  MAX_BATCH_ITEMS,
  parseOrThrow,
  type Clock,
  type ErrorCode,
  type GpsReported,
  type IngestKind,
  type IngestResult,
  type PedestrianDetected,
  type WeatherObserved,
} from '@beacon/shared';
import { z } from 'zod';
import type { Logger } from '../log.ts';
import type { Keys } from '../redis/keys.ts';
import type { BeaconRedis } from '../redis/scripts.ts';
import type { Fanout } from '../realtime/fanout.ts';
import type { UnitStore } from '../units/unit-store.ts';
import type { IncidentStore } from '../incidents/incident-store.ts';
import { isSameWalkOn } from '../incidents/pedestrian-rule.ts';

type Parsed =
  | { kind: 'pedestrian'; event: PedestrianDetected }
  | { kind: 'weather'; event: WeatherObserved }
  | { kind: 'gps'; event: GpsReported };

export interface IngestDeps {
  redis: BeaconRedis;
  keys: Keys;
  clock: Clock;
  log: Logger;
  units: UnitStore;
  incidents: IncidentStore;
  fanout: Fanout;
  config: { dedupeTtlS: number; streamMaxLen: number; pedestrianMergeRadiusM: number; pedestrianMergeWindowMs: number };
}

/**
 * Device reports → Redis. Validates with the shared schemas, records each eventId once per device,
 * appends the event to the ingest stream (the acknowledgement waits for this), then updates latest
 * state and runs the rules that turn reports into incidents.
 */
export function createIngest(deps: IngestDeps) {
  const { redis, keys, clock, log, units, incidents, fanout, config } = deps;

  async function store(item: Parsed, deviceId: string): Promise<boolean> {
    const streamId = await redis.acceptIngest(
      keys.seen(deviceId, item.event.eventId),
      keys.ingestStream,
      config.dedupeTtlS,
      config.streamMaxLen,
      item.kind,
      deviceId,
      clock.now(),
      JSON.stringify(item.event),
    );
    return streamId !== null;
  }

  async function project(item: Parsed): Promise<void> {
    switch (item.kind) {
      case 'gps':
        return projectFix(item.event);
      case 'pedestrian':
        return projectDetection(item.event);
      case 'weather':
        await redis.hset(keys.weatherLatest, item.event.stationId, JSON.stringify(item.event));
        return;
    }
  }

  async function projectFix(fix: GpsReported): Promise<void> {
    const { created, applied } = await units.applyFix(fix, clock.now());
    if (!applied) return;
    if (created) {
      const unit = await units.getUnit(fix.unitId);
      if (unit) await fanout.publish('unit:updated', unit);
      return;
    }
    fanout.queuePosition({
      id: fix.unitId,
      lon: fix.lon,
      lat: fix.lat,
      speedKmh: fix.speedKmh ?? null,
      headingDeg: fix.headingDeg ?? null,
      lastFixAt: fix.ts,
    });
  }

  async function projectDetection(detection: PedestrianDetected): Promise<void> {
    const now = clock.now();
    const near = await incidents.nearestOpen(detection.lon, detection.lat, config.pedestrianMergeRadiusM);
    if (near && isSameWalkOn(near, detection, config.pedestrianMergeWindowMs)) {
      const updated = await incidents.recordRepeatDetection(near.id, detection, now);
      if (updated) await fanout.publish('incident:updated', updated);
      return;
    }
    const incident = await incidents.openPedestrianIncident(detection, now);
    log.info({ incidentId: incident.id, lon: incident.lon, lat: incident.lat }, 'pedestrian incident opened');
    await fanout.publish('incident:created', incident);
  }

  async function acceptParsed(items: Parsed[], deviceId: string): Promise<IngestResult> {
    let accepted = 0;
    let duplicates = 0;
    for (const item of items) {
      if (await store(item, deviceId)) {
        accepted += 1;
        await project(item);
      } else {
        duplicates += 1;
      }
    }
    return { accepted, duplicates };
  }

  return {
    /** Accept one report of a known kind. Throws BeaconError('INVALID') for a malformed payload. */
    async acceptOne(kind: IngestKind, payload: unknown, deviceId: string): Promise<IngestResult> {
      const event = parseOrThrow(INGEST_SCHEMA_BY_KIND[kind], payload);
      return acceptParsed([{ kind, event } as Parsed], deviceId);
    },

    /** Accept a batch: every item is validated first, so a bad item rejects the whole batch and stores nothing. */
    async acceptBatch(payload: unknown, deviceId: string): Promise<IngestResult> {
      if (!Array.isArray(payload)) throw new BeaconError('INVALID', 'batch must be an array of events');
      if (payload.length > MAX_BATCH_ITEMS) {
        throw new BeaconError('TOO_LARGE', `batch has ${payload.length} items; at most ${MAX_BATCH_ITEMS} are allowed`);
      }
      const items = payload.map((raw, index): Parsed => {
        const { kind, ...event } = parseOrThrow(BatchItem, raw, index);
        return { kind, event } as Parsed;
      });
      return acceptParsed(items, deviceId);
    },

    /** Count one rejected input by its error code; the counters are visible at GET /api/v1/stats. */
    async countRejection(code: ErrorCode): Promise<void> {
      await redis.hincrby(keys.rejected, code, 1);
    },

    async rejectionCounts(): Promise<Record<string, number>> {
      const raw = await redis.hgetall(keys.rejected);
      return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Number(v)]));
    },
  };
}
export type Ingest = ReturnType<typeof createIngest>;

/** Body of POST /api/v1/ingest. Items are validated one by one by acceptBatch. */
export const HttpIngestBody = z.strictObject({ events: z.array(z.unknown()) });
