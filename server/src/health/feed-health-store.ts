import {
  ERROR_CODES,
  type Clock,
  type DeviceHealth,
  type DeviceInfo,
  type ErrorCode,
  type FeedHealthReport,
  type FeedHealthSummary,
  type FeedHealthThresholds,
  type GpsJump,
  type StationHealth,
  type Unit,
  type UnitHealth,
} from '@beacon/shared';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Logger } from '../log.ts';
import type { StreamEntry } from '../pipeline/projector.ts';
import type { Keys } from '../redis/keys.ts';
import { decodeNumber, decodeString } from '../redis/hash.ts';
import {
  advanceReadingHistory,
  advanceUnitTrack,
  isJumpFlagged,
  isLostSignal,
  isQuiet,
  isStuck,
  lastMinuteBuckets,
  rateBucket,
  readingFingerprint,
  RATE_BUCKET_MS,
  RATE_WINDOW_BUCKETS,
  type Fix,
  type ReadingHistory,
  type UnitTrack,
} from './feed-rules.ts';

/** Rejections whose sender is not known (refused handshakes) are counted in the rate window under this id. */
const UNATTRIBUTED = '-';
/** Rate buckets outlive the window by a margin (real seconds: Redis TTLs do not follow an injected clock). */
const RATE_TTL_S = Math.ceil((RATE_BUCKET_MS * RATE_WINDOW_BUCKETS) / 1000) * 3;
const KNOWN_CODES = new Set<string>(ERROR_CODES);
const MAX_ATTEMPTS = 5;

/**
 * Write a hash only if its `rev` is still the one read (ARGV[1]), then bump `rev`. Lets several rules
 * workers fold readings into one station or unit without losing an update: the loser re-reads and retries.
 */
const COMPARE_AND_SET = {
  name: 'healthCompareAndSet',
  lua: `
if (redis.call('HGET', KEYS[1], 'rev') or '0') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'rev', tostring(tonumber(ARGV[1]) + 1), unpack(ARGV, 2))
return 1`,
} as const;

type CasRedis = Redis & { healthCompareAndSet(key: string, rev: string, ...fieldValues: string[]): Promise<number> };

const StoredJump = z.object({
  at: z.number(),
  from: z.object({ lon: z.number(), lat: z.number(), ts: z.number() }),
  to: z.object({ lon: z.number(), lat: z.number(), ts: z.number() }),
  distanceM: z.number(),
  speedKmh: z.number().nullable(),
});

