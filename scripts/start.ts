/**
 * One command runs everything: `pnpm start` (built client) or `pnpm dev` (Vite with hot reload).
 *
 *   1. Redis: REDIS_URL if set, else a private redis-server with its AOF in $BEACON_DATA_DIR/redis.
 *   2. Client: built when client/dist is missing or older than its sources (not with --dev, nor with
 *      BEACON_SKIP_CLIENT_BUILD=1).
 *   3. Server: in this process, on PORT (default 8080); with --nodes N, N − 1 more server nodes, each a
 *      process of its own (server/src/main.ts) on PORT+1 … PORT+N−1, sharing the same Redis.
 *   4. Demo feed: patrols, camera walk-ons and weather stations, unless BEACON_DEMO=0 (into the first node);
 *      the crews of BJ-02 … BJ-12 answer dispatches by themselves, BJ-01 is left to a person.
 *   5. --dev: Vite dev server proxying to the server.
 *
 * Ctrl-C / SIGTERM stops demo, the other nodes, the server, Vite and Redis in that order and exits 0; a
 * second Ctrl-C forces it.
 *
 * Environment: PORT, HOST, REDIS_URL, LOG_LEVEL and the server's other variables; BEACON_DATA_DIR (default
 * <repo>/.beacon), BEACON_DEMO (0 turns the feed off), BEACON_DEMO_SPEED (patrol speed-up, default 20),
 * BEACON_SKIP_CLIENT_BUILD (1 skips the build), BEACON_DEV_PORT (Vite, default 5173).
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger, loadConfig, startServer, type Config, type RunningServer } from '../server/src/index.ts';
import { startDemo, type Demo } from '../simulators/src/index.ts';
import { decideClientBuild, pnpmCommand } from './lib/client-build.ts';
import { provisionDemoDevices, writeDemoCredentials } from './lib/demo-devices.ts';
import { provisionDemoAccess, writeDemoAccess, type DemoAccess } from './lib/demo-access.ts';
import { lockDataDir, removePidFile, stopStaleRedis, writePidFile } from './lib/pidfile.ts';
import { startRedisServer, type RedisProcess } from './lib/redis-server.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const env = process.env;

function say(line: string): void {
  console.log(`[beacon] ${line}`);
}
function complain(line: string): void {
  console.error(`[beacon] ${line}`);
}

/** Thrown at a startup checkpoint once a shutdown has begun; not an error worth reporting. */
class Aborted extends Error {
  constructor() {
    super('startup aborted by shutdown');
  }
}

// ---------------------------------------------------------------------------------------------------------
// Options

const usage = 'Usage: tsx scripts/start.ts [--dev] [--nodes N]';
const args = process.argv.slice(2);
let nodeCount = 1;
const unknownArgs: string[] = [];
for (let i = 0; i < args.length; i += 1) {
  const arg = args[i]!;
  if (arg === '--dev') continue;
  const nodes = arg === '--nodes' ? args[++i] : arg.startsWith('--nodes=') ? arg.slice('--nodes='.length) : null;
  if (nodes === null) unknownArgs.push(arg);
  else if (/^([1-9]|1[0-6])$/.test(nodes ?? '')) nodeCount = Number(nodes);
  else {
    complain(`--nodes must be a whole number from 1 to 16, got "${nodes ?? ''}". ${usage}`);
    process.exit(2);
  }
}
if (unknownArgs.length > 0) {
  complain(`unknown argument ${unknownArgs.join(' ')}. ${usage}`);
  process.exit(2);
}
const dev = args.includes('--dev');
const isOff = (value: string | undefined) => value !== undefined && /^(0|false|no|off)$/i.test(value.trim());
const isOn = (value: string | undefined) => value !== undefined && /^(1|true|yes|on)$/i.test(value.trim());
const demoEnabled = !isOff(env.BEACON_DEMO);
const skipClientBuild = isOn(env.BEACON_SKIP_CLIENT_BUILD);
/** Patrols cover a 300 km region: at real speed they barely move on the wall, so the demo runs faster. */
const demoSpeed = Number(env.BEACON_DEMO_SPEED || 20);
if (!(demoSpeed > 0 && demoSpeed <= 1000)) {
  complain(`BEACON_DEMO_SPEED must be a number in (0, 1000], got "${env.BEACON_DEMO_SPEED}"`);
  process.exit(2);
}
const dataDir = path.resolve(env.BEACON_DATA_DIR || path.join(repoRoot, '.beacon'));
const redisUrlFile = path.join(dataDir, 'redis.url');
const redisDir = path.join(dataDir, 'redis');
const redisPidFile = path.join(redisDir, 'redis.pid');
const lockFile = path.join(dataDir, 'beacon.pid');
const devPort = Number(env.BEACON_DEV_PORT || 5173);

