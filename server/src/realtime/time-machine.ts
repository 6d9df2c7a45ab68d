import type { ActiveWeatherAlert, Alarm, Incident, PastSituation, Unit, WeatherAlertChanged } from '@beacon/shared';
import { BeaconError, isOpenState } from '@beacon/shared';
import type { Keys } from '../redis/keys.ts';
import type { BeaconRedis } from '../redis/scripts.ts';
import type { Areas } from '../auth/areas.ts';

const PAGE = 5000;

/**
 * The situation "as of" a past time: every domain event in `beacon:events` up to that time applied in order to
 * an empty state, the way a screen applies deltas, and filtered to the caller's area. Limits (documented):
 * the stream is trimmed after BEACON_STREAM_MAX_AGE_MS / BEACON_STREAM_MAXLEN, and unit positions are only as
 * fresh as the unit's last status change (GPS fixes are in the ingest stream, not in the events stream).
 */
export function createTimeMachine({
  redis,
  keys,
  areas,
  maxEvents,
}: {
  redis: BeaconRedis;
  keys: Keys;
  areas: Areas;
  maxEvents: number;
}) {
  return {
    async asOf(at: number, area: string): Promise<PastSituation> {
      const incidents = new Map<string, Incident>();
      const units = new Map<string, Unit>();
      const alerts = new Map<string, ActiveWeatherAlert>();
      const alarms = new Map<string, Alarm>();
      const first = (await redis.xrange(keys.eventsStream, '-', '+', 'COUNT', 1))[0]?.[0] ?? null;
      let start = '-';
      let applied = 0;
      for (;;) {
        const page = (await redis.xrange(keys.eventsStream, start, String(at), 'COUNT', PAGE)) as [string, string[]][];
        for (const [id, flat] of page) {
          start = `(${id}`;
          applied += 1;
          const fields: Record<string, string> = {};
          for (let i = 0; i + 1 < flat.length; i += 2) fields[flat[i]!] = flat[i + 1]!;
          let payload: unknown;
          try {
            payload = JSON.parse(fields.payload ?? 'null');
          } catch {
            continue;
          }
          switch (fields.type ?? '') {
            case 'incident:created':
            case 'incident:updated': {
              const incident = payload as Incident;
              incidents.set(incident.id, incident);
              break;
            }
            case 'unit:updated': {
              const unit = payload as Unit;
              units.set(unit.id, unit);
              break;
            }
            case 'alert:changed': {
              const change = payload as WeatherAlertChanged;
              if (change.alert) alerts.set(change.stationId, change.alert);
              else alerts.delete(change.stationId);
              break;
            }
            case 'alarm:changed': {
              const alarm = payload as Alarm;
              alarms.set(alarm.id, alarm);
              break;
            }
            default:
              // Work orders and notices are not part of the map's situation.
              break;
          }
        }
        if (applied > maxEvents) {
          throw new BeaconError('TOO_LARGE', `more than ${maxEvents} events before that time; pick a later time`);
        }
        if (page.length < PAGE) break;
      }
      const inArea = (lon: number | null, lat: number | null) => areas.containsPoint(area, lon, lat);
      return {
        asOf: at,
        oldestEventAt: first ? Number(first.split('-')[0]) : null,
        incidents: [...incidents.values()].filter(
          (i) =>
            i.drillId === null &&
            areas.contains(area, i.jurisdiction) &&
            (isOpenState(i.state) || at - i.updatedAt < 24 * 3600_000),
        ),
        units: [...units.values()].filter((u) => inArea(u.lon, u.lat)),
        weatherAlerts: [...alerts.values()].filter((a) => inArea(a.lon, a.lat)),
        alarms: [...alarms.values()].filter((a) => a.state !== 'closed' && inArea(a.lon, a.lat)),
        eventsApplied: applied,
      };
    },
  };
}
export type TimeMachine = ReturnType<typeof createTimeMachine>;
