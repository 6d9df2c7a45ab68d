import { OPS_NAMESPACE, type Clock, type ServerStatus } from '@beacon/shared';
import type { Redis } from 'ioredis';
import type { Server } from 'socket.io';
import type { Logger } from '../log.ts';

/**
 * Whether this server can reach Redis, pushed to its own screens (`server:status`, not through the adapter,
 * which needs Redis) when it changes, so a wall shows a degraded banner instead of silently freezing.
 */
export function trackServerStatus({ io, redis, clock, log }: { io: Server; redis: Redis; clock: Clock; log: Logger }) {
  let status: ServerStatus = { redis: redis.status === 'ready' ? 'up' : 'down', since: clock.now() };
  const set = (redisState: ServerStatus['redis']) => {
    if (status.redis === redisState) return;
    status = { redis: redisState, since: clock.now() };
    log[redisState === 'up' ? 'info' : 'warn']({ redis: redisState }, 'redis connection state changed');
    io.of(OPS_NAMESPACE).local.emit('server:status', status);
  };
  const up = () => set('up');
  const down = () => set('down');
  redis.on('ready', up);
  redis.on('close', down);
  redis.on('end', down);
  return {
    current: (): ServerStatus => status,
    stop(): void {
      redis.off('ready', up);
      redis.off('close', down);
      redis.off('end', down);
    },
  };
}
export type ServerStatusTracker = ReturnType<typeof trackServerStatus>;