function parseJump(raw: string | undefined): GpsJump | null {
  if (!raw) return null;
  try {
    const parsed = StoredJump.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

type StationState = ReadingHistory & { deviceId: string | null };

function stationFromHash(hash: Record<string, string>): StationState | null {
  const sameSince = decodeNumber(hash.sameSince);
  const lastReadingAt = decodeNumber(hash.lastReadingAt);
  const identicalReadings = decodeNumber(hash.identicalReadings);
  if (hash.fingerprint === undefined || sameSince === null || lastReadingAt === null || identicalReadings === null) {
    return null;
  }
  return {
    fingerprint: hash.fingerprint,
    sameSince,
    lastReadingAt,
    identicalReadings,
    deviceId: decodeString(hash.deviceId),
  };
}

function stationToFields(state: StationState): string[] {
  return [
    'fingerprint',
    state.fingerprint,
    'sameSince',
    String(state.sameSince),
    'lastReadingAt',
    String(state.lastReadingAt),
    'identicalReadings',
    String(state.identicalReadings),
    'deviceId',
    state.deviceId ?? '',
  ];
}

function unitTrackFromHash(hash: Record<string, string>): UnitTrack | null {
  const lon = decodeNumber(hash.lastLon);
  const lat = decodeNumber(hash.lastLat);
  const ts = decodeNumber(hash.lastFixAt);
  if (lon === null || lat === null || ts === null) return null;
  return {
    lastFix: { lon, lat, ts },
    jumps: decodeNumber(hash.jumps) ?? 0,
    lastJump: parseJump(hash.lastJump),
    lastJumpSeenAt: decodeNumber(hash.lastJumpSeenAt),
  };
}

function unitTrackToFields(track: UnitTrack): string[] {
  return [
    'lastLon',
    String(track.lastFix.lon),
    'lastLat',
    String(track.lastFix.lat),
    'lastFixAt',
    String(track.lastFix.ts),
    'jumps',
    String(track.jumps),
    'lastJump',
    track.lastJump ? JSON.stringify(track.lastJump) : '',
    'lastJumpSeenAt',
    track.lastJumpSeenAt === null ? '' : String(track.lastJumpSeenAt),
  ];
}

function sumFields(hash: Record<string, string> | undefined): number {
  let total = 0;
  for (const v of Object.values(hash ?? {})) total += Number(v) || 0;
  return total;
}

/**
 * Feed health in Redis: per device (accepted, rejected by code, last seen, 10-second rate buckets), per
 * weather station (the run of identical readings) and per unit (newest fix, implausible jumps). Nothing
 * lives in server memory, so a restart loses nothing. The report joins this with the device registry and
 * the units' own state and applies the rules of `feed-rules.ts` at the injected clock's now.
 */
export function createFeedHealthStore({
  redis: rawRedis,
  keys,
  clock,
  log,
  listDevices,
  listUnits,
  thresholds,
}: {
  redis: Redis;
  keys: Keys;
  clock: Clock;
  log: Logger;
  listDevices: () => Promise<DeviceInfo[]>;
  listUnits: () => Promise<Unit[]>;
  thresholds: FeedHealthThresholds;
}) {
  if (!(COMPARE_AND_SET.name in rawRedis)) {
    rawRedis.defineCommand(COMPARE_AND_SET.name, { numberOfKeys: 1, lua: COMPARE_AND_SET.lua });
  }
  const redis = rawRedis as CasRedis;

  /**
   * Fold each id's items into its hash with optimistic concurrency: read, fold (a pure function), write if
   * unchanged meanwhile; ids that lost a race are re-read and folded again.
   */
  async function foldInto<S, I>(
    work: Map<string, I[]>,
    keyOf: (id: string) => string,
    decode: (hash: Record<string, string>) => S | null,
    fold: (state: S | null, items: I[]) => S | null,
    encode: (state: S) => string[],
  ): Promise<void> {
    let pending = [...work.keys()];
    for (let attempt = 0; attempt < MAX_ATTEMPTS && pending.length > 0; attempt += 1) {
      const read = redis.pipeline();
      for (const id of pending) read.hgetall(keyOf(id));
      const hashes = (await read.exec()) ?? [];
      const write = redis.pipeline() as unknown as { exec(): Promise<[Error | null, unknown][] | null> } & Pick<
        CasRedis,
        'healthCompareAndSet'
      >;
      const written: string[] = [];
      pending.forEach((id, i) => {
        const [error, raw] = hashes[i] ?? [new Error('missing reply'), null];
        if (error) throw error;
        const hash = raw as Record<string, string>;
        const next = fold(decode(hash), work.get(id) ?? []);
        if (!next) return;
        void write.healthCompareAndSet(keyOf(id), hash.rev ?? '0', ...encode(next));
        written.push(id);
      });
      if (written.length === 0) return;
      const replies = (await write.exec()) ?? [];
      pending = written.filter((_, i) => {
        const [error, reply] = replies[i] ?? [new Error('missing reply'), null];
        if (error) throw error;
        return Number(reply) === 0;
      });
    }
    if (pending.length > 0) log.warn({ ids: pending.slice(0, 10) }, 'feed health: gave up updating after conflicts');
  }

  async function report(): Promise<FeedHealthReport> {
    const now = clock.now();
    const [registered, seenIds, stationIds, units] = await Promise.all([
      listDevices(),
      redis.smembers(keys.healthDeviceIds),
      redis.smembers(keys.healthStationIds),
      listUnits(),
    ]);
    const registry = new Map(registered.map((d) => [d.deviceId, d]));
    const unitFixAt = new Map(units.map((u) => [u.id, u.lastFixAt]));
    const deviceIds = [...new Set([...registry.keys(), ...seenIds])].sort();
    stationIds.sort();
    const buckets = lastMinuteBuckets(now);

    const p = redis.pipeline();
    for (const id of deviceIds) p.hgetall(keys.healthDevice(id));
    if (deviceIds.length > 0) p.zmscore(keys.healthLastSeen, ...deviceIds);
    for (const b of buckets) p.hgetall(keys.healthRate('accepted', b)).hgetall(keys.healthRate('rejected', b));
    for (const id of stationIds) p.hgetall(keys.healthStation(id));
    for (const unit of units) p.hgetall(keys.healthUnit(unit.id));
    const replies = ((await p.exec()) ?? []).map(([error, reply]) => {
      if (error) throw error;
      return reply;
    });
    let at = 0;
    const take = <T>(count: number) => replies.slice(at, (at += count)) as T[];
    const deviceHashes = take<Record<string, string>>(deviceIds.length);
    const lastSeen = deviceIds.length > 0 ? take<(string | null)[]>(1)[0]! : [];
    const rateHashes = take<Record<string, string>>(buckets.length * 2);
    const stationHashes = take<Record<string, string>>(stationIds.length);
    const unitHashes = take<Record<string, string>>(units.length);

    const inWindow = (what: 0 | 1, field: string) =>
      buckets.reduce((sum, _b, i) => sum + (Number(rateHashes[i * 2 + what]?.[field]) || 0), 0);

    const devices: DeviceHealth[] = deviceIds.map((deviceId, i) => {
      const hash = deviceHashes[i] ?? {};
      const info = registry.get(deviceId);
      const rejected: Partial<Record<ErrorCode, number>> = {};
      for (const [field, value] of Object.entries(hash)) {
        const code = field.startsWith('rej:') ? field.slice(4) : '';
        if (KNOWN_CODES.has(code)) rejected[code as ErrorCode] = Number(value) || 0;
      }
      const lastRejectCode = KNOWN_CODES.has(hash.lastRejectCode ?? '') ? (hash.lastRejectCode as ErrorCode) : null;
      const lastSeenAt = decodeNumber(lastSeen[i] ?? undefined);
      const revoked = info ? info.revokedAt !== null : false;
      return {
        deviceId,
        kind: info?.kind ?? null,
        revoked,
        lastSeenAt,
        accepted: decodeNumber(hash.accepted) ?? 0,
        eventsLastMinute: inWindow(0, deviceId),
        rejectsLastMinute: inWindow(1, deviceId),
        rejected,
        lastRejectAt: decodeNumber(hash.lastRejectAt),
        lastRejectCode,
        quiet:
          !revoked &&
          isQuiet(lastSeenAt, now, thresholds.quietAfterMs, info?.unitId ? (unitFixAt.get(info.unitId) ?? null) : null),
      };
    });

    const stations: StationHealth[] = [];
    stationIds.forEach((stationId, i) => {
      const state = stationFromHash(stationHashes[i] ?? {});
      if (!state) return;
      stations.push({
        stationId,
        deviceId: state.deviceId,
        lastReadingAt: state.lastReadingAt,
        sameSince: state.sameSince,
        identicalReadings: state.identicalReadings,
        stuck: isStuck(state, thresholds.stuckAfterMs),
      });
    });

    const unitHealth: UnitHealth[] = units.map((unit, i) => {
      const track = unitTrackFromHash(unitHashes[i] ?? {});
      return {
        unitId: unit.id,
        callsign: unit.callsign,
        lastFixAt: unit.lastFixAt,
        lostSignal: isLostSignal(unit.lastFixAt, now, thresholds.lostSignalAfterMs),
        jumps: track?.jumps ?? 0,
        lastJump: track?.lastJump ?? null,
        jumpFlagged: isJumpFlagged(track?.lastJumpSeenAt ?? null, now, thresholds.jumpFlagMs),
      };
    });

    const active = devices.filter((d) => !d.revoked);
    const summary: FeedHealthSummary = {
      generatedAt: now,
      devicesTotal: active.length,
      devicesOnline: active.filter((d) => !d.quiet).length,
      devicesQuiet: active.filter((d) => d.quiet).length,
      stationsStuck: stations.filter((s) => s.stuck).length,
      unitsLostSignal: unitHealth.filter((u) => u.lostSignal).length,
      unitsJumpFlagged: unitHealth.filter((u) => u.jumpFlagged).length,
      eventsLastMinute: buckets.reduce((sum, _b, i) => sum + sumFields(rateHashes[i * 2]), 0),
      rejectsLastMinute: buckets.reduce((sum, _b, i) => sum + sumFields(rateHashes[i * 2 + 1]), 0),
      thresholds,
    };
    return { summary, devices, stations, units: unitHealth };
  }

  return {
    /**
     * Record a run of accepted stream entries: counts, last seen and rate per device (by the server time
     * the entry was accepted), identical-reading runs per station, and jumps per unit. Entries whose
     * payload does not parse still count for their device.
     */
    async recordAccepted(entries: StreamEntry[]): Promise<void> {
      const now = clock.now();
      const oldestBucket = lastMinuteBuckets(now).at(-1)!;
      const perDevice = new Map<string, { count: number; lastSeenAt: number; buckets: Map<number, number> }>();
      const readings = new Map<string, { fingerprint: string; ts: number; deviceId: string }[]>();
      const fixes = new Map<string, { fix: Fix; seenAt: number }[]>();

      for (const entry of entries) {
        const deviceId = entry.fields.device;
        if (!deviceId) continue;
        const receivedAt = Number(entry.fields.receivedAt);
        const seenAt = Number.isFinite(receivedAt) && receivedAt > 0 ? receivedAt : now;
        const device = perDevice.get(deviceId) ?? { count: 0, lastSeenAt: seenAt, buckets: new Map() };
        device.count += 1;
        device.lastSeenAt = Math.max(device.lastSeenAt, seenAt);
        const bucket = rateBucket(seenAt);
        if (bucket >= oldestBucket) device.buckets.set(bucket, (device.buckets.get(bucket) ?? 0) + 1);
        perDevice.set(deviceId, device);

        const item = entry.item;
        if (item?.kind === 'weather') {
          const list = readings.get(item.event.stationId) ?? [];
          list.push({ fingerprint: readingFingerprint(item.event), ts: item.event.ts, deviceId });
          readings.set(item.event.stationId, list);
        } else if (item?.kind === 'gps') {
          const list = fixes.get(item.event.unitId) ?? [];
          list.push({ fix: { lon: item.event.lon, lat: item.event.lat, ts: item.event.ts }, seenAt });
          fixes.set(item.event.unitId, list);
        }
      }
      if (perDevice.size === 0) return;

      const counters = redis.pipeline();
      for (const [deviceId, device] of perDevice) {
        counters
          .sadd(keys.healthDeviceIds, deviceId)
          .hincrby(keys.healthDevice(deviceId), 'accepted', device.count)
          .zadd(keys.healthLastSeen, 'GT', device.lastSeenAt, deviceId);
        for (const [bucket, count] of device.buckets) {
          const key = keys.healthRate('accepted', bucket);
          counters.hincrby(key, deviceId, count).expire(key, RATE_TTL_S);
        }
      }
      if (readings.size > 0) counters.sadd(keys.healthStationIds, ...readings.keys());
      for (const [error] of (await counters.exec()) ?? []) if (error) throw error;

      await foldInto(
        readings,
        keys.healthStation,
        stationFromHash,
        (state, items) => {
          let next: StationState | null = null;
          for (const item of items) {
            const advanced = advanceReadingHistory(next ?? state, item);
            if (advanced) next = { ...advanced, deviceId: item.deviceId };
          }
          return next;
        },
        stationToFields,
      );

      await foldInto(
        fixes,
        keys.healthUnit,
        unitTrackFromHash,
        (state, items) => {
          let next: UnitTrack | null = null;
          for (const { fix, seenAt } of items) {
            next = advanceUnitTrack(next ?? state, fix, seenAt, thresholds.implausibleSpeedKmh) ?? next;
          }
          return next;
        },
        unitTrackToFields,
      );
    },

    /** Count one refused input against its device (null: the sender could not be identified). */
    async recordRejection(deviceId: string | null, code: ErrorCode): Promise<void> {
      const now = clock.now();
      const key = keys.healthRate('rejected', rateBucket(now));
      const p = redis
        .pipeline()
        .hincrby(key, deviceId ?? UNATTRIBUTED, 1)
        .expire(key, RATE_TTL_S);
      if (deviceId !== null) {
        p.sadd(keys.healthDeviceIds, deviceId).hincrby(keys.healthDevice(deviceId), `rej:${code}`, 1);
        p.hset(keys.healthDevice(deviceId), 'lastRejectAt', String(now), 'lastRejectCode', code);
      }
      for (const [error] of (await p.exec()) ?? []) if (error) throw error;
    },

    report,

    async summary(): Promise<FeedHealthSummary> {
      return (await report()).summary;
    },
  };
}
export type FeedHealthStore = ReturnType<typeof createFeedHealthStore>;