// ---------------------------------------------------------------------------------------------------------
// What is running, so that shutdown stops exactly that

const running: {
  build?: ChildProcess;
  releaseLock?: () => void;
  redis?: RedisProcess;
  server?: RunningServer;
  /** Server nodes 2 … N (`--nodes N`), one process each. */
  nodes: ChildProcess[];
  demo?: Demo;
  vite?: ChildProcess;
} = { nodes: [] };
let stopping = false;
let startup: Promise<void> = Promise.resolve();

function checkpoint(): void {
  if (stopping) throw new Aborted();
}

async function start(): Promise<void> {
  // Client first: it is the slow step, and if it fails there is nothing to clean up.
  if (dev) say('dev mode: Vite serves the client with hot reload; not building it');
  else if (skipClientBuild) say('BEACON_SKIP_CLIENT_BUILD is set; not building the client');
  else await buildClientIfNeeded();
  checkpoint();

  let redisUrl = env.REDIS_URL;
  let redisNote: string;
  if (redisUrl) {
    redisNote = `${redactUrl(redisUrl)} (from REDIS_URL)`;
    say(`using Redis at ${redisNote}`);
  } else {
    fs.mkdirSync(redisDir, { recursive: true });
    running.releaseLock = lockDataDir(lockFile, /start\.ts/);
    await stopStaleRedis(redisPidFile, redisDir, say);
    checkpoint();
    const redis = await startRedisServer({ dataDir: redisDir, detached: true, log: say });
    running.redis = redis;
    const pid = redis.process.pid!;
    writePidFile(redisPidFile, pid);
    redis.process.once('exit', (code, signal) => {
      if (stopping) return;
      complain(`redis-server exited unexpectedly (${signal ?? `exit code ${code}`})`);
      void shutdown(1, 'redis-server exited');
    });
    redisUrl = redis.url;
    // `pnpm beacon …` finds the private Redis of a running `pnpm start` through this file.
    fs.writeFileSync(redisUrlFile, `${redis.url}\n`, { mode: 0o600 });
    redisNote = `${redis.url} (pid ${pid}, data in ${path.relative(process.cwd(), redisDir) || redisDir})`;
    checkpoint();
  }

  const nodeEnv: NodeJS.ProcessEnv = {
    ...env,
    REDIS_URL: redisUrl,
    BEACON_DEMO_NOTICE: env.BEACON_DEMO_NOTICE ?? (demoEnabled ? `demo×${demoSpeed}` : undefined),
    // Demo patrols move demoSpeed× faster than they report; do not flag that as GPS jumps.
    BEACON_IMPLAUSIBLE_SPEED_KMH:
      env.BEACON_IMPLAUSIBLE_SPEED_KMH ?? (demoEnabled ? String(250 * demoSpeed) : undefined),
    // The demo weather stations send precipitation as a rate in mm/h.
    BEACON_RAIN_INTERPRETATION: env.BEACON_RAIN_INTERPRETATION ?? (demoEnabled ? 'ratePerHour' : undefined),
  };
  const config = loadConfig({ ...nodeEnv, BEACON_NODE_ID: nodeIdFor(1) });
  const log = createLogger(config.logLevel);
  running.server = await startServer({ config, log }).catch((error: unknown) => {
    throw explainServerError(error, config, redisUrl);
  });
  checkpoint();
  const port = running.server.port;
  const serverUrl = `http://${loopbackFor(config.host)}:${port}`;
  const nodePorts = [port];
  for (let n = 2; n <= nodeCount; n += 1) {
    const nodePort = config.port === 0 ? 0 : config.port + n - 1;
    nodePorts.push(
      await startNode(n, { ...nodeEnv, PORT: String(nodePort), BEACON_NODE_ID: nodeIdFor(n) }).catch(
        (error: unknown) => {
          throw explainServerError(error, { ...config, port: nodePort }, redisUrl);
        },
      ),
    );
    checkpoint();
  }

  let demoAccess: DemoAccess | null = null;
  if (demoEnabled) {
    demoAccess = await provisionDemoAccess(
      running.server.app.access,
      running.server.app.areas.roots[0] ?? '',
      Date.now(),
    );
    writeDemoAccess(path.join(dataDir, 'demo-access.json'), demoAccess);
    const credentials = await provisionDemoDevices(running.server.app.devices, Date.now());
    writeDemoCredentials(path.join(dataDir, 'demo-devices.json'), credentials);
    running.demo = await startDemo({
      credentials,
      serverUrl,
      regionDir: config.regionDir,
      speed: demoSpeed,
      log: log.child({ module: 'demo' }),
    });
    checkpoint();
  }

  if (dev) running.vite = startVite(serverUrl);

  printBanner({ ports: nodePorts, host: config.host, redisNote, demoAccess });
}

