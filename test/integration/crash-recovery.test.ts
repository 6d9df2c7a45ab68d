import { execFile, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INGEST_NAMESPACE, type Ack, type IngestResult } from '@beacon/shared';
import { groupCaughtUp, readStreamGroups } from '@beacon/server';
import { freePort } from '../../scripts/lib/ports.ts';
import { startRedisServer, stopProcess, type RedisProcess } from '../../scripts/lib/redis-server.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const tsx = path.join(repoRoot, 'node_modules/.bin/tsx');
const run = promisify(execFile);

/** `pnpm beacon …` as an operator runs it. */
async function beacon(redisUrl: string, ...args: string[]): Promise<string> {
  const { stdout } = await run(tsx, ['scripts/beacon.ts', ...args], {
    cwd: repoRoot,
    env: { ...process.env, REDIS_URL: redisUrl },
  });
  return stdout;
}

/**
 * The real server as its own process: node with tsx as a loader, not the `tsx` CLI, which runs the server
 * in a child process of its own that a SIGKILL of the CLI would leave running.
 */
function startServerProcess(redisUrl: string, port: number): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      REDIS_URL: redisUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      BEACON_PIPELINE_BLOCK_MS: '100',
      BEACON_PIPELINE_CLAIM_IDLE_MS: '300',
    },
    stdio: 'ignore',
  });
}

function healthy(port: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}/healthz`)
    .then((r) => r.ok)
    .catch(() => false);
}

async function waitHealthy(port: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (await healthy(port)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('server did not become healthy');
}

describe('operators and crashes', () => {
  let redisServer: RedisProcess;
  let redis: Redis;
  const servers: ChildProcess[] = [];

  beforeAll(async () => {
    redisServer = await startRedisServer();
    redis = new Redis(redisServer.url);
  });
  afterAll(async () => {
    for (const server of servers) await stopProcess(server);
    redis.disconnect();
    await redisServer.stop();
  });

  it('loses nothing that was acknowledged when the server is killed mid-stream and restarted', async () => {
    const output = await beacon(redisServer.url, 'devices:add', 'crash-car', '--kind', 'patrol');
    const key = /key \(shown once[^:]*\): (\S+)/.exec(output)?.[1];
    expect(key).toMatch(/^bk_/);
    expect(await beacon(redisServer.url, 'devices:list')).toMatch(/crash-car\s+patrol\s+active/);

    const port = await freePort();
    servers.push(startServerProcess(redisServer.url, port));
    await waitHealthy(port);

    const socket: Socket = connect(`http://127.0.0.1:${port}${INGEST_NAMESPACE}`, {
      auth: { deviceId: 'crash-car', key },
      transports: ['websocket'],
      reconnectionDelay: 100,
      reconnectionDelayMax: 200,
    });
    const acked = new Set<string>();
    let seq = 0;
    let lastAckedTs = 0;
    const t0 = Date.now() - 3600_000;
    const sendOne = async (): Promise<void> => {
      seq += 1;
      const eventId = `e${seq}`;
      const ts = t0 + seq * 100;
      const fix = { eventId, ts, unitId: 'CR-1', lon: 105 + seq * 1e-5, lat: 27 };
      const response = (await socket
        .timeout(2000)
        .emitWithAck('gps:reported', fix)
        .catch(() => null)) as Ack<IngestResult> | null;
      if (response?.ok && response.data.accepted === 1) {
        acked.add(eventId);
        lastAckedTs = Math.max(lastAckedTs, ts);
      }
    };
    /** Eight senders keep events in flight, so the kill lands between a store and its ack for some. */
    const pump = async (until: () => boolean) => {
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          while (!until()) {
            if (socket.connected) await sendOne();
            else await new Promise((r) => setTimeout(r, 20));
          }
        }),
      );
    };

    await pump(() => acked.size >= 400);
    const first = servers[0]!;
    const killed = new Promise((r) => first.once('exit', r));
    first.kill('SIGKILL');
    await killed;
    // The process that served is gone: nothing answers on its port any more.
    expect(await healthy(port)).toBe(false);
    const ackedBeforeCrash = acked.size;

    servers.push(startServerProcess(redisServer.url, port));
    await waitHealthy(port);
    await pump(() => acked.size >= ackedBeforeCrash + 400);
    socket.disconnect();

    const entries = (await redis.xrange('beacon:ingest', '-', '+')) as [string, string[]][];
    const stored = new Set(
      entries.map(([, f]) => (JSON.parse(f[f.indexOf('payload') + 1]!) as { eventId: string }).eventId),
    );
    const lost = [...acked].filter((id) => !stored.has(id));
    expect(lost).toEqual([]);
    expect(stored.size).toBe(entries.length);
    expect(stored.size).toBeGreaterThanOrEqual(acked.size);

    // The restarted server's pipeline also takes over what the killed one had read but not finished.
    const deadline = Date.now() + 15_000;
    while (!(await groupCaughtUp(redis, 'beacon:ingest', 'rules'))) {
      if (Date.now() > deadline) {
        throw new Error(`pipeline stuck: ${JSON.stringify(await readStreamGroups(redis, 'beacon:ingest'))}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(Number(await redis.hget('beacon:unit:CR-1', 'lastFixAt'))).toBeGreaterThanOrEqual(lastAckedTs);
  });

  it('revokes a device from the command line and its live connection is closed', async () => {
    const output = await beacon(redisServer.url, 'devices:add', 'cli-cam', '--kind', 'camera');
    const key = /key \(shown once[^:]*\): (\S+)/.exec(output)![1]!;
    const port = await freePort();
    servers.push(startServerProcess(redisServer.url, port));
    await waitHealthy(port);
    const socket = connect(`http://127.0.0.1:${port}${INGEST_NAMESPACE}`, {
      auth: { deviceId: 'cli-cam', key },
      transports: ['websocket'],
      reconnection: false,
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    const cut = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
    expect(await beacon(redisServer.url, 'devices:revoke', 'cli-cam')).toMatch(/revoked cli-cam/);
    expect(await cut).toBe('io server disconnect');
    expect(await beacon(redisServer.url, 'devices:list')).toMatch(/cli-cam\s+camera\s+revoked/);
    await expect(beacon(redisServer.url, 'devices:add', 'cli-cam', '--kind', 'camera')).rejects.toThrow(
      /already exists/,
    );
  });
});
