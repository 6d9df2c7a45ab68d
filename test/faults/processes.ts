import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { pingRedis } from '../../scripts/lib/redis-server.ts';
import { createDeviceStore } from '../../server/src/devices/device-store.ts';
import { createKeys } from '../../server/src/redis/keys.ts';
import type { DeviceKind } from '@beacon/shared';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Poll `check` until it holds; fail with `what` after `timeoutMs`. */
export async function until(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * A redis-server this test controls: fixed port and data directory, AOF with `appendfsync everysec` as the
 * managed instance of `pnpm start` runs it, so it can be SIGKILLed and started again on the same data.
 */
export async function spawnRedis(port: number, dir: string): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--dir',
      dir,
      '--appendonly',
      'yes',
      '--appendfsync',
      'everysec',
    ],
    { stdio: 'ignore' },
  );
  await until(async () => child.exitCode === null && (await pingRedis(port)), `redis-server on ${port}`, 10_000);
  return child;
}

export function killed(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  return exited;
}

/**
 * The real server (`server/src/main.ts`) in a process of its own — node with tsx as a loader, so the pid is
 * the server's and a SIGKILL reaches it. Its output is kept for the failure message.
 */
export function spawnServer(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: repoRoot,
    env: { ...process.env, HOST: '127.0.0.1', LOG_LEVEL: 'warn', BEACON_DEMO: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { child, output: () => output };
}

export async function healthz(port: number): Promise<'up' | 'down' | 'unreachable'> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(5000) });
    const body = (await res.json()) as { redis?: string };
    return body.redis === 'up' ? 'up' : 'down';
  } catch {
    return 'unreachable';
  }
}

/** Register a device straight in Redis (as `pnpm beacon devices:add` does) and return its key. */
export async function addDevice(
  redisUrl: string,
  deviceId: string,
  kind: DeviceKind,
  binding: { unitId?: string } = {},
): Promise<string> {
  const redis = new Redis(redisUrl);
  try {
    const devices = createDeviceStore({ redis, keys: createKeys('beacon') });
    return (await devices.addDevice({ deviceId, kind, ...binding }, Date.now(), { replace: true })).key;
  } finally {
    redis.disconnect();
  }
}
