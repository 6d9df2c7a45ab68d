import { Incident, type PedestrianDetected } from '@beacon/shared';
import type { Keys } from '../redis/keys.ts';
import { decodeNumber, decodeString, encodeHash } from '../redis/hash.ts';
import type { BeaconRedis } from '../redis/scripts.ts';

/** Beijing time is the command center's day: incident numbers restart at local midnight. */
const CHINA_OFFSET_MS = 8 * 3600_000;

/** `20261125` for the local (UTC+8) day containing `now`. */
export function localDayKey(now: number): string {
  return new Date(now + CHINA_OFFSET_MS).toISOString().slice(0, 10).replaceAll('-', '');
}

/** `INC-20261125-0007`: readable over a radio, sortable, unique per day. */
export function formatIncidentId(day: string, seq: number): string {
  return `INC-${day}-${String(seq).padStart(4, '0')}`;
}

export function incidentFromHash(hash: Record<string, string>): Incident | null {
  if (!hash.id) return null;
  const result = Incident.safeParse({
    id: hash.id,
    type: hash.type,
    priority: hash.priority,
    state: hash.state,
    lon: decodeNumber(hash.lon),
    lat: decodeNumber(hash.lat),
    createdAt: decodeNumber(hash.createdAt),
    updatedAt: decodeNumber(hash.updatedAt),
    detections: decodeNumber(hash.detections),
    lastDetectedAt: decodeNumber(hash.lastDetectedAt),
    cameraId: decodeString(hash.cameraId),
    direction: decodeString(hash.direction),
    confidence: decodeNumber(hash.confidence),
    stake: decodeString(hash.stake),
    unitId: decodeString(hash.unitId),
    assignedAt: decodeNumber(hash.assignedAt),
    closedAt: decodeNumber(hash.closedAt),
  });
  return result.success ? result.data : null;
}

/** Redis access for incidents: one hash each, a time-ordered index, and a GEO set of the open ones. */
export function createIncidentStore({ redis, keys }: { redis: BeaconRedis; keys: Keys }) {
  async function getIncident(incidentId: string): Promise<Incident | null> {
    return incidentFromHash(await redis.hgetall(keys.incident(incidentId)));
  }

  async function getIncidents(ids: string[]): Promise<Incident[]> {
    if (ids.length === 0) return [];
    const pipeline = redis.pipeline();
    for (const id of ids) pipeline.hgetall(keys.incident(id));
    const results = (await pipeline.exec()) ?? [];
    return results.flatMap(([error, hash]) => {
      if (error) throw error;
      const incident = incidentFromHash(hash as Record<string, string>);
      return incident ? [incident] : [];
    });
  }

  return {
    getIncident,

    /** Incidents created since `since` (epoch ms) plus every one still open, newest first. */
    async listIncidents(since: number): Promise<Incident[]> {
      const recent = await redis.zrangebyscore(keys.incidentIds, since, '+inf');
      const open = await redis.zrange(keys.openIncidentsGeo, 0, -1);
      const ids = [...new Set([...recent, ...open])];
      const incidents = await getIncidents(ids);
      return incidents.sort((a, b) => b.createdAt - a.createdAt);
    },

    /** The nearest open incident within `radiusM` of a point, if any. */
    async nearestOpen(lon: number, lat: number, radiusM: number): Promise<Incident | null> {
      const ids = (await redis.geosearch(
        keys.openIncidentsGeo,
        'FROMLONLAT',
        lon,
        lat,
        'BYRADIUS',
        Math.max(radiusM, 1),
        'm',
        'ASC',
        'COUNT',
        1,
      )) as string[];
      return ids[0] ? getIncident(ids[0]) : null;
    },

    /** Open a new pedestrian incident from a detection. */
    async openPedestrianIncident(detection: PedestrianDetected, now: number, stake: string | null): Promise<Incident> {
      const day = localDayKey(now);
      const seq = await redis.incr(keys.incidentSeq(day));
      const incident: Incident = {
        id: formatIncidentId(day, seq),
        type: 'pedestrian',
        priority: 'P1',
        state: 'open',
        lon: detection.lon,
        lat: detection.lat,
        createdAt: now,
        updatedAt: now,
        detections: 1,
        lastDetectedAt: detection.ts,
        cameraId: detection.cameraId ?? null,
        direction: detection.direction ?? null,
        confidence: detection.confidence,
        stake,
        unitId: null,
        assignedAt: null,
        closedAt: null,
      };
      await redis
        .multi()
        .hset(keys.incident(incident.id), encodeHash(incident))
        .zadd(keys.incidentIds, now, incident.id)
        .geoadd(keys.openIncidentsGeo, incident.lon, incident.lat, incident.id)
        .expire(keys.incidentSeq(day), 3 * 24 * 3600)
        .exec();
      return incident;
    },

    /** Fold a repeated detection of the same walk-on into its incident. */
    async recordRepeatDetection(
      incidentId: string,
      detection: PedestrianDetected,
      now: number,
    ): Promise<Incident | null> {
      await redis
        .multi()
        .hincrby(keys.incident(incidentId), 'detections', 1)
        .hset(keys.incident(incidentId), {
          lastDetectedAt: String(detection.ts),
          updatedAt: String(now),
          confidence: String(detection.confidence),
        })
        .exec();
      return getIncident(incidentId);
    },
  };
}
export type IncidentStore = ReturnType<typeof createIncidentStore>;
