import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '@beacon/shared';
import { freePort } from '../../scripts/lib/ports.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface Launched {
  child: ChildProcess;
  port: number;
  base: string;
  output(): string;
  exit: Promise<number | null>;
}

/** `tsx scripts/start.ts` with its own port and data dir, no client build, the demo on. */
/** Whether nothing listens on the port now. */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

async function launch(dataDir: string, args: string[] = []): Promise<Launched> {
  // With --nodes N the extra nodes take PORT+1…: find a port whose neighbours are free too.
  const nodes = Number(args[args.indexOf('--nodes') + 1] ?? 1) || 1;
  let port = await freePort();
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const free = await Promise.all(Array.from({ length: nodes - 1 }, (_, i) => portIsFree(port + i + 1)));
    if (free.every(Boolean)) break;
    port = await freePort();
  }
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    BEACON_DEMO: '1',
    BEACON_DATA_DIR: dataDir,
    BEACON_SKIP_CLIENT_BUILD: '1',
    LOG_LEVEL: 'warn',
  };
  delete env.REDIS_URL;
  const child = spawn(path.join(repoRoot, 'node_modules/.bin/tsx'), ['scripts/start.ts', ...args], {
    cwd: repoRoot,
    env,
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, port, base: `http://127.0.0.1:${port}`, output: () => output, exit };
}

