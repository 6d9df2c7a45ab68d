import {
  BeaconError,
  Incident,
  Supervision,
  TimelineEntry,
  isOpenState,
  type IncidentType,
  type Priority,
} from '@beacon/shared';
import { z } from 'zod';
import type { Keys } from '../redis/keys.ts';
import { decodeNumber, decodeString, encodeField } from '../redis/hash.ts';
import type { BeaconRedis } from '../redis/scripts.ts';

/** Beijing time is the command center's day: incident numbers restart at local midnight. */
const CHINA_OFFSET_MS = 8 * 3600_000;
/** Attempts of a compare-and-set update before giving up (only under heavy contention on one incident). */
const MAX_UPDATE_ATTEMPTS = 8;

/** `20261125` for the local (UTC+8) day containing `now`. */
export function localDayKey(now: number): string {
  return new Date(now + CHINA_OFFSET_MS).toISOString().slice(0, 10).replaceAll('-', '');
}

/** `INC-20261125-0007`: readable over a radio, sortable, unique per day. */
export function formatIncidentId(day: string, seq: number): string {
  return `INC-${day}-${String(seq).padStart(4, '0')}`;
}

const StringList = z.array(z.string());
const Supervisions = z.array(Supervision);

function decodeJson<T>(schema: z.ZodType<T>, value: string | undefined, fallback: T): T {
  if (!value) return fallback;
  try {
    const parsed = schema.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : fallback;
  } catch {
    return fallback;
  }
}

const NUMBER_FIELDS = [
  'lon',
  'lat',
  'createdAt',
  'updatedAt',
  'detections',
  'lastDetectedAt',
  'confidence',
  'assignedAt',
  'acknowledgedAt',
  'arrivedAt',
  'closedAt',
  'feedbackAt',
  'endedAt',
  'rev',
] as const;
const STRING_FIELDS = [
  'type',
  'priority',
  'priorityReason',
  'state',
  'description',
  'createdBy',
  'jurisdiction',
  'drillId',
  'cameraId',
  'direction',
  'stake',
  'unitId',
  'mergedInto',
] as const;

export function incidentFromHash(hash: Record<string, string>): Incident | null {
  if (!hash.id) return null;
  const raw: Record<string, unknown> = { id: hash.id };
  for (const f of NUMBER_FIELDS) raw[f] = decodeNumber(hash[f]);
  for (const f of STRING_FIELDS) raw[f] = decodeString(hash[f]);
  raw.rev = raw.rev ?? 0;
  raw.createdBy = raw.createdBy ?? undefined;
  raw.links = decodeJson(StringList, hash.links, []);
  raw.supervisions = decodeJson(Supervisions, hash.supervisions, []);
  const result = Incident.safeParse(raw);
  return result.success ? result.data : null;
}

/** Flat hash fields for (part of) an incident: '' for null, JSON for the lists. */
export function incidentToHash(incident: Partial<Incident>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(incident)) {
    if (v === undefined) continue;
    out[k] = Array.isArray(v) ? JSON.stringify(v) : encodeField(v as string | number | null);
  }
  return out;
}

/** What a rule or a dispatcher knows when an incident is opened. */
export interface NewIncident {
  type: IncidentType;
  priority: Priority;
  priorityReason?: string | null;
  lon: number;
  lat: number;
  description?: string | null;
  createdBy: string;
  jurisdiction: string | null;
  drillId?: string | null;
  stake: string | null;
  direction?: 'up' | 'down' | null;
  cameraId?: string | null;
  confidence?: number;
  /** Device time of the detection that opened it (rule-made incidents); defaults to now. */
  detectedAt?: number;
  /** Detections folded in so far: 1 for an incident a detection opened, 0 for one opened by hand. */
  detections?: number;
}

/**
 * A change worked out from the incident as it is: fields to set, timeline lines to append, and what happens
 * to the open-incidents GEO set and to the unit holding the incident. Null: nothing to change.
 */
export interface IncidentChange {
  fields: Partial<Incident>;
  timeline: TimelineEntry[];
  geo?: 'add' | 'rem' | 'keep';
  /** The unit holding the incident lets go of it and takes this status. */
  releaseUnit?: { unitId: string; status: string } | null;
}

