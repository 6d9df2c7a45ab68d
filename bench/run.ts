/**
 * `pnpm bench`: ingest throughput and latency of the real server, each next to baselines measured in the
 * same run, written to docs/BENCHMARKS.md.
 *
 * This process hosts a throw-away redis-server (child), the real server (createApp, as in production
 * but with a permissive rate limit) or the bare Socket.IO relay, and samples CPU, Redis command stats and
 * the rules pipeline's consumer group. The load runs in a forked worker (bench/worker.ts) so that clients
 * never share the server's event loop; on a small machine they still share its cores.
 *
 * Options: --quick (short windows, for trying the bench itself), --no-profile, --out=<file>,
 * --only=<id,id> (run only these scenarios; the report is then written only when --out is given),
 * --wall (with --quick: also the wall's quick variant, which alone takes about five minutes).
 * The wall (bench/wall.ts) runs in the full run; `--only=wall` runs it alone and replaces only the wall's
 * section of the report (docs/BENCHMARKS.md unless --out). A run without the wall keeps the section there.
 */
import { execSync, fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { systemClock } from '../shared/src/index.ts';
import { REDIS_CLIENT_OPTIONS, createApp, createLogger, parseConfig, type App } from '../server/src/index.ts';
import { startRedisServer, type RedisProcess } from '../scripts/lib/redis-server.ts';
import { Redis } from './deps.ts';
import { unitIdFor } from './gps.ts';
import {
  groupState,
  openWindow,
  parseInfo,
  processMeter,
  redisCpuSeconds,
  redisUsedMemory,
  type WindowMetrics,
} from './metrics.ts';
import { profileWhile, type ProfileSummary } from './profile.ts';
import type { DeviceCredentials, FromWorker, Load, LoadResult, Timing, ToWorker } from './protocol.ts';
import { startRelay } from './relay.ts';
import { renderDispatchSection, runDispatchBench } from './dispatch.ts';
import { renderRealtimeSection, runRealtimeBench } from './realtime.ts';
import { renderMarkdown, renderSummary, type BenchReport, type MachineInfo, type Scenario } from './report.ts';
import { renderWallSection, runWallBench, wallBudgetMs, wallSummaryLine } from './wall.ts';

/** A Vite build of the client, when the wall needs one, on a small machine. */
const CLIENT_BUILD_BUDGET_MS = 120_000;

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
const profiling = !args.has('--no-profile');
const option = (name: string) => [...args].find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const only = option('only')?.split(',');
const outOption = option('out');
const wallOnly = only?.length === 1 && only[0] === 'wall';
const outFile = only && !outOption && !wallOnly ? null : path.resolve(repoRoot, outOption ?? 'docs/BENCHMARKS.md');
const wanted = (id: string) => !only || only.includes(id);
/** The wall's quick variant alone takes about five minutes: with --quick it runs only when asked for. */
const runWall = wanted('wall') && (!quick || !!only || args.has('--wall'));
const profileDir = path.join(repoRoot, 'bench/.out');

/** The whole run must stop by itself: --quick well within three minutes, the full run within seven. */
const RUN_DEADLINE_MS =
  (wallOnly ? 0 : quick ? 170_000 : 420_000) + (runWall ? wallBudgetMs(quick) + CLIENT_BUILD_BUDGET_MS : 0);

export const TARGETS = { batch: 100_000, single: 20_000 };

/** Server settings that differ from the defaults, so the bench measures ingest and nothing else. */
export const SERVER_OVERRIDES = {
  /** The per-device token bucket is far above what a device can send here: it never refuses. */
  deviceRatePerS: 1e9,
  deviceBurst: 1e9,
  /** High enough that nothing is trimmed, so XLEN deltas count accepted events exactly. */
  streamMaxLen: 100_000_000,
  /** The load comes from one address and one dispatcher: no connection or command limits. */
  maxConnectionsPerIp: 0,
  opsCommandRatePerS: 1e9,
  opsCommandBurst: 1e9,
} as const;

const BATCH = { devices: 4, inFlight: 3, batchSize: 1000, units: 200 };
const SINGLE = { devices: 50, inFlight: 8 };

const baselineTiming: Timing = quick
  ? { warmupMs: 500, measureMs: 2000, profileMs: 0, drainTimeoutMs: 10_000 }
  : { warmupMs: 1000, measureMs: 5000, profileMs: 0, drainTimeoutMs: 10_000 };
const ingestTiming: Timing = quick
  ? { warmupMs: 1000, measureMs: 3000, profileMs: profiling ? 2000 : 0, drainTimeoutMs: 15_000 }
  : { warmupMs: 2000, measureMs: 8000, profileMs: profiling ? 4000 : 0, drainTimeoutMs: 15_000 };
/** After the load stops, how long the rules pipeline is watched working alone. */
const PIPELINE_WATCH_MS = 2000;

const children = new Set<ChildProcess>();
let redisServer: RedisProcess | null = null;

function log(line: string): void {
  console.log(`[bench] ${line}`);
}

/** Fork the load worker with tsx's loader (inherited) but without profiler/inspector flags. */
function forkWorker(): ChildProcess {
  const execArgv = process.execArgv.filter((a) => !/^--(cpu-prof|inspect|heap-prof)/.test(a));
  const child = fork(fileURLToPath(new URL('./worker.ts', import.meta.url)), [], {
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

interface Hooks {
  /** Called when the measured window opens; returns how to close it. */
  openWindow(): Promise<{ close(): Promise<WindowMetrics> }>;
  profileFile?: string;
  probeUrl?: string;
}

/** Run one load in a fresh worker; sample the server side at the worker's phase changes. */
async function runLoad(
  load: Load,
  timing: Timing,
  hooks: Hooks,
): Promise<{ load: LoadResult; window: WindowMetrics | null; profile: ProfileSummary | null }> {
  const child = forkWorker();
  const budgetMs = timing.warmupMs + timing.measureMs + timing.profileMs + timing.drainTimeoutMs + 30_000;
  let window: { close(): Promise<WindowMetrics> } | null = null;
  let metrics: WindowMetrics | null = null;
  const profiler: { stop?: () => void; summary?: Promise<ProfileSummary> } = {};
  let queue = Promise.resolve();

  const closeWindow = async () => {
    if (window && !metrics) metrics = await window.close();
  };

  try {
    const result = await new Promise<LoadResult>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`load ${load.kind} did not finish within ${budgetMs} ms`)),
        budgetMs,
      );
      const fail = (error: Error) => {
        clearTimeout(timer);
        reject(error);
      };
      child.on('message', (message: FromWorker) => {
        queue = queue.then(async () => {
          switch (message.type) {
            case 'phase':
              if (message.phase === 'measure') window = await hooks.openWindow();
              else if (message.phase === 'profile') {
                await closeWindow();
                if (hooks.profileFile) {
                  const stop = new Promise<void>((r) => (profiler.stop = r));
                  profiler.summary = profileWhile(hooks.profileFile, () => stop);
                }
              } else if (message.phase === 'drain') {
                await closeWindow();
                profiler.stop?.();
              }
              break;
            case 'result':
              clearTimeout(timer);
              resolve(message.result);
              break;
            case 'error':
              fail(new Error(`load worker failed: ${message.message}`));
              break;
          }
        });
        queue = queue.catch(fail);
      });
      // Behind the message queue, so that a result sent just before a normal exit is taken first.
      child.once('exit', (code, signal) => {
        queue = queue.then(() => fail(new Error(`load worker exited without a result (${code ?? signal})`)));
      });
      child.once('error', fail);
      child.send({
        type: 'run',
        load,
        timing,
        ...(hooks.probeUrl ? { probeUrl: hooks.probeUrl } : {}),
      } satisfies ToWorker);
    });
    await queue;
    profiler.stop?.();
    return { load: result, window: metrics, profile: profiler.summary ? await profiler.summary : null };
  } finally {
    profiler.stop?.();
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

function eventsPerS(load: LoadResult): number {
  return load.measured.elapsedMs > 0 ? (load.measured.events * 1000) / load.measured.elapsedMs : 0;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const started = Date.now();
  log(`starting redis-server${quick ? ' (quick mode)' : ''}`);
  redisServer = await startRedisServer();
  const redisUrl = redisServer.url;
  const admin = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  await admin.config('SET', 'slowlog-log-slower-than', '5000');
  const redisInfo = parseInfo(await admin.info('server'));
  const machine = machineInfo(redisInfo.redis_version ?? '?');
  log(`${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}, Redis ${machine.redis}`);

  const scenarios: Scenario[] = [];
  const dedupeTtlS = 24 * 3600;

  async function baseline(
    id: string,
    title: string,
    group: Scenario['group'],
    role: Scenario['role'],
    load: Load,
    stream?: string,
  ): Promise<void> {
    if (!wanted(id)) return;
    log(`${title} …`);
    await admin.flushall();
    const scenario: Scenario = { id, title, group, role, load: null, window: null, profile: null, eventsPerS: 0 };
    try {
      const out = await runLoad(load, baselineTiming, { openWindow: () => openWindow(admin) });
      Object.assign(scenario, out, { eventsPerS: eventsPerS(out.load) });
      if (stream) {
        const streamDelta = await admin.xlen(stream);
        scenario.check = {
          accepted: out.load.totals.accepted,
          streamDelta,
          ok: streamDelta === out.load.totals.accepted,
        };
      }
    } catch (error) {
      scenario.error = error instanceof Error ? error.message : String(error);
    }
    scenarios.push(scenario);
    log(`  → ${renderSummary.line(scenario)}`);
  }

  async function fullPath(
    id: string,
    title: string,
    group: Scenario['group'],
    makeLoad: (url: string, devices: DeviceCredentials[]) => Load,
    deviceList: { deviceId: string; unitId?: string }[],
  ): Promise<void> {
    if (!wanted(id)) return;
    log(`${title} …`);
    await admin.flushall();
    const scenario: Scenario = {
      id,
      title,
      group,
      role: 'full',
      load: null,
      window: null,
      profile: null,
      eventsPerS: 0,
    };
    const config = parseConfig({
      redisUrl,
      port: 0,
      host: '127.0.0.1',
      logLevel: 'silent',
      ...SERVER_OVERRIDES,
    });
    scenario.config = {
      deviceRatePerS: config.deviceRatePerS,
      deviceBurst: config.deviceBurst,
      streamMaxLen: config.streamMaxLen,
      tickMs: config.tickMs,
      pipelineBlockMs: config.pipelineBlockMs,
    };
    // The production client options (server/src/server.ts).
    const redis = new Redis(redisUrl, REDIS_CLIENT_OPTIONS);
    let app: App | null = null;
    try {
      await redis.connect();
      app = createApp({ redis, clock: systemClock, config, log: createLogger('silent') });
      const port = await app.listen(0, '127.0.0.1');
      const devices: DeviceCredentials[] = [];
      for (const d of deviceList) {
        const { key } = await app.devices.addDevice(
          { deviceId: d.deviceId, kind: 'patrol', unitId: d.unitId ?? null },
          systemClock.now(),
          { replace: true },
        );
        devices.push({ deviceId: d.deviceId, key, ...(d.unitId ? { unitId: d.unitId } : {}) });
      }
      const stream = { name: app.keys.ingestStream, group: app.keys.rulesGroup };
      const before = await groupState(admin, stream.name, stream.group);
      const memoryBefore = await redisUsedMemory(admin);
      const out = await runLoad(makeLoad(`http://127.0.0.1:${port}`, devices), ingestTiming, {
        openWindow: () => openWindow(admin, stream),
        probeUrl: `http://127.0.0.1:${port}/healthz`,
        ...(profiling ? { profileFile: path.join(profileDir, `${id}.cpuprofile`) } : {}),
      });
      Object.assign(scenario, out, { eventsPerS: eventsPerS(out.load) });
      const atEnd = await groupState(admin, stream.name, stream.group);
      const streamDelta = atEnd.length - before.length;
      scenario.check = {
        accepted: out.load.totals.accepted,
        streamDelta,
        ok: streamDelta === out.load.totals.accepted,
      };
      const memoryAfter = await redisUsedMemory(admin);
      const [, seenKeys] = await admin.scan('0', 'MATCH', `${app.keys.seenPrefix('*')}*`, 'COUNT', 1000);
      const seenKey = seenKeys[0];
      scenario.memory = {
        bytesPerEvent: streamDelta > 0 ? (memoryAfter - memoryBefore) / streamDelta : 0,
        seenKeyBytes: seenKey ? Number(await admin.memory('USAGE', seenKey)) : null,
        streamBytesPerEntry: atEnd.length > 0 ? Number(await admin.memory('USAGE', stream.name)) / atEnd.length : null,
        dedupeTtlS: config.dedupeTtlS,
        defaultStreamMaxLen: parseConfig({ redisUrl }).streamMaxLen,
      };
      const soloMeter = processMeter();
      const soloRedisCpu = await redisCpuSeconds(admin);
      await sleep(PIPELINE_WATCH_MS);
      const after = await groupState(admin, stream.name, stream.group);
      const solo = {
        serverCpuMs: soloMeter.read().cpuMs,
        redisCpuMs: ((await redisCpuSeconds(admin)) - soloRedisCpu) * 1000,
      };
      const w = out.window;
      const readDuring =
        w?.groupAtStart?.entriesRead != null && w.groupAtEnd?.entriesRead != null
          ? ((w.groupAtEnd.entriesRead - w.groupAtStart.entriesRead) * 1000) / w.wallMs
          : null;
      scenario.pipeline = {
        atEnd,
        after,
        afterMs: PIPELINE_WATCH_MS,
        projectedPerSDuringLoad: readDuring,
        projectedPerSAlone:
          atEnd.entriesRead != null && after.entriesRead != null
            ? ((after.entriesRead - atEnd.entriesRead) * 1000) / PIPELINE_WATCH_MS
            : null,
        solo,
      };
    } catch (error) {
      scenario.error = error instanceof Error ? error.message : String(error);
    } finally {
      await app?.close().catch(() => undefined);
      redis.disconnect();
    }
    scenarios.push(scenario);
    log(`  → ${renderSummary.line(scenario)}`);
  }

  const units = Array.from({ length: BATCH.units }, (_, i) => unitIdFor(i));

  // Batches of 1000: Redis alone, the script alone, the bare socket, the real server.
  await baseline(
    'redis-xadd',
    'raw Redis: pipelined XADD',
    'batch',
    'baseline',
    {
      kind: 'xadd',
      redisUrl,
      stream: 'bench:raw',
      pipeline: BATCH.batchSize,
      inFlight: BATCH.devices,
      maxLen: SERVER_OVERRIDES.streamMaxLen,
    },
    'bench:raw',
  );
  await baseline(
    'redis-script-batch',
    'acceptBatch script called directly, 1000 events per call',
    'batch',
    'diagnostic',
    {
      kind: 'script',
      redisUrl,
      keyPrefix: 'benchraw',
      items: BATCH.batchSize,
      inFlight: BATCH.devices,
      maxLen: SERVER_OVERRIDES.streamMaxLen,
      dedupeTtlS,
    },
    'benchraw:ingest',
  );
  let relay = await startRelay();
  try {
    await baseline('relay-batch', 'bare Socket.IO relay, ingest:batch', 'batch', 'baseline', {
      kind: 'socket-batch',
      url: relay.url,
      devices: Array.from({ length: BATCH.devices }, (_, i) => ({ deviceId: `RELAY-GW-${i + 1}`, key: 'x' })),
      units,
      batchSize: BATCH.batchSize,
      inFlight: BATCH.inFlight,
    });
  } finally {
    await relay.close();
  }
  await fullPath(
    'ingest-batch',
    `full ingest path: ingest:batch (${BATCH.devices} devices × ${BATCH.inFlight} batches of ${BATCH.batchSize} in flight)`,
    'batch',
    (url, devices) => ({
      kind: 'socket-batch',
      url,
      devices,
      units,
      batchSize: BATCH.batchSize,
      inFlight: BATCH.inFlight,
    }),
    Array.from({ length: BATCH.devices }, (_, i) => ({ deviceId: `BENCH-GW-${i + 1}` })),
  );

  // Single acknowledged events from 50 patrol terminals.
  await baseline(
    'redis-script-single',
    'acceptBatch script called directly, 1 event per call',
    'single',
    'diagnostic',
    {
      kind: 'script',
      redisUrl,
      keyPrefix: 'benchraw',
      items: 1,
      inFlight: SINGLE.devices * SINGLE.inFlight,
      maxLen: SERVER_OVERRIDES.streamMaxLen,
      dedupeTtlS,
    },
    'benchraw:ingest',
  );
  relay = await startRelay();
  try {
    await baseline('relay-single', 'bare Socket.IO relay, gps:reported', 'single', 'baseline', {
      kind: 'socket-single',
      url: relay.url,
      devices: Array.from({ length: SINGLE.devices }, (_, i) => ({
        deviceId: `RELAY-PATROL-${i + 1}`,
        key: 'x',
        unitId: unitIdFor(i),
      })),
      inFlight: SINGLE.inFlight,
    });
  } finally {
    await relay.close();
  }
  await fullPath(
    'ingest-single',
    `full ingest path: gps:reported (${SINGLE.devices} devices × ${SINGLE.inFlight} in flight)`,
    'single',
    (url, devices) => ({ kind: 'socket-single', url, devices, inFlight: SINGLE.inFlight }),
    Array.from({ length: SINGLE.devices }, (_, i) => ({ deviceId: `BENCH-PATROL-${i + 1}`, unitId: unitIdFor(i) })),
  );

  let dispatchSection = '';
  if (wanted('dispatch')) {
    log('dispatch: recommendation latency with 2 000 units, assignment under contention …');
    try {
      const result = await runDispatchBench({ redisUrl, log });
      dispatchSection = renderDispatchSection(result);
      log(
        `  → recommend p99 ${result.recommend?.p99.toFixed(2)} ms (GEOSEARCH p99 ${result.geosearchBaseline?.p99.toFixed(2)} ms), ` +
          `${Math.round(result.assign.perS)} assignments/s under contention, double-assigned ${result.assign.doubleAssigned}`,
      );
      if (result.assign.doubleAssigned > 0) process.exitCode = 1;
    } catch (error) {
      dispatchSection = `## Dispatch: recommendation and assignment\n\nFailed: ${(error as Error).message}\n`;
      process.exitCode = 1;
    }
  }

  let realtimeSection = '';
  const realtimeIds = [
    'latency-bare',
    'latency-beacon',
    'fanout-bare',
    'fanout-beacon',
    'fanout-beacon-2',
    'ingest-1-node',
    'ingest-2-node',
    'catch-up',
  ];
  if (realtimeIds.some(wanted)) {
    try {
      const realtime = await runRealtimeBench({ redisUrl, admin, quick, wanted, log });
      realtimeSection = renderRealtimeSection(realtime);
      if (realtime.scenarios.some((s) => s.error) || realtime.catchUp?.error) process.exitCode = 1;
    } catch (error) {
      realtimeSection = `## Real time: latency, fan-out, catch-up, two nodes\n\nFailed: ${(error as Error).message}\n`;
      process.exitCode = 1;
    }
  }

  let wallSection = '';
  if (runWall) {
    log(`wall: frame rate and heap in headless Chromium${quick ? ' (quick variant)' : ''} …`);
    const wall = await runWallBench({ redisUrl, admin, quick, log });
    wallSection = renderWallSection(wall, machine);
    log(`  → ${wallSummaryLine(wall)}`);
    if (wall.error) process.exitCode = 1;
  }

  admin.disconnect();
  if (wallOnly) {
    if (!outFile) return;
    const previous = fs.existsSync(outFile) ? fs.readFileSync(outFile, 'utf8') : '# Benchmarks\n';
    const options = (await prettier.resolveConfig(outFile)) ?? {};
    fs.writeFileSync(
      outFile,
      await prettier.format(insertBeforeInvestigation(withoutWallSection(previous), wallSection), {
        ...options,
        filepath: outFile,
      }),
    );
    log(
      `replaced the wall's section of ${path.relative(repoRoot, outFile)} in ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
    return;
  }
  const report: BenchReport = {
    startedAt: new Date(started),
    durationS: (Date.now() - started) / 1000,
    quick,
    machine,
    baselineTiming,
    ingestTiming,
    pipelineWatchMs: PIPELINE_WATCH_MS,
    batch: BATCH,
    single: SINGLE,
    targets: TARGETS,
    serverOverrides: SERVER_OVERRIDES,
    serverDefaults: (({ deviceRatePerS, deviceBurst, streamMaxLen }) => ({
      deviceRatePerS,
      deviceBurst,
      streamMaxLen,
    }))(parseConfig({ redisUrl: 'redis://127.0.0.1' })),
    scenarios,
    profileDir: path.relative(repoRoot, profileDir),
  };
  console.log('');
  console.log(renderSummary.table(report));
  if (outFile) {
    // Formatted as `pnpm format:check` expects, so a fresh report never fails the checks.
    const options = (await prettier.resolveConfig(outFile)) ?? {};
    // Without the wall in this run, its section from the last run that had it stays.
    const keptWall =
      wallSection || (fs.existsSync(outFile) ? (wallSectionOf(fs.readFileSync(outFile, 'utf8')) ?? '') : '');
    const markdown = insertBeforeInvestigation(
      insertBeforeInvestigation(insertBeforeInvestigation(renderMarkdown(report), dispatchSection), realtimeSection),
      keptWall,
    );
    fs.writeFileSync(outFile, await prettier.format(markdown, { ...options, filepath: outFile }));
    log(`wrote ${path.relative(repoRoot, outFile)} in ${report.durationS.toFixed(0)} s`);
  } else log(`done in ${report.durationS.toFixed(0)} s (--only without --out: no report written)`);
  if (scenarios.some((s) => s.error)) process.exitCode = 1;
}

/** Put a section before the hand-written investigation notes (or at the end when there are none). */
function insertBeforeInvestigation(markdown: string, section: string): string {
  if (!section) return markdown;
  const at = markdown.search(/^## Investigation/m);
  return at < 0 ? `${markdown.trimEnd()}\n\n${section}` : `${markdown.slice(0, at)}${section}\n${markdown.slice(at)}`;
}

const WALL_HEADING = /^## Wall\b.*$/m;

/** The wall's section of a report (from its heading to the next `## `), or null. */
function wallSectionOf(markdown: string): string | null {
  const start = markdown.search(WALL_HEADING);
  if (start < 0) return null;
  const next = markdown.slice(start + 3).search(/^## /m);
  return next < 0 ? markdown.slice(start) : markdown.slice(start, start + 3 + next);
}

function withoutWallSection(markdown: string): string {
  const section = wallSectionOf(markdown);
  return section ? markdown.replace(section, '') : markdown;
}

function machineInfo(redisVersion: string): MachineInfo {
  const sh = (cmd: string) => {
    try {
      return execSync(cmd, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'ignore'] })
        .toString()
        .trim();
    } catch {
      return '';
    }
  };
  const cpuinfo = fs.existsSync('/proc/cpuinfo') ? fs.readFileSync('/proc/cpuinfo', 'utf8') : '';
  return {
    cpus: Number(sh('nproc')) || os.availableParallelism(),
    cpuModel: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? '?',
    memGiB: os.totalmem() / 2 ** 30,
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    redis: redisVersion,
    loadAvg: os.loadavg(),
    commit: sh('git rev-parse --short HEAD') || '?',
    dirty: sh('git status --porcelain -- server shared') !== '',
  };
}

async function cleanup(): Promise<void> {
  for (const child of children) child.kill('SIGKILL');
  if (redisServer) await redisServer.stop().catch(() => undefined);
  redisServer = null;
}

process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
  redisServer?.process.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping`);
    void cleanup().finally(() => process.exit(130));
  });
}
const watchdog = setTimeout(() => {
  log(`still running after ${RUN_DEADLINE_MS / 1000} s: giving up`);
  void cleanup().finally(() => process.exit(1));
}, RUN_DEADLINE_MS);
watchdog.unref();

try {
  await main();
} catch (error) {
  console.error('[bench] failed:', error);
  process.exitCode = 1;
} finally {
  await cleanup();
}
// Sockets or timers of a half-closed server must not keep the process alive.
setTimeout(() => process.exit(), 500).unref();