/** Poll an HTTP endpoint of another process until `accept` says yes (there is no event to await). */
async function pollJson<T>(run: Launched, route: string, accept: (body: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = 'no answer';
  while (Date.now() < deadline) {
    if (run.child.exitCode !== null)
      throw new Error(`start.ts exited (${run.child.exitCode}) while waiting for ${route}`);
    try {
      // The demo prints its wall display token in the banner; signed-in routes take it as a bearer token.
      const token = /\?display=([\w-]+)/.exec(run.output())?.[1];
      const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
      const body = (await (await fetch(`${run.base}${route}`, { headers })).json()) as T;
      last = body;
      if (accept(body)) return body;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${route}; last answer: ${JSON.stringify(last)}`);
}

function portIsClosed(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const readPid = (file: string) => Number(fs.readFileSync(file, 'utf8'));

describe('pnpm start (scripts/start.ts)', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'beacon-start-'));
  const redisPidFile = path.join(dataDir, 'redis/redis.pid');
  const launched: Launched[] = [];

  afterAll(() => {
    // Only if a test failed half-way: leave nothing behind.
    for (const run of launched) if (run.child.exitCode === null) run.child.kill('SIGKILL');
    for (const file of [redisPidFile, path.join(dataDir, 'beacon.pid')]) {
      const pid = fs.existsSync(file) ? readPid(file) : 0;
      if (pid > 0 && isAlive(pid)) process.kill(pid, 'SIGKILL');
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** Run a test body; on failure, show what start.ts printed. */
  async function withOutput(run: Launched, body: () => Promise<void>): Promise<void> {
    try {
      await body();
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- start.ts output ---\n${run.output()}`, { cause: error });
    }
  }

  it('starts Redis, the server and the demo, serves health and units, and stops cleanly on SIGTERM', async () => {
    const run = await launch(dataDir);
    launched.push(run);
    await withOutput(run, async () => {
      expect(await pollJson(run, '/healthz', (b: { ok?: boolean }) => b.ok === true, 15_000)).toEqual({
        ok: true,
        redis: 'up',
      });
      const snapshot = await pollJson<{ ok: boolean; data: Snapshot }>(
        run,
        '/api/v1/snapshot',
        (b) => b.ok && b.data.units.length > 0,
        10_000,
      );
      expect(snapshot.data.units[0]!.id).toMatch(/^BJ-\d\d$/);
      expect(run.output()).toContain(`http://127.0.0.1:${run.port}/console`);
      // The demo plays the crews of BJ-02 … BJ-12 over their own terminal devices; BJ-01 is left to a person.
      expect(run.output()).toMatch(/demo crews +BJ-02 … BJ-12 answer dispatches by themselves; BJ-01 is left to you/);
      const demoDevices = JSON.parse(fs.readFileSync(path.join(dataDir, 'demo-devices.json'), 'utf8')) as {
        terminals: Record<string, { deviceId: string }>;
      };
      expect(Object.keys(demoDevices.terminals)).toHaveLength(11);
      expect(demoDevices.terminals['BJ-02']?.deviceId).toBe('CAR-BJ-02');
      expect(demoDevices.terminals['BJ-01']).toBeUndefined();
      const redisPort = Number(/redis:\/\/127\.0\.0\.1:(\d+)/.exec(run.output())?.[1]);
      const redisPid = readPid(redisPidFile);
      expect(redisPort).toBeGreaterThan(0);
      expect(isAlive(redisPid)).toBe(true);

      run.child.kill('SIGTERM');
      expect(await run.exit).toBe(0);
      expect(isAlive(redisPid)).toBe(false);
      expect(await portIsClosed(redisPort)).toBe(true);
      expect(await portIsClosed(run.port)).toBe(true);
      expect(fs.existsSync(redisPidFile)).toBe(false);
      expect(fs.existsSync(path.join(dataDir, 'redis/appendonlydir'))).toBe(true);
    });
  }, 20_000);

  it('runs two server nodes on one Redis with --nodes 2, and stops both', async () => {
    const run = await launch(dataDir, ['--nodes', '2']);
    launched.push(run);
    await withOutput(run, async () => {
      await pollJson(run, '/healthz', (b: { ok?: boolean }) => b.ok === true, 15_000);
      for (let i = 0; i < 200 && !/server nodes .*\n/.test(run.output()); i += 1) {
        await new Promise((r) => setTimeout(r, 100));
      }
      const line = /server nodes (.*)\n/.exec(run.output())?.[1] ?? '';
      const ports = [...line.matchAll(/:(\d+)/g)].map((m) => Number(m[1]));
      expect(ports[0]).toBe(run.port);
      const second = ports[1]!;
      expect(second).toBeGreaterThan(0);
      // The second node serves the same situation from the same Redis.
      const body = await pollJson<{ ok: boolean; data: Snapshot }>(
        { ...run, base: `http://127.0.0.1:${second}` },
        '/api/v1/snapshot',
        (b) => b.ok && b.data.units.length > 0,
        15_000,
      );
      expect(body.data.units.length).toBeGreaterThan(0);
      run.child.kill('SIGTERM');
      expect(await run.exit).toBe(0);
      expect(await portIsClosed(second)).toBe(true);
    });
  }, 40_000);

  it('stops a redis-server left behind by a killed run before starting its own on the same data', async () => {
    const crashed = await launch(dataDir);
    launched.push(crashed);
    let strandedRedis = 0;
    await withOutput(crashed, async () => {
      await pollJson(crashed, '/healthz', (b: { ok?: boolean }) => b.ok === true, 15_000);
      strandedRedis = readPid(redisPidFile);
      // Kill the node process running start.ts (its pid is in the data dir lock), as a crash would.
      process.kill(readPid(path.join(dataDir, 'beacon.pid')), 'SIGKILL');
      await crashed.exit;
      expect(isAlive(strandedRedis)).toBe(true);
    });

    const next = await launch(dataDir);
    launched.push(next);
    await withOutput(next, async () => {
      await pollJson(next, '/healthz', (b: { ok?: boolean }) => b.ok === true, 15_000);
      expect(next.output()).toContain(`left over from an earlier run (pid ${strandedRedis})`);
      expect(isAlive(strandedRedis)).toBe(false);
      expect(readPid(redisPidFile)).not.toBe(strandedRedis);
      next.child.kill('SIGTERM');
      expect(await next.exit).toBe(0);
    });
  }, 20_000);
});
