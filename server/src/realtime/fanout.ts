import { OPS_NAMESPACE, type DomainEventName, type OpsServerToClientEvents, type UnitPosition } from '@beacon/shared';
import type { Server } from 'socket.io';
import type { Logger } from '../log.ts';
import type { Keys } from '../redis/keys.ts';
import type { BeaconRedis } from '../redis/scripts.ts';

type DomainEvents = Pick<OpsServerToClientEvents, DomainEventName>;

/**
 * The one way domain changes reach screens: each domain event is appended to the events stream
 * (so a reconnecting client or a replay can continue from it) and then emitted on `/ops`.
 * GPS positions are merged per unit and flushed once per tick as `units:moved`.
 */
export function createFanout({
  io,
  redis,
  keys,
  log,
  tickMs,
  streamMaxLen,
}: {
  io: Server;
  redis: BeaconRedis;
  keys: Keys;
  log: Logger;
  tickMs: number;
  streamMaxLen: number;
}) {
  const ops = io.of(OPS_NAMESPACE);
  const pendingPositions = new Map<string, UnitPosition>();

  function flushPositions(): void {
    if (pendingPositions.size === 0) return;
    const positions = [...pendingPositions.values()];
    pendingPositions.clear();
    ops.emit('units:moved', { positions });
  }
  const timer = setInterval(flushPositions, tickMs);
  timer.unref();

  return {
    /** Append a domain event to the events stream, then push it to every screen. */
    async publish<E extends keyof DomainEvents>(event: E, payload: Parameters<DomainEvents[E]>[0]): Promise<void> {
      try {
        await redis.xadd(
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
      (ops.emit as (event: string, payload: unknown) => boolean)(event, payload);
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
