import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupCaughtUp } from '@beacon/server';
import { createLogger } from '../../server/src/log.ts';
import { createRulesWorker } from '../../server/src/pipeline/rules-worker.ts';
import type { Projector, StreamEntry } from '../../server/src/pipeline/projector.ts';
import { startRedisServer, type RedisProcess } from '../../scripts/lib/redis-server.ts';

describe('the rules worker after a failure', () => {
  let redisServer: RedisProcess;
  let redis: Redis;
  beforeAll(async () => {
    redisServer = await startRedisServer();
    redis = new Redis(redisServer.url);
  });
  afterAll(async () => {
    redis.disconnect();
    await redisServer.stop();
  });

  it('re-reads its own delivered entries at once instead of leaving them pending until XAUTOCLAIM', async () => {
    const stream = 'test:worker:ingest';
    for (let i = 0; i < 10; i += 1) await redis.xadd(stream, '*', 'n', String(i));
    const seen: string[] = [];
    let failures = 2;
    // Only the projection is scripted (it fails twice, as it does while Redis is away); the stream, the
    // group and its pending list are real.
    const projector = {
      async project(entries: StreamEntry[]) {
        if (failures > 0) {
          failures -= 1;
          throw new Error('Redis went away mid-projection');
        }
        seen.push(...entries.map((e) => e.id));
      },
    } as unknown as Projector;
    const workerRedis = new Redis(redisServer.url);
    const worker = createRulesWorker({
      redis: workerRedis,
      stream,
      group: 'rules',
      consumer: 'only',
      projector,
      log: createLogger('silent'),
      blockMs: 50,
      // An hour: if the worker relied on claiming idle entries, nothing would be projected within the test.
      claimIdleMs: 3_600_000,
    });
    await worker.start();
    try {
      const deadline = Date.now() + 10_000;
      while (!(await groupCaughtUp(redis, stream, 'rules'))) {
        if (Date.now() > deadline) throw new Error('entries stayed pending after the failure');
        await new Promise((r) => setTimeout(r, 25));
      }
      expect(seen).toHaveLength(10);
      expect(new Set(seen).size).toBe(10);
    } finally {
      await worker.stop();
      workerRedis.disconnect();
    }
  });
});