/** With BEACON_NODE_ID and several nodes, node n is `<BEACON_NODE_ID>-n`; otherwise each node names itself. */
function nodeIdFor(n: number): string | undefined {
  if (!env.BEACON_NODE_ID) return undefined;
  return nodeCount > 1 ? `${env.BEACON_NODE_ID}-${n}` : env.BEACON_NODE_ID;
}

/** Fork server node `n` (server/src/main.ts, same loader) and resolve with its port once it listens. */
function startNode(n: number, nodeEnv: NodeJS.ProcessEnv): Promise<number> {
  const child = fork(path.join(repoRoot, 'server/src/main.ts'), [], {
    env: nodeEnv,
    // Own process group: Ctrl-C reaches this script only, which stops the nodes in order.
    detached: true,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  running.nodes.push(child);
  return new Promise((resolve, reject) => {
    child.on('message', (message: { type?: string; port?: number }) => {
      if (message.type === 'listening' && typeof message.port === 'number') resolve(message.port);
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      const reason = `server node ${n} exited (${signal ?? `exit code ${code}`})`;
      reject(new Error(reason));
      if (stopping) return;
      complain(reason);
      void shutdown(1, reason);
    });
  });
}

// ---------------------------------------------------------------------------------------------------------
// Steps

function buildClientIfNeeded(): Promise<void> {
  const decision = decideClientBuild(repoRoot);
  if (!decision.build) {
    if ('warning' in decision && decision.warning) complain(`warning: ${decision.reason}`);
    else say(decision.reason);
    return Promise.resolve();
  }
  say(`building the client: ${decision.reason}…`);
  const { command, args: pnpmArgs } = pnpmCommand();
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...pnpmArgs, '--filter', '@beacon/client', 'build'], {
      cwd: repoRoot,
      stdio: 'inherit',
    });
    running.build = child;
    child.once('error', (error) => {
      running.build = undefined;
      reject(new Error(`cannot run pnpm to build the client: ${error.message}`));
    });
    child.once('exit', (code, signal) => {
      running.build = undefined;
      if (code === 0) resolve();
      else if (stopping) reject(new Aborted());
      else
        reject(
          new Error(
            `the client build failed (${signal ?? `exit code ${code}`}). Fix it, or set BEACON_SKIP_CLIENT_BUILD=1 ` +
              'to start without building the client.',
          ),
        );
    });
  });
}

