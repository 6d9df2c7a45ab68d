import {
  BatchItem,
  BeaconError,
  INGEST_SCHEMA_BY_KIND,
  MAX_BATCH_ITEMS,
  gcj02ToWgs84,
  parseOrThrow,
  type Clock,
  type DeviceInfo,
  type ErrorCode,
  type IngestKind,
  type IngestResult,
} from '@beacon/shared';
import { z } from 'zod';
import type { Keys } from '../redis/keys.ts';
import type { BeaconRedis } from '../redis/scripts.ts';
import { forbiddenReason } from './authorize.ts';
import type { RateLimiter } from './rate-limit.ts';
import { watchRedisAvailability } from './redis-availability.ts';

/** A validated, authorised, normalised (WGS-84) device event, as stored in the ingest stream. */
export interface StoredItem {
  kind: IngestKind;
  event: { eventId: string; ts: number; [field: string]: unknown };
}

export interface IngestDeps {
  redis: BeaconRedis;
  keys: Keys;
  clock: Clock;
  limiter: RateLimiter;
  config: { dedupeTtlS: number; streamMaxLen: number; maxFutureSkewMs: number };
}

/** At most this many single reports are stored by one script call. */
const GROUP_MAX = 256;

/**
 * Device reports → Redis. Validates with the shared schemas, checks what the device may report,
 * converts GCJ-02 to WGS-84, then records each eventId once per device and appends the event to the
 * ingest stream in one script. The acknowledgement waits for that script: an `ok` means stored.
 * Rules and state run afterwards, in the pipeline that reads the stream through a consumer group.
 */
export function createIngest({ redis, keys, clock, limiter, config }: IngestDeps) {
  const availability = watchRedisAvailability(redis);
  /** Events this server stored (and acknowledged) and duplicates it acknowledged without storing, since start. */
  const totals = { accepted: 0, duplicates: 0 };

  function prepare(device: DeviceInfo, kind: IngestKind, raw: Record<string, unknown>, index?: number): StoredItem {
    const event = { ...raw } as StoredItem['event'] & { crs?: string; lon?: number; lat?: number };
    const forbidden = forbiddenReason(device, {
      kind,
      unitId: event.unitId as string | undefined,
      stationId: event.stationId as string | undefined,
    });
    if (forbidden) throw new BeaconError('FORBIDDEN', forbidden, index);
    if (event.ts > clock.now() + config.maxFutureSkewMs) {
      throw new BeaconError(
        'INVALID',
        `ts: ${new Date(event.ts).toISOString()} is in the future (device clock wrong?)`,
        index,
      );
    }
    if (event.crs === 'gcj02' && typeof event.lon === 'number' && typeof event.lat === 'number') {
      [event.lon, event.lat] = gcj02ToWgs84([event.lon, event.lat]).map((n) => Math.round(n * 1e7) / 1e7) as [
        number,
        number,
      ];
    }
    delete event.crs;
    return { kind, event };
  }

  /**
   * Group commit of single reports: the ones that arrive in the same turn of the event loop (up to
   * GROUP_MAX) are stored by one script call instead of one each — the same guarantees (each is in Redis
   * before its acknowledgement, de-duplicated by its own device's eventId), far less per-event overhead.
   */
  interface Waiting {
    seenKey: string;
    deviceId: string;
    item: StoredItem;
    resolve: (stored: boolean) => void;
    reject: (error: unknown) => void;
  }
  let waiting: Waiting[] = [];
  let flushing = false;

  function flushGroup(): void {
    flushing = false;
    const group = waiting;
    waiting = [];
    if (group.length === 0) return;
    const args: (string | number)[] = [config.dedupeTtlS, config.streamMaxLen, clock.now()];
    for (const w of group) args.push(w.seenKey, w.deviceId, w.item.kind, JSON.stringify(w.item.event));
    redis.acceptGroup(keys.ingestStream, ...args).then(
      (reply) => {
        const stored = reply as number[];
        group.forEach((w, i) => w.resolve(Number(stored[i]) === 1));
      },
      (error: unknown) => {
        for (const w of group) w.reject(error);
      },
    );
  }

  function storeSingle(device: DeviceInfo, item: StoredItem): Promise<boolean> {
    return new Promise((resolve, reject) => {
      waiting.push({
        seenKey: keys.seenPrefix(device.deviceId) + item.event.eventId,
        deviceId: device.deviceId,
        item,
        resolve,
        reject,
      });
      if (waiting.length >= GROUP_MAX) flushGroup();
      else if (!flushing) {
        flushing = true;
        setImmediate(flushGroup);
      }
    });
  }

  async function store(device: DeviceInfo, items: StoredItem[]): Promise<IngestResult> {
    if (items.length === 0) return { accepted: 0, duplicates: 0 };
    if (availability.isDown()) {
      throw new BeaconError('UNAVAILABLE', 'storage is unavailable, retry later; nothing was stored');
    }
    if (!limiter.take(device.deviceId, items.length)) {
      throw new BeaconError(
        'RATE_LIMITED',
        `device ${device.deviceId} is sending faster than allowed; slow down and resend`,
      );
    }
    if (items.length === 1) {
      const stored = await storeSingle(device, items[0]!);
      totals[stored ? 'accepted' : 'duplicates'] += 1;
      return { accepted: stored ? 1 : 0, duplicates: stored ? 0 : 1 };
    }
    const args: (string | number)[] = [
      keys.seenPrefix(device.deviceId),
      config.dedupeTtlS,
      config.streamMaxLen,
      device.deviceId,
      clock.now(),
    ];
    for (const item of items) args.push(item.event.eventId, item.kind, JSON.stringify(item.event));
    const accepted = Number(await redis.acceptBatch(keys.ingestStream, ...args));
    totals.accepted += accepted;
    totals.duplicates += items.length - accepted;
    return { accepted, duplicates: items.length - accepted };
  }

  return {
    /** Accept one report of a known kind. */
    async acceptOne(device: DeviceInfo, kind: IngestKind, payload: unknown): Promise<IngestResult> {
      const event = parseOrThrow(INGEST_SCHEMA_BY_KIND[kind], payload) as Record<string, unknown>;
      return store(device, [prepare(device, kind, event)]);
    },

    /** Accept a batch: every item is checked first, so one bad item rejects the whole batch and stores nothing. */
    async acceptBatch(device: DeviceInfo, payload: unknown): Promise<IngestResult> {
      if (!Array.isArray(payload)) throw new BeaconError('INVALID', 'batch must be an array of events');
      if (payload.length > MAX_BATCH_ITEMS) {
        throw new BeaconError('TOO_LARGE', `batch has ${payload.length} items; at most ${MAX_BATCH_ITEMS} are allowed`);
      }
      const items = payload.map((raw, index) => {
        const { kind, ...event } = parseOrThrow(BatchItem, raw, index);
        return prepare(device, kind, event, index);
      });
      return store(device, items);
    },

    /** Count one rejected input by its error code; the counters are visible at GET /api/v1/stats. */
    async countRejection(code: ErrorCode): Promise<void> {
      await redis.hincrby(keys.rejected, code, 1);
    },

    /** What this server stored and de-duplicated since it started (for /metrics). */
    totals(): { accepted: number; duplicates: number } {
      return { ...totals };
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
