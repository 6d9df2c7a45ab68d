import {
  OPS_NAMESPACE,
  type DomainEventName,
  type EventMeta,
  type OpsServerToClientEvents,
  type UnitPosition,
} from '@beacon/shared';
import type { Server } from 'socket.io';
import type { Logger } from '../log.ts';
import type { Keys } from '../redis/keys.ts';
import type { BeaconRedis } from '../redis/scripts.ts';

type DomainEvents = Pick<OpsServerToClientEvents, DomainEventName>;

/** Which screens hear what: the rooms of the jurisdictions a change concerns (see server/src/auth/areas.ts). */
export interface FanoutRouting {
  /** Rooms that must hear a domain event. */
  roomsOf<E extends DomainEventName>(event: E, payload: Parameters<DomainEvents[E]>[0]): string[];
  /** Rooms that must hear of a unit at this point. */
  roomsOfPoint(lon: number, lat: number): string[];
}

/**
 * The one way domain changes reach screens: each domain event is appended to the events stream
 * (so a reconnecting client or a replay can continue from it) and then emitted on `/ops` to the rooms of
 * the jurisdictions it concerns (`routing`): a county's screens hear of their county, the city's of all.
 * GPS positions are merged per unit and flushed once per tick as `units:moved`.
 */
export function createFanout({
  io,
  redis,
  keys,
  log,
  tickMs,
  streamMaxLen,
  routing,
}: {
  io: Server;
  redis: BeaconRedis;
  keys: Keys;
  log: Logger;
  tickMs: number;
  streamMaxLen: number;
  routing: FanoutRouting;
}) {
  const ops = io.of(OPS_NAMESPACE);
  const pendingPositions = new Map<string, UnitPosition>();

  function flushPositions(): void {
    if (pendingPositions.size === 0) return;
    // One batch per room: a screen is in exactly one room, so it gets each position once.
    const byRoom = new Map<string, UnitPosition[]>();
    for (const position of pendingPositions.values()) {
      for (const room of routing.roomsOfPoint(position.lon, position.lat)) {
        let batch = byRoom.get(room);
        if (!batch) byRoom.set(room, (batch = []));
        batch.push(position);
      }
    }
    pendingPositions.clear();
    for (const [room, positions] of byRoom) ops.to(room).emit('units:moved', { positions });
  }
  const timer = setInterval(flushPositions, tickMs);
  timer.unref();

  return {
    /**
     * Append a domain event to the events stream, then push it, with its stream id, to the screens of the
     * jurisdictions it concerns. Returns the stream id (null when the stream could not be written).
     */
    async publish<E extends keyof DomainEvents>(
      event: E,
      payload: Parameters<DomainEvents[E]>[0],
    ): Promise<string | null> {
      let id: string | null = null;
      try {
        id = await redis.xadd(
          keys.eventsStream,
          'MAXLEN',
          '~',
          streamMaxLen,
          '*',
          'type',
          event,
          'payload',
          JSON.stringify(payload),
        );
      } catch (error) {
        log.warn({ err: error, event }, 'could not append domain event to stream');
      }
      const rooms = routing.roomsOf(event, payload);
      if (rooms.length > 0) {
        (ops.to(rooms).emit as (event: string, payload: unknown, meta: EventMeta) => boolean)(event, payload, { id });
      }
      return id;
    },

    /** Queue a unit's new position for the next tick; later fixes of the same unit replace earlier ones. */
    queuePosition(position: UnitPosition): void {
      pendingPositions.set(position.id, position);
    },

    flushPositions,

    close(): void {
      clearInterval(timer);
      pendingPositions.clear();
    },
  };
}
export type Fanout = ReturnType<typeof createFanout>;
