import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { createLogger, parseConfig, startServer, type RunningServer } from '@beacon/server';
import { freePort } from '../../scripts/lib/ports.ts';
import { startRedisServer, stopProcess, type RedisProcess } from '../../scripts/lib/redis-server.ts';

/** A real Redis Sentinel (redis-server --sentinel) watching `primary` as `beacon-primary`. */
async function startSentinel(primary: RedisProcess, dir: string) {
  const port = await freePort();
  const conf = path.join(dir, 'sentinel.conf');
  fs.writeFileSync(
    conf,
    [
      `port ${port}`,
      'bind 127.0.0.1',
      `dir ${dir}`,
      `sentinel monitor beacon-primary 127.0.0.1 ${primary.port} 1`,
      'sentinel down-after-milliseconds beacon-primary 5000',
      '',
    ].join('\n'),
  );
  const child = spawn('redis-server', [conf, '--sentinel'], { stdio: 'ignore' });
  const probe = new Redis({ port, lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => 100 });
  probe.on('error', () => undefined);
  for (let i = 0; i < 100; i += 1) {
    try {
      await probe.connect().catch(() => undefined);
      const master = (await probe.call('SENTINEL', 'get-master-addr-by-name', 'beacon-primary')) as string[] | null;
      if (master?.[1] === String(primary.port)) break;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  probe.disconnect();
  return { port, stop: () => stopProcess(child) };
}

describe('Redis Sentinel', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it('finds the primary through the sentinels and works as with a plain Redis', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'beacon-sentinel-'));
    const primary = await startRedisServer();
    cleanup.push(() => primary.stop());
    const sentinel = await startSentinel(primary, dir);
    cleanup.push(() => sentinel.stop());

    const config = parseConfig({
      // The host in REDIS_URL is ignored under Sentinel: only the sentinels say where the primary is.
      redisUrl: 'redis://ignored.invalid:1',
      redisSentinels: `127.0.0.1:${sentinel.port}`,
      redisSentinelName: 'beacon-primary',
      port: 0,
      host: '127.0.0.1',
      logLevel: 'silent',
    });
    const server: RunningServer = await startServer({ config, log: createLogger('silent') });
    cleanup.push(() => server.stop());

    const health = (await (await fetch(`http://127.0.0.1:${server.port}/healthz`)).json()) as { redis: string };
    expect(health.redis).toBe('up');
    const { key } = await server.app.devices.addDevice({ deviceId: 'cam', kind: 'camera' }, Date.now(), {
      replace: true,
    });
    const res = await fetch(`http://127.0.0.1:${server.port}/api/v1/ingest`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Device cam:${key}` },
      body: JSON.stringify({
        events: [{ kind: 'pedestrian', eventId: 'p1', ts: Date.now() - 1000, lon: 105.6, lat: 27.15, confidence: 0.9 }],
      }),
    });
    expect(await res.json()).toMatchObject({ ok: true, data: { accepted: 1 } });
    // It landed in the primary the sentinel named.
    const direct = new Redis(primary.url);
    expect(await direct.xlen('beacon:ingest')).toBe(1);
    direct.disconnect();
  });

  it('refuses a malformed sentinel list at start', () => {
    expect(() => parseConfig({ redisUrl: 'redis://x', redisSentinels: 'no-port' })).toThrow(/redisSentinels/);
  });
});
