import type { Clock } from '@beacon/shared';
import type { Redis } from 'ioredis';
import type { Logger } from '../log.ts';

/**
 * Age cap of the streams. XADD already caps length (MAXLEN ~); this trims entries older than
 * `maxAgeMs` by stream id (ids start with the append time in ms) once a minute.
 */
export function createStreamRetention({
  redis,
  streams,
  clock,
  maxAgeMs,
  log,
  everyMs = 60_000,
}: {
  redis: Redis;
  streams: string[];
  clock: Clock;
  maxAgeMs: number;
  log: Logger;
  everyMs?: number;
}) {
  let timer: NodeJS.Timeout | null = null;

  async function trimOnce(): Promise<number> {
    const minId = `${Math.max(0, clock.now() - maxAgeMs)}-0`;
    let trimmed = 0;
    for (const stream of streams) trimmed += Number(await redis.xtrim(stream, 'MINID', '~', minId));
    return trimmed;
  }

  return {
    trimOnce,
    start(): void {
      timer = setInterval(() => {
        trimOnce().catch((error: unknown) => log.warn({ err: error }, 'stream trim failed'));
      }, everyMs);
      timer.unref();
    },
    stop(): void {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}
