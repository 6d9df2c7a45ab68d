import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { ensureDebianCommand } from './debian.ts';
import { freePort } from './ports.ts';

export interface RedisProcess {
  url: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Start a private redis-server on a free loopback port. With `dataDir` it keeps an AOF there
 * (the `pnpm start` case); without, it is a throw-away instance with persistence off (tests).
 */
export async function startRedisServer({
  dataDir,
  detached = false,
  log = () => undefined,
}: {
  dataDir?: string;
  /**
   * Run redis-server in its own process group, so a Ctrl-C in the terminal reaches only the parent,
   * which then stops Redis last, after everything that writes to it.
   */
  detached?: boolean;
  log?: (line: string) => void;
} = {}): Promise<RedisProcess> {
  const binary = ensureDebianCommand('redis-server', 'redis-server', log);
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const port = await freePort();
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--protected-mode', 'yes', '--save', ''];
    if (dataDir) {
      fs.mkdirSync(dataDir, { recursive: true });
      args.push('--dir', dataDir, '--appendonly', 'yes', '--appendfsync', 'everysec');
    } else {
      args.push('--appendonly', 'no');
    }
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], detached });
    let output = '';
    // Keep the tail only: a long-running server logs for days.
    const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8000));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const ready = await waitForPort(port, child, 10_000);
    if (!ready) {
      child.kill('SIGKILL');
      if (/Address already in use/i.test(output)) continue;
      throw new Error(`redis-server did not start:\n${output.slice(-2000)}`);
    }
    return {
      url: `redis://127.0.0.1:${port}`,
      port,
      process: child,
      stop: () => stopProcess(child),
    };
  }
  throw new Error('could not find a free port for redis-server');
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) return false;
    if (await pingRedis(port)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

/** Whether a redis-server answers PING on this loopback port (a raw RESP exchange, no client library). */
export function pingRedis(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.setTimeout(500);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** SIGTERM, then SIGKILL if it has not exited after a few seconds. */
export function stopProcess(child: ChildProcess, graceMs = 5000): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