function startVite(serverUrl: string): ChildProcess {
  // What `pnpm --filter @beacon/client exec vite` runs, without pnpm in between: pnpm puts its child in a
  // process group of its own and reports a failure when we stop it. Falls back to pnpm when not installed.
  const viteBin = path.join(repoRoot, 'client/node_modules/.bin/vite');
  const { command: pnpm, args: pnpmArgs } = pnpmCommand();
  const [command, commandArgs, cwd] = fs.existsSync(viteBin)
    ? [viteBin, [], path.join(repoRoot, 'client')]
    : [pnpm, [...pnpmArgs, '--filter', '@beacon/client', 'exec', 'vite'], repoRoot];
  // Own process group, so that we can stop it (and anything under it) after the server.
  // stdin is not inherited: a background process group reading the terminal would be stopped.
  const child = spawn(command, commandArgs, {
    cwd,
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
    env: { ...env, BEACON_SERVER_URL: serverUrl, BEACON_DEV_PORT: String(devPort) },
  });
  child.once('error', (error) => {
    if (stopping) return;
    complain(`cannot start Vite: ${error.message}`);
    void shutdown(1, 'Vite failed');
  });
  child.once('exit', (code, signal) => {
    if (stopping) return;
    complain(`Vite exited unexpectedly (${signal ?? `exit code ${code}`})`);
    void shutdown(1, 'Vite exited');
  });
  return child;
}

/** SIGTERM to a detached child's whole process group, SIGKILL if it lingers. */
function stopGroup(child: ChildProcess, graceMs = 5000): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return resolve();
    const pid = child.pid;
    const signalGroup = (signal: NodeJS.Signals) => {
      try {
        process.kill(-pid, signal);
      } catch {
        child.kill(signal);
      }
    };
    const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    signalGroup('SIGTERM');
  });
}

function explainServerError(error: unknown, config: Config, redisUrl: string): Error {
  const err = error as NodeJS.ErrnoException;
  if (err.code === 'EADDRINUSE') {
    return new Error(
      `port ${config.port} on ${config.host} is already in use (another Beacon?). Set PORT to another port.`,
      {
        cause: error,
      },
    );
  }
  if (err.code === 'EACCES') {
    return new Error(`not allowed to listen on port ${config.port}. Set PORT to a port above 1024.`, { cause: error });
  }
  if (/ECONNREFUSED|ENOTFOUND|ETIMEDOUT|connect/i.test(err.message ?? '')) {
    return new Error(`cannot connect to Redis at ${redactUrl(redisUrl)}: ${err.message}`, { cause: error });
  }
  return err instanceof Error ? err : new Error(String(error));
}

function loopbackFor(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}

function printBanner({
  ports,
  host,
  redisNote,
  demoAccess,
}: {
  ports: number[];
  host: string;
  redisNote: string;
  demoAccess: DemoAccess | null;
}): void {
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : loopbackFor(host);
  const api = `http://${shown}:${ports[0]}`;
  const ui = dev ? `http://localhost:${devPort}` : api;
  const lines = [
    '',
    `Beacon is running${dev ? ' (dev mode: Vite with hot reload)' : ''}`,
    `  wall               ${ui}/${demoAccess ? `?display=${demoAccess.wallToken}` : '  (sign in, or a display token: pnpm beacon display:add)'}`,
    `  dispatcher console ${ui}/console`,
    ...(demoAccess
      ? demoAccess.users.map((u) => `    sign in as        ${u.username} / ${u.password}   (${u.role}, demo only)`)
      : ['    sign in as        a user added with `pnpm beacon users:add`']),
    `  patrol terminal    ${ui}/patrol/BJ-01`,
    `  health             ${api}/healthz`,
    ...(dev ? [`  server (API, WS)   ${api}`] : []),
    ...(ports.length > 1
      ? [
          `  server nodes       ${ports.map((p) => `http://${shown}:${p}`).join('  ')} (one Redis; any node serves any screen)`,
        ]
      : []),
    `  redis              ${redisNote}`,
    `  demo feed          ${demoEnabled ? `on (12 patrols, 14 weather stations, a pedestrian walk-on within 5 s, then every 2–4 min${demoSpeed !== 1 ? `, patrols move ×${demoSpeed}` : ''})` : 'off (BEACON_DEMO=0)'}`,
    ...(demoEnabled
      ? [
          `  demo crews         BJ-02 … BJ-12 answer dispatches by themselves; BJ-01 is left to you: ${ui}/patrol/BJ-01 (register its key: pnpm beacon devices:add CAR-BJ-01 --kind patrol --unit BJ-01)`,
        ]
      : []),
    '',
    'Press Ctrl-C to stop.',
    '',
  ];
  console.log(lines.join('\n'));
}

