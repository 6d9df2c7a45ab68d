import {
  BROADCAST_TARGET_MS,
  BeaconError,
  Broadcast,
  type Clock,
  type SendBroadcastCommand,
  type SessionInfo,
} from '@beacon/shared';
import type { Logger } from '../log.ts';
import type { Keys } from '../redis/keys.ts';
import type { BeaconRedis } from '../redis/scripts.ts';
import { createRecordStore } from '../redis/records.ts';
import type { Fanout } from '../realtime/fanout.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Areas } from '../auth/areas.ts';
import type { IncidentStore } from '../incidents/incident-store.ts';
import type { WeatherAlerts } from '../alerts/weather-alerts.ts';
import type { RoadNetwork } from '../roads/road-network.ts';
import { pointAtStake } from '../roads/map-match.ts';
import type { BroadcastChannel } from './channel.ts';
import { cellsNear } from './grid.ts';

const DEFAULT_RADIUS_KM = 3;
/** How far back the list of broadcasts looks. */
const LIST_LOOKBACK_MS = 2 * 24 * 3600_000;

/**
 * 警情通报: a dispatcher sends a notice about an incident or a weather warning to the residents' groups of the
 * grid cells around it (around the point, or along the warned road section); each group's delivery is tracked
 * against the 10-minute target. The channel is pluggable (`BroadcastChannel`); receipts are polled by the
 * deadline watch and pushed as `broadcast:changed`.
 */
export function createBroadcasts(deps: {
  redis: BeaconRedis;
  keys: Keys;
  clock: Clock;
  log: Logger;
  fanout: Fanout;
  audit: AuditLog;
  areas: Areas;
  incidents: IncidentStore;
  weatherAlerts: WeatherAlerts;
  roads: RoadNetwork;
  channel: BroadcastChannel;
}) {
  const { redis, keys, clock, log, fanout, audit, areas, incidents, weatherAlerts, roads, channel } = deps;
  const records = createRecordStore({ redis, schema: Broadcast, keyOf: keys.broadcast, what: 'broadcast' });

  /** The points a notice is about, and the jurisdiction they lie in. */
  async function placeOf(command: SendBroadcastCommand, session: SessionInfo) {
    if (command.incidentId) {
      const incident = await incidents.requireIncident(command.incidentId);
      if (!areas.contains(session.jurisdiction, incident.jurisdiction)) {
        throw new BeaconError(
          'FORBIDDEN',
          `incident ${incident.id} is outside your jurisdiction (${session.jurisdiction})`,
        );
      }
      return {
        source: { kind: 'incident' as const, incidentId: incident.id },
        points: [[incident.lon, incident.lat]] as [number, number][],
        jurisdiction: incident.jurisdiction,
      };
    }
    const alert = (await weatherAlerts.listActive()).find((a) => a.stationId === command.stationId);
    if (!alert || alert.lon === null || alert.lat === null) {
      throw new BeaconError('NOT_FOUND', `station ${command.stationId} has no warning up`);
    }
    if (!areas.containsPoint(session.jurisdiction, alert.lon, alert.lat)) {
      throw new BeaconError(
        'FORBIDDEN',
        `station ${command.stationId} is outside your jurisdiction (${session.jurisdiction})`,
      );
    }
    const points: [number, number][] = [[alert.lon, alert.lat]];
    if (alert.segment) {
      // Every kilometre of the controlled section, both carriageways share the cells.
      for (let m = alert.segment.fromStakeM; m <= alert.segment.toStakeM; m += 1000) {
        const p = pointAtStake(roads.graph, { ref: alert.segment.ref, m, direction: 'up' });
        if (p) points.push(p);
      }
    }
    return {
      source: { kind: 'weather' as const, stationId: alert.stationId },
      points,
      jurisdiction: areas.locate(alert.lon, alert.lat),
    };
  }

  return {
    get: (id: string) => records.get(id),

    async send(command: SendBroadcastCommand, session: SessionInfo): Promise<{ broadcast: Broadcast }> {
      const now = clock.now();
      const place = await placeOf(command, session);
      const cells = cellsNear(place.points, (command.radiusKm ?? DEFAULT_RADIUS_KM) * 1000);
      const groups = await channel.groupsIn(cells);
      if (groups.length === 0) throw new BeaconError('NOT_FOUND', 'no residents’ groups in the affected grid cells');
      const id = `BC-${await redis.incr(keys.broadcastSeq)}`;
      const broadcast: Broadcast = {
        id,
        source: place.source,
        text: command.text,
        channel: channel.name,
        jurisdiction: place.jurisdiction,
        createdBy: session.actor,
        createdAt: now,
        dueAt: now + BROADCAST_TARGET_MS,
        cells,
        groups: [],
        rev: 0,
      };
      // Hand every group to the channel before storing: a refusal is recorded as failed at once.
      for (const group of groups) {
        const sent = await channel.send(id, group, command.text, now).catch((error: Error) => ({
          accepted: false,
          error: error.message,
        }));
        broadcast.groups.push({
          groupId: group.groupId,
          name: group.name,
          cell: group.cell,
          state: sent.accepted ? 'sent' : 'failed',
          sentAt: now,
          doneAt: sent.accepted ? null : now,
          error: sent.accepted ? null : (sent.error ?? 'refused by the channel'),
        });
      }
      await records.create(id, broadcast);
      await redis.zadd(keys.broadcastIds, now, id);
      const stored = (await records.get(id))!;
      await audit.append('broadcast:send', session.actor, now, { broadcastId: id, ...command, groups: groups.length });
      await fanout.publish('broadcast:changed', stored);
      return { broadcast: stored };
    },

    async list(session: SessionInfo): Promise<{ broadcasts: Broadcast[] }> {
      const ids = await redis.zrangebyscore(keys.broadcastIds, clock.now() - LIST_LOOKBACK_MS, '+inf');
      const all = await records.getMany(ids);
      return {
        broadcasts: all
          .filter((b) => areas.contains(session.jurisdiction, b.jurisdiction))
          .sort((a, b) => b.createdAt - a.createdAt),
      };
    },

    /** Apply the receipts the channel has gathered; returns how many groups changed. */
    async pollReceipts(): Promise<number> {
      const receipts = await channel.poll(clock.now());
      const byBroadcast = new Map<string, typeof receipts>();
      for (const r of receipts) byBroadcast.set(r.broadcastId, [...(byBroadcast.get(r.broadcastId) ?? []), r]);
      let changed = 0;
      for (const [id, list] of byBroadcast) {
        try {
          const updated = await records.update(id, (current) => ({
            ...current,
            groups: current.groups.map((g) => {
              const r = list.find((x) => x.groupId === g.groupId);
              if (!r || g.state !== 'sent') return g;
              return {
                ...g,
                state: r.ok ? 'delivered' : 'failed',
                doneAt: r.at,
                error: r.ok ? null : (r.error ?? 'failed'),
              };
            }),
          }));
          changed += list.length;
          await fanout.publish('broadcast:changed', updated);
        } catch (error) {
          log.warn({ err: error, broadcastId: id }, 'could not apply broadcast receipts');
        }
      }
      return changed;
    },
  };
}
export type Broadcasts = ReturnType<typeof createBroadcasts>;
