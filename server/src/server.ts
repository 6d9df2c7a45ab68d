import { Redis, type RedisOptions } from 'ioredis';
import { systemClock, type Clock } from '@beacon/shared';
import { createApp, type App } from './app.ts';
import type { Config } from './config.ts';
import type { Logger } from './log.ts';

/** Longest pause between two reconnection attempts while Redis is away. */
export const REDIS_RECONNECT_MAX_MS = 1000;
/** A queued command is failed after this many reconnection attempts (see REDIS_CLIENT_OPTIONS). */
export const REDIS_MAX_RETRIES_PER_REQUEST = 2;

/**
 * The ioredis options of every server connection (the app's duplicates inherit them).
 *
 * While Redis is away ioredis keeps reconnecting (every ≤ 1 s, for ever) and holds commands in its offline
 * queue; the queue is flushed with an error every `REDIS_MAX_RETRIES_PER_REQUEST + 1` failed attempts, so a
 * command waits at most about 3 s (plus up to 3 × `connectTimeout` when the host does not answer at all)
 * before its caller sees `UNAVAILABLE`. The queue therefore holds at most what arrives in that window.
 * Device ingest does not even queue: it answers `UNAVAILABLE` at once while its connection is down
 * (`ingest/redis-availability.ts`). The queue is kept (rather than `enableOfflineQueue: false`) because the
 * blocking readers — the rules worker and the Socket.IO adapter's XREAD loop, which retries at once — would
 * otherwise spin on immediate failures.
 */
export const REDIS_CLIENT_OPTIONS: RedisOptions = {
  lazyConnect: true,
  maxRetriesPerRequest: REDIS_MAX_RETRIES_PER_REQUEST,
  enableOfflineQueue: true,
  connectTimeout: 3000,
  retryStrategy: (attempt: number) => Math.min(attempt * 100, REDIS_RECONNECT_MAX_MS),
};

/** The client options for this configuration: through Redis Sentinel when sentinels are configured. */
export function redisOptionsFor(config: Pick<Config, 'redisSentinels' | 'redisSentinelName'>): RedisOptions {
  if (!config.redisSentinels) return REDIS_CLIENT_OPTIONS;
  return {
    ...REDIS_CLIENT_OPTIONS,
    sentinels: config.redisSentinels,
    name: config.redisSentinelName,
    // Keep asking the sentinels while they are all away, like the reconnects to a plain Redis.
    sentinelRetryStrategy: (attempt: number) => Math.min(attempt * 100, REDIS_RECONNECT_MAX_MS),
  };
}

export interface RunningServer {
  app: App;
  redis: Redis;
  port: number;
  stop(): Promise<void>;
}

/** Connect to Redis, wire the app and listen. The real wiring used by the entry file and the start script. */
export async function startServer({
  config,
  log,
  clock = systemClock,
}: {
  config: Config;
  log: Logger;
  clock?: Clock;
}): Promise<RunningServer> {
  const redis = new Redis(config.redisUrl, redisOptionsFor(config));
  redis.on('error', (error: Error) => log.warn({ err: error.message }, 'redis connection error'));
  redis.on('ready', () => log.info('redis connection ready'));
  await redis.connect();
  const app = createApp({ redis, clock, config, log });
  let port: number;
  try {
    port = await app.listen();
  } catch (error) {
    await app.close();
    redis.disconnect();
    throw error;
  }
  return {
    app,
    redis,
    port,
    async stop() {
      await app.close();
      redis.disconnect();
    },
  };
}
