import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RedisProcess } from '../../scripts/lib/redis-server.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const run = promisify(execFile);

/** `pnpm beacon …` as an operator runs it; resolves with stdout, or rejects with the exit code and stderr. */
async function beacon(redisUrl: string, ...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/beacon.ts', ...args], {
    cwd: repoRoot,
    env: { ...process.env, REDIS_URL: redisUrl, BEACON_KEY_PREFIX: 'beacon' },
  });
  return stdout;
}

/** Every key under beacon: with its type, TTL presence and full contents, for comparison. */
async function snapshotOf(redis: Redis): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const key of (await redis.keys('beacon:*')).sort()) {
    const type = await redis.type(key);
    const ttl = await redis.pttl(key);
    let value: unknown;
    if (type === 'string') value = await redis.get(key);
    else if (type === 'hash') value = await redis.hgetall(key);
    else if (type === 'list') value = await redis.lrange(key, 0, -1);
    else if (type === 'set') value = (await redis.smembers(key)).sort();
    else if (type === 'zset') value = await redis.zrange(key, 0, -1, 'WITHSCORES');
    else if (type === 'stream') {
      value = {
        entries: await redis.xrange(key, '-', '+'),
        groups: ((await redis.xinfo('GROUPS', key)) as unknown[][]).map((g) => [g[1], g[g.indexOf('pending') + 1]]),
      };
    }
    out[key] = { type, expires: ttl > 0, value };
  }
  return out;
}

describe('pnpm beacon backup / restore', () => {
  let source: RedisProcess;
  let target: RedisProcess;
  let from: Redis;
  let to: Redis;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'beacon-backup-'));
  const file = path.join(dir, 'beacon.jsonl.gz');

  beforeAll(async () => {
    [source, target] = await Promise.all([startRedisServer(), startRedisServer()]);
    from = new Redis(source.url);
    to = new Redis(target.url);
  });
  afterAll(async () => {
    from.disconnect();
    to.disconnect();
    await Promise.all([source.stop(), target.stop()]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('round-trips every key under the prefix, streams and consumer groups included, and nothing else', async () => {
    await from.hset('beacon:unit:BJ-01', { status: 'available', lon: '105.29', 'lat\u0000odd': '中文' });
    await from.set('beacon:seen:cam:e1', '1', 'EX', 3600);
    await from.set('beacon:bin', Buffer.from([0, 255, 1, 254]));
    await from.rpush('beacon:incident:INC-1:timeline', '{"a":1}', '{"b":2}');
    await from.sadd('beacon:devices', 'cam', 'car');
    await from.zadd('beacon:incidents', 1, 'INC-1', 2, 'INC-2');
    await from.geoadd('beacon:units:geo', 105.29, 27.3, 'BJ-01');
    const appends = from.pipeline();
    for (let i = 0; i < 2500; i += 1) appends.xadd('beacon:ingest', '*', 'kind', 'gps', 'payload', `{"i":${i}}`);
    await appends.exec();
    await from.xgroup('CREATE', 'beacon:ingest', 'rules', '0');
    await from.xreadgroup('GROUP', 'rules', 'node-a', 'COUNT', 10, 'STREAMS', 'beacon:ingest', '>');
    await from.set('other:key', 'not ours');
    const before = await snapshotOf(from);

    expect(await beacon(source.url, 'backup', '--out', file)).toMatch(/backed up 8 keys/);
    expect(fs.statSync(file).mode & 0o077).toBe(0);
    expect(await beacon(target.url, 'restore', file)).toMatch(/restored 8 keys/);
    expect(await snapshotOf(to)).toEqual(before);
    expect(await to.exists('other:key')).toBe(0);
    expect(await to.pttl('beacon:seen:cam:e1')).toBeGreaterThan(3_500_000);
    expect(await to.getBuffer('beacon:bin')).toEqual(Buffer.from([0, 255, 1, 254]));
  });

  it('refuses to restore over existing keys unless --replace, and then overwrites them', async () => {
    await to.hset('beacon:unit:BJ-01', 'status', 'off_duty');
    const refused = await beacon(target.url, 'restore', file).catch((error: { code: number; stderr: string }) => error);
    expect(refused).toMatchObject({ code: 1, stderr: expect.stringMatching(/already exist.*--replace/) });
    expect(await to.hget('beacon:unit:BJ-01', 'status')).toBe('off_duty');

    expect(await beacon(target.url, 'restore', file, '--replace')).toMatch(/restored 8 keys/);
    expect(await to.hget('beacon:unit:BJ-01', 'status')).toBe('available');
  });

  it('refuses a file that is not a Beacon backup, writing nothing', async () => {
    const junk = path.join(dir, 'junk.gz');
    fs.writeFileSync(junk, 'hello');
    await expect(beacon(target.url, 'restore', junk, '--replace')).rejects.toMatchObject({
      stderr: expect.stringMatching(/cannot read it|not JSON|not a Beacon backup/),
    });
    await expect(beacon(target.url, 'backup')).rejects.toMatchObject({ code: 2 });
  });
});