/** Redis access for incidents: one hash each, a timeline list, a time-ordered index, a GEO set of open ones. */
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
    getIncidents,

    async requireIncident(incidentId: string): Promise<Incident> {
      const incident = await getIncident(incidentId);
      if (!incident) throw new BeaconError('NOT_FOUND', `incident ${incidentId} does not exist`);
      return incident;
    },

    /** Incidents created since `since` (epoch ms) plus every one still open, newest first. */
    async listIncidents(since: number): Promise<Incident[]> {
      const recent = await redis.zrangebyscore(keys.incidentIds, since, '+inf');
      const open = await redis.zrange(keys.openIncidentsGeo, 0, -1);
      const ids = [...new Set([...recent, ...open])];
      const incidents = await getIncidents(ids);
      return incidents.sort((a, b) => b.createdAt - a.createdAt);
    },

    /** Incidents created in [from, to] (epoch ms), oldest first: the input of statistics. */
    async incidentsCreatedBetween(from: number, to: number): Promise<Incident[]> {
      const ids = await redis.zrangebyscore(keys.incidentIds, from, to);
      return getIncidents(ids);
    },

    /** Every incident still open (on the map, under SLA timers). */
    async listOpen(): Promise<Incident[]> {
      return getIncidents(await redis.zrange(keys.openIncidentsGeo, 0, -1));
    },

    /** Open incidents within `radiusM` of a point, nearest first. */
    async nearbyOpen(lon: number, lat: number, radiusM: number, count = 20): Promise<Incident[]> {
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
        count,
      )) as string[];
      return getIncidents(ids);
    },

    /** Open a new incident in state 受理 received, with its first timeline line. */
    /** `marker`: set with the incident in one transaction (an ingest entry's projection marker). */
    async createIncident(input: NewIncident, now: number, { marker }: { marker?: string } = {}): Promise<Incident> {
      const day = localDayKey(now);
      const seq = await redis.incr(keys.incidentSeq(day));
      const incident: Incident = {
        id: formatIncidentId(day, seq),
        type: input.type,
        priority: input.priority,
        priorityReason: input.priorityReason ?? null,
        state: 'received',
        lon: input.lon,
        lat: input.lat,
        description: input.description ?? null,
        createdBy: input.createdBy,
        jurisdiction: input.jurisdiction,
        drillId: input.drillId ?? null,
        createdAt: now,
        updatedAt: now,
        detections: input.detections ?? 0,
        lastDetectedAt: input.detectedAt ?? now,
        cameraId: input.cameraId ?? null,
        direction: input.direction ?? null,
        confidence: input.confidence ?? 1,
        stake: input.stake,
        unitId: null,
        assignedAt: null,
        acknowledgedAt: null,
        arrivedAt: null,
        closedAt: null,
        feedbackAt: null,
        endedAt: null,
        mergedInto: null,
        links: [],
        supervisions: [],
        rev: 0,
      };
      const created: TimelineEntry = {
        at: now,
        actor: input.createdBy,
        kind: 'created',
        from: null,
        to: 'received',
        text: input.description ?? null,
        url: null,
        ref: null,
        unitId: null,
      };
      const write = redis
        .multi()
        .hset(keys.incident(incident.id), incidentToHash(incident))
        .zadd(keys.incidentIds, now, incident.id)
        .geoadd(keys.openIncidentsGeo, incident.lon, incident.lat, incident.id)
        .rpush(keys.incidentTimeline(incident.id), JSON.stringify(created))
        .expire(keys.incidentSeq(day), 3 * 24 * 3600);
      if (marker) write.set(marker, incident.id, 'EX', 86400);
      await write.exec();
      return incident;
    },

    /**
     * Change an incident from what it is now: `decide` sees the current incident and returns the change (or
     * throws a BeaconError to refuse, or returns null for no change). The write is a compare-and-set on the
     * incident's `rev`; on a conflict the incident is read again and `decide` runs again.
     */
    async updateIncident(
      incidentId: string,
      decide: (incident: Incident) => IncidentChange | null,
      { marker }: { marker?: string } = {},
    ): Promise<{ incident: Incident; changed: boolean }> {
      for (let attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt += 1) {
        const current = await getIncident(incidentId);
        if (!current) throw new BeaconError('NOT_FOUND', `incident ${incidentId} does not exist`);
        const change = decide(current);
        if (!change) return { incident: current, changed: false };
        const next = { ...current, ...change.fields };
        const geo = change.geo ?? (isOpenState(next.state) ? 'keep' : 'rem');
        const stored = await redis.updateIncident(
          keys.incident(incidentId),
          keys.openIncidentsGeo,
          keys.incidentTimeline(incidentId),
          change.releaseUnit ? keys.unit(change.releaseUnit.unitId) : keys.none,
          marker ?? keys.none,
          String(current.rev),
          JSON.stringify(incidentToHash(change.fields)),
          geo,
          next.lon,
          next.lat,
          incidentId,
          change.releaseUnit?.status ?? '',
          String(next.updatedAt),
          marker ? '1' : '0',
          ...change.timeline.map((entry) => JSON.stringify(entry)),
        );
        if (stored === 1) return { incident: { ...next, rev: current.rev + 1 }, changed: true };
        if (stored === 2) return { incident: current, changed: false };
      }
      throw new BeaconError('CONFLICT', `incident ${incidentId} is being changed by others; try again`);
    },

    /** The incident's timeline, oldest first. */
    async timeline(incidentId: string): Promise<TimelineEntry[]> {
      const lines = await redis.lrange(keys.incidentTimeline(incidentId), 0, -1);
      return lines.flatMap((line) => {
        try {
          const parsed = TimelineEntry.safeParse(JSON.parse(line));
          return parsed.success ? [parsed.data] : [];
        } catch {
          return [];
        }
      });
    },
  };
}
export type IncidentStore = ReturnType<typeof createIncidentStore>;
