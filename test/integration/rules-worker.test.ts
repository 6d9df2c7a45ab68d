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

  /**
   * A real worker on its own connection, with only the projection scripted; claims wait an hour, so nothing
   * here is projected by XAUTOCLAIM. Returns its counts once the group has caught up, and stops it.
   */
  async function runWorker(stream: string, project: (entries: StreamEntry[]) => Promise<void>) {
    const workerRedis = new Redis(redisServer.url);
    const worker = createRulesWorker({
      redis: workerRedis,
      stream,
      deadLetterStream: `${stream}:dead`,
      group: 'rules',
      consumer: 'only',
      projector: { project } as unknown as Projector,
      log: createLogger('silent'),
      blockMs: 50,
      claimIdleMs: 3_600_000,
    });
    await worker.start();
    try {
      const deadline = Date.now() + 10_000;
      while (!(await groupCaughtUp(redis, stream, 'rules'))) {
        if (Date.now() > deadline) throw new Error(`entries of ${stream} stayed pending`);
        await new Promise((r) => setTimeout(r, 25));
      }
      return worker.counts();
    } finally {
      await worker.stop();
      workerRedis.disconnect();
    }
  }

  it('re-reads its own delivered entries at once instead of leaving them pending until XAUTOCLAIM', async () => {
    const stream = 'test:worker:ingest';
    for (let i = 0; i < 10; i += 1) await redis.xadd(stream, '*', 'n', String(i));
    const seen: string[] = [];
    let failures = 2;
    // The projection fails twice, as it does while Redis is away.
    await runWorker(stream, async (entries) => {
      if (failures > 0) {
        failures -= 1;
        throw new Error('Redis went away mid-projection');
      }
      seen.push(...entries.map((e) => e.id));
    });
    expect(seen).toHaveLength(10);
    expect(new Set(seen).size).toBe(10);
  });

  it('parks an entry that fails on its own in the dead-letter stream, and goes on with the rest', async () => {
    const stream = 'test:worker:poison';
    const ids: string[] = [];
    for (let i = 0; i < 6; i += 1) ids.push((await redis.xadd(stream, '*', 'n', String(i)))!);
    const poison = ids[3]!;
    const seen = new Set<string>();
    const counts = await runWorker(stream, async (entries) => {
      if (entries.some((e) => e.id === poison)) throw new Error('a bug this entry trips');
      for (const e of entries) seen.add(e.id);
    });
    expect([...seen].sort()).toEqual(ids.filter((id) => id !== poison).sort());
    const dead = (await redis.xrange(`${stream}:dead`, '-', '+')) as [string, string[]][];
    expect(dead).toHaveLength(1);
    expect(dead[0]![1]).toEqual(['entryId', poison, 'error', 'a bug this entry trips', 'n', '3']);
    expect(counts.deadLettered).toBe(1);
  });

  it('lets go of its pending entries that were trimmed from the stream before it projected them', async () => {
    const stream = 'test:worker:trimmed';
    for (let i = 0; i < 4; i += 1) await redis.xadd(stream, '*', 'n', String(i));
    await redis.xgroup('CREATE', stream, 'rules', '0');
    // Delivered to this consumer before a crash, never acknowledged, then trimmed away.
    await redis.xreadgroup('GROUP', 'rules', 'only', 'COUNT', 10, 'STREAMS', stream, '>');
    await redis.xtrim(stream, 'MAXLEN', 2);
    const seen: string[] = [];
    await runWorker(stream, async (entries) => {
      seen.push(...entries.map((e) => e.id));
    });
    expect(seen).toHaveLength(2);
  });
});
