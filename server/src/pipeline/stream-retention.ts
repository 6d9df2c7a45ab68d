import type { Clock } from '@beacon/shared';
import type { Redis } from 'ioredis';
import type { Logger } from '../log.ts';
import { readStreamGroups } from '../redis/stream-groups.ts';

/** Compare two stream ids (`ms-seq`). */
export function compareStreamIds(a: string, b: string): number {
  const [am = 0, as = 0] = a.split('-').map(Number);
  const [bm = 0, bs = 0] = b.split('-').map(Number);
  return am - bm || as - bs;
}

/**
 * The oldest entry a consumer group still needs: its oldest pending entry, else the one after its last
 * delivered entry. Null when the stream has no groups.
 */
async function oldestNeeded(redis: Redis, stream: string): Promise<string | null> {
  let oldest: string | null = null;
  for (const group of await readStreamGroups(redis, stream)) {
    const [ms = 0, seq = 0] = group.lastDeliveredId.split('-').map(Number);
    let needed = `${ms}-${seq + 1}`;
    const summary = (await redis.xpending(stream, group.name)) as [number, string | null, string | null, unknown];
    if (summary[0] > 0 && summary[1]) needed = summary[1];
    if (oldest === null || compareStreamIds(needed, oldest) < 0) oldest = needed;
  }
  return oldest;
}

/**
 * Age cap of the streams. XADD already caps length (MAXLEN ~); this trims entries older than
 * `maxAgeMs` by stream id (ids start with the append time in ms) once a minute — but never an entry a
 * consumer group has not finished (the rules pipeline catching up after an outage keeps its backlog).
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
    const byAge = `${Math.max(0, clock.now() - maxAgeMs)}-0`;
    let trimmed = 0;
    for (const stream of streams) {
      const needed = await oldestNeeded(redis, stream);
      const minId = needed !== null && compareStreamIds(needed, byAge) < 0 ? needed : byAge;
      trimmed += Number(await redis.xtrim(stream, 'MINID', '~', minId));
    }
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
