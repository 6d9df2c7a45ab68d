import { Alarm, BeaconError, type AlarmType } from '@beacon/shared';
import type { Keys } from '../redis/keys.ts';
import { decodeNumber, decodeString } from '../redis/hash.ts';
import type { BeaconRedis } from '../redis/scripts.ts';

export function alarmFromHash(hash: Record<string, string>): Alarm | null {
  if (!hash.id) return null;
  const result = Alarm.safeParse({
    id: hash.id,
    source: hash.source,
    type: hash.type,
    state: hash.state,
    count: decodeNumber(hash.count),
    firstSeenAt: decodeNumber(hash.firstSeenAt),
    lastSeenAt: decodeNumber(hash.lastSeenAt),
    lon: decodeNumber(hash.lon),
    lat: decodeNumber(hash.lat),
    level: decodeString(hash.level),
    incidentId: decodeString(hash.incidentId),
    acknowledgedAt: decodeNumber(hash.acknowledgedAt),
    acknowledgedBy: decodeString(hash.acknowledgedBy),
    closedAt: decodeNumber(hash.closedAt),
    closedBy: decodeString(hash.closedBy),
    drillId: decodeString(hash.drillId),
  });
  return result.success ? result.data : null;
}

/** A signal from one source about one thing. */
export interface AlarmSignal {
  source: string;
  type: AlarmType;
  lon: number | null;
  lat: number | null;
  level?: string | null;
  /** The incident the signal belongs to, when known; the alarm keeps its own otherwise. */
  incidentId?: string | null;
  drillId?: string | null;
}

/**
 * Alarms in Redis: a hash each, an index by first-seen time, and a hash of the open alarm of each
 * (source, type), so that repeats count instead of piling up. Raising and closing are single scripts, so
 * two workers never open two alarms for one source and type.
 */
export function createAlarmStore({ redis, keys }: { redis: BeaconRedis; keys: Keys }) {
  const alarmPrefix = keys.alarm('');

  async function getAlarm(alarmId: string): Promise<Alarm | null> {
    return alarmFromHash(await redis.hgetall(keys.alarm(alarmId)));
  }

  async function getAlarms(ids: string[]): Promise<Alarm[]> {
    if (ids.length === 0) return [];
    const pipeline = redis.pipeline();
    for (const id of ids) pipeline.hgetall(keys.alarm(id));
    const results = (await pipeline.exec()) ?? [];
    return results.flatMap(([error, hash]) => {
      if (error) throw error;
      const alarm = alarmFromHash(hash as Record<string, string>);
      return alarm ? [alarm] : [];
    });
  }

  return {
    getAlarm,

    /** Count a signal into its open alarm, or open one; with `marker` (an ingest entry's), at most once. */
    async raise(
      signal: AlarmSignal,
      now: number,
      { marker }: { marker?: string } = {},
    ): Promise<{ alarm: Alarm; isNew: boolean }> {
      const [id, isNew] = (await redis.raiseAlarm(
        keys.alarmsOpen,
        keys.alarmSeq,
        keys.alarmIds,
        marker ?? keys.none,
        alarmPrefix,
        signal.source,
        signal.type,
        now,
        signal.lon ?? '',
        signal.lat ?? '',
        signal.level ?? '',
        signal.incidentId ?? '',
        signal.drillId ?? '',
        marker ? '1' : '0',
      )) as [string, number];
      const alarm = await getAlarm(id);
      if (!alarm) throw new BeaconError('INTERNAL', `alarm ${id} vanished after it was raised`);
      return { alarm, isNew: isNew === 1 };
    },

    /** The open alarm of a source and type, if any. */
    async openAlarmOf(source: string, type: AlarmType): Promise<Alarm | null> {
      const id = await redis.hget(keys.alarmsOpen, `${source}|${type}`);
      return id ? getAlarm(id) : null;
    },

    /** Every open (or acknowledged) alarm. */
    async listOpen(): Promise<Alarm[]> {
      return getAlarms(Object.values(await redis.hgetall(keys.alarmsOpen)));
    },

    /** Alarms first seen since `since`, plus every open one, newest first. */
    async listAlarms(since: number): Promise<Alarm[]> {
      const recent = await redis.zrangebyscore(keys.alarmIds, since, '+inf');
      const open = Object.values(await redis.hgetall(keys.alarmsOpen));
      const alarms = await getAlarms([...new Set([...recent, ...open])]);
      return alarms.sort((a, b) => b.lastSeenAt - a.lastSeenAt);
    },

    /** Alarms correlated with an incident. */
    async alarmsOfIncident(incidentId: string, since: number): Promise<Alarm[]> {
      return (await this.listAlarms(since)).filter((a) => a.incidentId === incidentId);
    },

    /** Close an alarm: by a person, because its condition cleared, or (`quietBefore`) because it went quiet. */
    async close(alarmId: string, now: number, closedBy: string, quietBefore?: number): Promise<boolean> {
      const closed = await redis.closeAlarm(
        keys.alarmsOpen,
        keys.alarm(alarmId),
        now,
        closedBy,
        quietBefore === undefined ? '' : quietBefore,
      );
      return Number(closed) === 1;
    },

    /** A person has seen the alarm: it stays open and keeps counting repeats. */
    async acknowledge(alarmId: string, now: number, actor: string): Promise<boolean> {
      const alarm = await getAlarm(alarmId);
      if (!alarm) throw new BeaconError('NOT_FOUND', `alarm ${alarmId} does not exist`);
      if (alarm.state !== 'open') return false;
      await redis.hset(keys.alarm(alarmId), {
        state: 'acknowledged',
        acknowledgedAt: String(now),
        acknowledgedBy: actor,
      });
      return true;
    },

    /** Point an alarm at another incident (after a merge). */
    async relink(alarmId: string, incidentId: string): Promise<void> {
      await redis.hset(keys.alarm(alarmId), 'incidentId', incidentId);
    },
  };
}
export type AlarmStore = ReturnType<typeof createAlarmStore>;
