import { Unit, type GpsReported } from '@beacon/shared';
import type { Keys } from '../redis/keys.ts';
import { decodeNumber, decodeString } from '../redis/hash.ts';
import type { BeaconRedis } from '../redis/scripts.ts';

/** Call sign shown on screens for a unit id: `patrol-07` → `巡逻07`-style ids stay as given. */
export function callsignFor(unitId: string): string {
  return unitId.toUpperCase();
}

/** Parse a unit hash read back from Redis; returns null for a missing or damaged record. */
export function unitFromHash(hash: Record<string, string>): Unit | null {
  if (!hash.id) return null;
  const result = Unit.safeParse({
    id: hash.id,
    callsign: hash.callsign ?? callsignFor(hash.id),
    status: hash.status,
    lon: decodeNumber(hash.lon),
    lat: decodeNumber(hash.lat),
    speedKmh: decodeNumber(hash.speedKmh),
    headingDeg: decodeNumber(hash.headingDeg),
    lastFixAt: decodeNumber(hash.lastFixAt),
    incidentId: decodeString(hash.incidentId),
    stake: decodeString(hash.stake),
    statusSince: decodeNumber(hash.statusSince),
    drillId: decodeString(hash.drillId),
  });
  return result.success ? result.data : null;
}

/** Redis access for patrol units: latest state as one hash per unit, and a GEO index of positions. */
export function createUnitStore({
  redis,
  keys,
  drillId = null,
}: {
  redis: BeaconRedis;
  keys: Keys;
  /** Stamped on units created by a drill server. */
  drillId?: string | null;
}) {
  async function getUnit(unitId: string): Promise<Unit | null> {
    return unitFromHash(await redis.hgetall(keys.unit(unitId)));
  }

  async function getUnits(unitIds: string[]): Promise<Unit[]> {
    if (unitIds.length === 0) return [];
    const pipeline = redis.pipeline();
    for (const id of unitIds) pipeline.hgetall(keys.unit(id));
    const results = (await pipeline.exec()) ?? [];
    const units: Unit[] = [];
    for (const [error, hash] of results) {
      if (error) throw error;
      const unit = unitFromHash(hash as Record<string, string>);
      if (unit) units.push(unit);
    }
    return units;
  }

  return {
    getUnit,
    getUnits,

    async listUnits(): Promise<Unit[]> {
      const ids = await redis.smembers(keys.unitIds);
      ids.sort();
      return getUnits(ids);
    },

    /**
     * Store GPS fixes in one pipeline, in order. Out-of-order fixes (older than the stored one) do not
     * move the unit. Returns, per fix, whether it created the unit and whether it was applied.
     */
    async applyFixes(
      fixes: (GpsReported & { stake?: string | null })[],
      now: number,
    ): Promise<{ created: boolean; applied: boolean }[]> {
      const pipeline = redis.pipeline();
      for (const fix of fixes) {
        (pipeline as unknown as Record<string, (...args: (string | number)[]) => unknown>).moveUnit!(
          keys.unit(fix.unitId),
          keys.unitIds,
          keys.unitsGeo,
          fix.unitId,
          fix.lon,
          fix.lat,
          fix.ts,
          fix.speedKmh ?? '',
          fix.headingDeg ?? '',
          callsignFor(fix.unitId),
          now,
          fix.stake ?? '',
          drillId ?? '',
        );
      }
      const results = (await pipeline.exec()) ?? [];
      return results.map(([error, reply]) => {
        if (error) throw error;
        const [created, applied] = reply as [number, number];
        return { created: created === 1, applied: applied === 1 };
      });
    },

    /** Units within `radiusM` straight-line metres of a point, nearest first, with their distance. */
    async unitsNear(
      lon: number,
      lat: number,
      radiusM: number,
      count: number,
    ): Promise<{ unitId: string; distanceM: number }[]> {
      const rows = (await redis.geosearch(
        keys.unitsGeo,
        'FROMLONLAT',
        lon,
        lat,
        'BYRADIUS',
        radiusM,
        'm',
        'ASC',
        'COUNT',
        count,
        'WITHDIST',
      )) as [string, string][];
      return rows.map(([unitId, dist]) => ({ unitId, distanceM: Number(dist) }));
    },
  };
}
export type UnitStore = ReturnType<typeof createUnitStore>;