// ---------------------------------------------------------------------------------------------------------
// Shutdown

async function step(name: string, run: (() => Promise<void>) | undefined, timeoutMs = 10_000): Promise<void> {
  if (!run) return;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      run(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`did not stop within ${timeoutMs / 1000} s`)), timeoutMs);
      }),
    ]);
  } catch (error) {
    complain(`error while stopping the ${name}: ${(error as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
}

async function shutdown(code: number, reason: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  say(`stopping (${reason})…`);
  running.build?.kill('SIGTERM');
  await startup.catch(() => undefined);
  const { demo, server, vite, redis, nodes } = running;
  await step('demo feed', demo && (() => demo.stop()));
  await step(
    'other server nodes',
    nodes.length > 0 ? () => Promise.all(nodes.map((n) => stopGroup(n))).then(() => undefined) : undefined,
  );
  await step('server', server && (() => server.stop()));
  await step('Vite dev server', vite && (() => stopGroup(vite)));
  await step(
    'redis-server',
    redis &&
      (async () => {
        await redis.stop();
        removePidFile(redisPidFile, redis.process.pid);
        fs.rmSync(redisUrlFile, { force: true });
      }),
  );
  running.releaseLock?.();
  say(code === 0 ? 'stopped' : 'stopped after an error');
  process.exit(code);
}

function onSignal(signal: NodeJS.Signals): void {
  if (stopping) {
    complain(`${signal} again: forcing exit`);
    forceStopChildren();
    process.exit(130);
  }
  void shutdown(0, signal);
}

/** Last resort when we exit without a clean shutdown: leave no child running. */
function forceStopChildren(): void {
  const { redis, vite, build, nodes } = running;
  for (const node of nodes) if (node.exitCode === null && node.signalCode === null) node.kill('SIGKILL');
  // Redis gets SIGTERM even now: it flushes the AOF and exits on its own within a moment.
  if (redis && redis.process.exitCode === null && redis.process.signalCode === null) redis.process.kill('SIGTERM');
  if (vite?.pid && vite.exitCode === null) {
    try {
      process.kill(-vite.pid, 'SIGKILL');
    } catch {
      vite.kill('SIGKILL');
    }
  }
  if (build && build.exitCode === null) build.kill('SIGKILL');
}

process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
process.on('uncaughtException', (error) => {
  complain(`crashed: ${error.stack ?? error.message}`);
  void shutdown(1, 'crash');
});
process.on('unhandledRejection', (reason) => {
  complain(`crashed on an unhandled rejection: ${(reason as Error)?.stack ?? String(reason)}`);
  void shutdown(1, 'crash');
});
process.on('exit', () => {
  forceStopChildren();
  running.releaseLock?.();
});

startup = start();
startup.catch((error: unknown) => {
  if (error instanceof Aborted) return;
  complain(`could not start: ${(error as Error).message}`);
  void shutdown(1, 'startup failed');
});
