import { Redis } from 'ioredis';
import { systemClock, type Clock } from '@beacon/shared';
import { createApp, type App } from './app.ts';
import type { Config } from './config.ts';
import type { Logger } from './log.ts';

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
  const redis = new Redis(config.redisUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
  });
  redis.on('error', (error: Error) => log.warn({ err: error.message }, 'redis connection error'));
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
