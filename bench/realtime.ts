/**
 * Real-time benchmarks of `pnpm bench`: sensor → wall latency, fan-out to 1 000 screens, reconnect catch-up
 * and two server nodes against one, each next to a baseline measured in the same run.
 *
 * Server nodes run in processes of their own (bench/node-host.ts), the load in another
 * (bench/screens-worker.ts); this process only orchestrates and reads CPU, memory and Redis.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { io, type Redis } from './deps.ts';
import { unitIdFor } from './gps.ts';
import { machineBusyMs, redisCpuSeconds } from './metrics.ts';
import { groupCaughtUp } from '../server/src/redis/stream-groups.ts';
import type { HostReply, HostRequest, HostStats } from './node-host.ts';
import type { DeviceCredentials } from './protocol.ts';
import type { FromScreensWorker, RealtimeResult, RealtimeTask, RealtimeTiming } from './screens-worker.ts';
import { fmtInt, fmtMs, fmtPct, fmtRatio, type LatencySummary } from './stats.ts';

export const REALTIME_TARGETS = {
  latencyP50Ms: 30,
  latencyP99Ms: 100,
  fanoutShareOfBare: 0.8,
  memoryPer1000ScreensMB: 25,
  catchUpMs: 1000,
  scaleOut: 1.6,
};

const LATENCY = { gpsPerS: 5000, pedestrianPerS: 20, devices: 50 };
const FANOUT = { screens: 1000, units: 40, inFlight: 8 };
const INGEST = { devices: 50, inFlight: 8 };
const CATCH_UP_EVENTS = 10_000;
/** Like the ingest benchmarks: the rate limiter runs but never refuses. */
const PERMISSIVE = {
  deviceRatePerS: 1e9,
  deviceBurst: 1e9,
  streamMaxLen: 100_000_000,
  // 1 000 screens from one address, and dispatchers clicking faster than people.
  maxConnectionsPerIp: 0,
  opsCommandRatePerS: 1e9,
  opsCommandBurst: 1e9,
};

export interface NodeUse {
  cpuPct: number;
  elu: number;
}

export interface RealtimeScenario {
  id: string;
  title: string;
  role: 'baseline' | 'full';
  nodes: number;
  result: RealtimeResult | null;
  /** Server processes during the measured window. */
  servers: NodeUse[];
  redisCpuPct: number | null;
  clientCpuPct: number | null;
  otherCpuPct: number | null;
  memory?: { screens: number; heapPerThousandMB: number; rssPerThousandMB: number };
  error?: string;
}

export interface CatchUp {
  events: number;
  xrangeMs: number;
  xrangeCount: number;
  snapshotMs: number;
  snapshotUnits: number;
  unitsInRedis: number;
  /** `situation:catchup` after the last id seen before the 10 000 events: time, events, distinct ids. */
  replayMs: number;
  replayEvents: number;
  replayDistinct: number;
  error?: string;
}

export interface RealtimeReport {
  scenarios: RealtimeScenario[];
  catchUp: CatchUp | null;
  timing: RealtimeTiming;
}

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A forked process answering one request at a time over IPC. */
function child<Req, Rep>(file: string, extraArgs: string[] = []) {
  const execArgv = [...process.execArgv.filter((a) => !/^--(cpu-prof|inspect|heap-prof)/.test(a)), ...extraArgs];
  const proc: ChildProcess = fork(here(file), [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const listeners = new Set<(message: Rep) => void>();
  proc.on('message', (message: Rep) => listeners.forEach((l) => l(message)));
  return {
    proc,
    on(listener: (message: Rep) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    request(message: Req, timeoutMs = 60_000): Promise<Rep> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${file}: no answer within ${timeoutMs} ms`)), timeoutMs);
        const off = this.on((reply) => {
          clearTimeout(timer);
          off();
          resolve(reply);
        });
        proc.once('exit', (code) => reject(new Error(`${file} exited (${code})`)));
        proc.send(message as object);
      });
    },
    kill(): void {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    },
  };
}

type Host = ReturnType<typeof child<HostRequest, HostReply>> & { url: string; token: string | null };

async function startHosts(mode: 'beacon' | 'bare', count: number, redisUrl: string): Promise<Host[]> {
  const hosts: Host[] = [];
  for (let n = 1; n <= count; n += 1) {
    const host = child<HostRequest, HostReply>('./node-host.ts', ['--expose-gc']);
    const reply = await host.request({ type: 'start', mode, redisUrl, nodeId: `bench-node-${n}`, config: PERMISSIVE });
    if (reply.type !== 'started') {
      host.kill();
      throw new Error(reply.type === 'error' ? reply.message : `unexpected ${reply.type}`);
    }
    hosts.push(Object.assign(host, { url: `http://127.0.0.1:${reply.port}`, token: reply.token }));
  }
  return hosts;
}

async function stopHosts(hosts: Host[]): Promise<void> {
  await Promise.all(hosts.map((h) => h.request({ type: 'stop' }, 15_000).catch(() => undefined)));
  hosts.forEach((h) => h.kill());
}

async function hostStats(host: Host, gc = true): Promise<HostStats> {
  const reply = await host.request({ type: 'stats', gc });
  if (reply.type !== 'stats') throw new Error(`stats: ${reply.type === 'error' ? reply.message : reply.type}`);
  return reply.stats;
}

async function credentials(
  host: Host | null,
  devices: { deviceId: string; unitId: string | null }[],
): Promise<DeviceCredentials[]> {
  if (!host) return devices.map((d) => ({ deviceId: d.deviceId, key: 'x', ...(d.unitId ? { unitId: d.unitId } : {}) }));
  const reply = await host.request({ type: 'addDevices', devices });
  if (reply.type !== 'devices') throw new Error(`addDevices: ${reply.type === 'error' ? reply.message : reply.type}`);
  return devices.map((d, i) => ({
    deviceId: d.deviceId,
    key: reply.keys[i]!,
    ...(d.unitId ? { unitId: d.unitId } : {}),
  }));
}

/** Run one task in a fresh load worker; read the servers' CPU and Redis over its measured window. */
async function runTask(
  task: RealtimeTask,
  timing: RealtimeTiming,
  hosts: Host[],
  admin: Redis,
  onReady?: () => Promise<void>,
): Promise<Pick<RealtimeScenario, 'result' | 'servers' | 'redisCpuPct' | 'clientCpuPct' | 'otherCpuPct'>> {
  const worker = child<unknown, FromScreensWorker>('./screens-worker.ts');
  interface Sample {
    stats: HostStats[];
    redis: number;
    busy: number | null;
    at: number;
  }
  const samples: { start?: Sample; end?: Sample } = {};
  const sample = async (): Promise<Sample> => ({
    stats: await Promise.all(hosts.map(hostStatsLight)),
    redis: await redisCpuSeconds(admin),
    busy: machineBusyMs(),
    at: performance.now(),
  });
  try {
    const result = await new Promise<RealtimeResult>((resolve, reject) => {
      const budget = setTimeout(() => reject(new Error('the load worker did not finish in time')), 120_000);
      let queue = Promise.resolve();
      worker.on((message) => {
        queue = queue
          .then(async () => {
            if (message.type === 'ready') {
              await onReady?.();
              worker.proc.send({ type: 'go' });
            } else if (message.type === 'phase' && message.phase === 'measure') samples.start = await sample();
            else if (message.type === 'phase' && message.phase === 'drain') samples.end = await sample();
            else if (message.type === 'result') {
              clearTimeout(budget);
              resolve(message.result);
            } else if (message.type === 'error') reject(new Error(message.message));
          })
          .catch(reject);
      });
      worker.proc.once('exit', (code) => void queue.then(() => reject(new Error(`load worker exited (${code})`))));
      worker.proc.send({ type: 'run', task, timing });
    });
    const { start: s, end: e } = samples;
    if (!s || !e) return { result, servers: [], redisCpuPct: null, clientCpuPct: null, otherCpuPct: null };
    const wallMs = e.at - s.at;
    const servers = hosts.map((_, i) => ({
      cpuPct: (e.stats[i]!.cpuMs - s.stats[i]!.cpuMs) / wallMs,
      elu: e.stats[i]!.elu,
    }));
    const redisCpuPct = ((e.redis - s.redis) * 1000) / wallMs;
    const clientCpuPct = result.clientCpuMs / result.measureMs;
    const ours = servers.reduce((sum, x) => sum + x.cpuPct, 0) + redisCpuPct + clientCpuPct;
    const otherCpuPct = s.busy !== null && e.busy !== null ? Math.max(0, (e.busy - s.busy) / wallMs - ours) : null;
    return { result, servers, redisCpuPct, clientCpuPct, otherCpuPct };
  } finally {
    worker.kill();
  }
}

/** CPU without a forced GC, which would cost the server a pause inside the measured window. */
function hostStatsLight(host: Host): Promise<HostStats> {
  return hostStats(host, false);
}

/** Create `count` units through the public ingest protocol (one fleet gateway, batches of 1000). */
async function seedUnits(host: Host, units: string[], admin: Redis): Promise<void> {
  const [gateway] = await credentials(host, [{ deviceId: 'BENCH-SEED-GW', unitId: null }]);
  const socket = io(`${host.url}/ingest`, {
    auth: { deviceId: gateway!.deviceId, key: gateway!.key },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    const now = Date.now();
    for (let i = 0; i < units.length; i += 1000) {
      const items = units.slice(i, i + 1000).map((unitId, j) => ({
        kind: 'gps',
        eventId: `seed-${unitId}`,
        ts: now,
        unitId,
        lon: 104.9 + ((i + j) % 100) * 0.009,
        lat: 26.9 + Math.floor((i + j) / 100) * 0.0008,
      }));
      const reply = (await socket.timeout(30_000).emitWithAck('ingest:batch', items)) as { ok: boolean };
      if (!reply.ok) throw new Error(`seeding units failed: ${JSON.stringify(reply)}`);
    }
    const deadline = Date.now() + 60_000;
    // Caught up: every unit created and its unit:updated appended to beacon:events.
    while (
      !(await groupCaughtUp(admin, 'beacon:ingest', 'rules')) ||
      (await admin.scard('beacon:units')) < units.length
    ) {
      if (Date.now() > deadline) throw new Error('the rules pipeline did not create the seeded units in time');
      await sleep(50);
    }
  } finally {
    socket.close();
  }
}

export async function runRealtimeBench({
  redisUrl,
  admin,
  quick,
  wanted,
  log,
}: {
  redisUrl: string;
  admin: Redis;
  quick: boolean;
  wanted: (id: string) => boolean;
  log: (line: string) => void;
}): Promise<RealtimeReport> {
  const timing: RealtimeTiming = quick
    ? { warmupMs: 1000, measureMs: 3000, drainMs: 1500 }
    : { warmupMs: 2000, measureMs: 8000, drainMs: 3000 };
  const scenarios: RealtimeScenario[] = [];

  async function scenario(
    id: string,
    title: string,
    role: RealtimeScenario['role'],
    mode: 'beacon' | 'bare',
    nodes: number,
    body: (hosts: Host[], s: RealtimeScenario) => Promise<void>,
  ): Promise<void> {
    if (!wanted(id)) return;
    log(`${title} …`);
    await admin.flushall();
    const s: RealtimeScenario = {
      id,
      title,
      role,
      nodes,
      result: null,
      servers: [],
      redisCpuPct: null,
      clientCpuPct: null,
      otherCpuPct: null,
    };
    let hosts: Host[] = [];
    try {
      hosts = await startHosts(mode, nodes, redisUrl);
      await body(hosts, s);
    } catch (error) {
      s.error = error instanceof Error ? error.message : String(error);
    } finally {
      await stopHosts(hosts);
    }
    scenarios.push(s);
    log(`  → ${summaryLine(s)}`);
  }

  // Sensor → wall latency at 5 000 GPS events/s plus pedestrian detections.
  const latencyDevices = Array.from({ length: LATENCY.devices }, (_, i) => ({
    deviceId: `BENCH-LAT-${i + 1}`,
    unitId: unitIdFor(i),
  }));
  for (const [mode, role, title] of [
    ['bare', 'baseline', 'bare Socket.IO relay of the same messages'],
    ['beacon', 'full', 'Beacon, one node'],
  ] as const) {
    await scenario(`latency-${mode}`, `latency: ${title}`, role, mode, 1, async (hosts, s) => {
      const host = mode === 'beacon' ? hosts[0]! : null;
      const [camera, ...devices] = await credentials(host, [
        { deviceId: 'CAM-BENCH-LAT', unitId: null },
        ...latencyDevices,
      ]);
      const task: RealtimeTask = {
        kind: 'latency',
        ingestUrls: [hosts[0]!.url],
        wallUrl: hosts[0]!.url,
        opsToken: hosts[0]!.token,
        devices,
        camera: camera!,
        gpsPerS: LATENCY.gpsPerS,
        pedestrianPerS: LATENCY.pedestrianPerS,
      };
      Object.assign(s, await runTask(task, timing, hosts, admin));
    });
  }

  // Fan-out: 1 000 screens, a console toggling units on and off duty (one unit:updated per command).
  const fanoutUnits = Array.from({ length: FANOUT.units }, (_, i) => `BENCH-FAN-${i + 1}`);
  const fanoutRuns = [
    ['fanout-bare', 'bare Socket.IO broadcast', 'baseline', 'bare', 1],
    ['fanout-beacon', 'Beacon, one node', 'full', 'beacon', 1],
    ['fanout-beacon-2', 'Beacon, two nodes (screens split, console on node 1)', 'full', 'beacon', 2],
  ] as const;
  for (const [id, title, role, mode, nodes] of fanoutRuns) {
    await scenario(id, `fan-out to ${FANOUT.screens} screens: ${title}`, role, mode, nodes, async (hosts, s) => {
      if (mode === 'beacon') await seedUnits(hosts[0]!, fanoutUnits, admin);
      let before: HostStats[] = [];
      const task: RealtimeTask = {
        kind: 'fanout',
        opsUrls: hosts.map((h) => h.url),
        opsTokens: hosts.map((h) => h.token),
        screens: FANOUT.screens,
        consoleUrl: hosts[0]!.url,
        units: fanoutUnits,
        inFlight: FANOUT.inFlight,
      };
      before = await Promise.all(hosts.map((h) => hostStats(h)));
      Object.assign(
        s,
        await runTask(task, timing, hosts, admin, async () => {
          const after = await Promise.all(hosts.map((h) => hostStats(h)));
          const screens = after.reduce((sum, x) => sum + x.screens, 0);
          const heap = after.reduce(
            (sum, x, i) => sum + x.heapUsed + x.external - before[i]!.heapUsed - before[i]!.external,
            0,
          );
          const rss = after.reduce((sum, x, i) => sum + x.rss - before[i]!.rss, 0);
          s.memory = {
            screens,
            heapPerThousandMB: screens > 0 ? ((heap / screens) * 1000) / 2 ** 20 : 0,
            rssPerThousandMB: screens > 0 ? ((rss / screens) * 1000) / 2 ** 20 : 0,
          };
        }),
      );
    });
  }

  // Ingest of single acknowledged events: one node against two.
  const ingestDevices = Array.from({ length: INGEST.devices }, (_, i) => ({
    deviceId: `BENCH-ING-${i + 1}`,
    unitId: unitIdFor(i),
  }));
  for (const nodes of [1, 2]) {
    await scenario(
      `ingest-${nodes}-node`,
      `ingest, ${INGEST.devices} devices × ${INGEST.inFlight} in flight: Beacon, ${nodes === 1 ? 'one node' : 'two nodes (devices split)'}`,
      'full',
      'beacon',
      nodes,
      async (hosts, s) => {
        const devices = await credentials(hosts[0]!, ingestDevices);
        const task: RealtimeTask = {
          kind: 'ingest',
          ingestUrls: hosts.map((h) => h.url),
          devices,
          inFlight: INGEST.inFlight,
        };
        Object.assign(s, await runTask(task, timing, hosts, admin));
      },
    );
  }

  let catchUp: CatchUp | null = null;
  if (wanted('catch-up')) {
    log(`reconnect catch-up of ${CATCH_UP_EVENTS} events …`);
    await admin.flushall();
    let hosts: Host[] = [];
    try {
      hosts = await startHosts('beacon', 1, redisUrl);
      const units = Array.from({ length: CATCH_UP_EVENTS }, (_, i) => `BENCH-CU-${i + 1}`);
      // The last event a screen saw before it dropped off: everything after it is what it missed.
      const seen = (await admin.xadd('beacon:events', '*', 'type', 'alarm:changed', 'payload', '{}'))!;
      await seedUnits(hosts[0]!, units, admin);
      // Every new unit was published as unit:updated: 10 000 domain events in beacon:events.
      const xStart = performance.now();
      const entries = await admin.xrevrange('beacon:events', '+', '-', 'COUNT', CATCH_UP_EVENTS);
      const xrangeMs = performance.now() - xStart;
      const screen = io(`${hosts[0]!.url}/ops`, {
        auth: hosts[0]!.token ? { token: hosts[0]!.token } : {},
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
      });
      const sStart = performance.now();
      const snapshot = await new Promise<{ units: unknown[] }>((resolve, reject) => {
        screen.once('situation:snapshot', resolve);
        screen.once('connect_error', reject);
      });
      const snapshotMs = performance.now() - sStart;
      screen.close();
      // The screen comes back naming the last id it saw: the server replays what it missed.
      const back = io(`${hosts[0]!.url}/ops`, {
        auth: { ...(hosts[0]!.token ? { token: hosts[0]!.token } : {}), lastEventId: seen },
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
      });
      const rStart = performance.now();
      const replay = await new Promise<{ events: { id: string }[] }>((resolve, reject) => {
        back.once('situation:catchup', resolve);
        back.once('situation:snapshot', () => reject(new Error('sent a snapshot instead of the catch-up')));
        back.once('connect_error', reject);
      });
      const replayMs = performance.now() - rStart;
      back.close();
      catchUp = {
        events: CATCH_UP_EVENTS,
        xrangeMs,
        xrangeCount: entries.length,
        snapshotMs,
        snapshotUnits: snapshot.units.length,
        unitsInRedis: await admin.scard('beacon:units'),
        replayMs,
        replayEvents: replay.events.length,
        replayDistinct: new Set(replay.events.map((e) => e.id)).size,
      };
      log(
        `  → XRANGE ${entries.length} in ${fmtMs(xrangeMs)}; reconnect snapshot of ${snapshot.units.length} units in ${fmtMs(snapshotMs)}`,
      );
    } catch (error) {
      catchUp = {
        events: CATCH_UP_EVENTS,
        xrangeMs: 0,
        xrangeCount: 0,
        snapshotMs: 0,
        snapshotUnits: 0,
        unitsInRedis: 0,
        replayMs: 0,
        replayEvents: 0,
        replayDistinct: 0,
        error: error instanceof Error ? error.message : String(error),
      };
    } finally {
      await stopHosts(hosts);
    }
  }

  return { scenarios, catchUp, timing };
}

function summaryLine(s: RealtimeScenario): string {
  if (s.error) return `failed: ${s.error}`;
  const r = s.result!;
  const parts = [];
  if (r.gpsLatency) parts.push(`GPS p50 ${fmtMs(r.gpsLatency.p50)} p99 ${fmtMs(r.gpsLatency.p99)}`);
  if (r.incidentLatency) parts.push(`incident p50 ${fmtMs(r.incidentLatency.p50)} p99 ${fmtMs(r.incidentLatency.p99)}`);
  parts.push(`${fmtInt(r.ackedPerS)} acked/s`, `${fmtInt(r.deliveriesPerS)} deliveries/s`);
  if (s.memory) parts.push(`${s.memory.heapPerThousandMB.toFixed(1)} MB heap per 1000 screens`);
  if (r.missingDeliveries > 0) parts.push(`${fmtInt(r.missingDeliveries)} deliveries missing`);
  if (Object.keys(r.errors).length > 0) parts.push(`errors ${JSON.stringify(r.errors)}`);
  return parts.join(', ');
}

const verdict = (met: boolean) => (met ? '**met**' : '**missed**');
const cpu = (s: RealtimeScenario) =>
  [
    s.servers.map((x) => `${fmtPct(x.cpuPct)}`).join(' + ') || '–',
    fmtPct(s.redisCpuPct ?? undefined),
    fmtPct(s.clientCpuPct ?? undefined),
    fmtPct(s.otherCpuPct ?? undefined),
  ].join(' | ');
const lat = (l: LatencySummary | null | undefined) => (l ? `${fmtMs(l.p50)} | ${fmtMs(l.p99)}` : '– | –');

/** The Markdown section of docs/BENCHMARKS.md for these scenarios. */
export function renderRealtimeSection(report: RealtimeReport): string {
  const by = (id: string) => report.scenarios.find((s) => s.id === id);
  const out: string[] = [];
  const t = report.timing;
  out.push('## Real time: latency, fan-out, catch-up, two nodes', '');
  out.push(
    `Each server node runs in a process of its own (\`bench/node-host.ts\`: \`createApp\` with the production ioredis options, the cluster adapter, the rules pipeline, the same permissive rate limit as above), the load in another (\`bench/screens-worker.ts\`), all speaking the public protocol over WebSocket on 127.0.0.1. Baselines are a bare Socket.IO server (no adapter, no Redis) that acknowledges and relays or broadcasts at once. ${t.warmupMs / 1000} s warm-up, ${t.measureMs / 1000} s measured. CPU columns: server process(es), Redis, load process, other processes on the machine (100 % = one core).`,
    '',
  );

  const lb = by('latency-bare');
  const lf = by('latency-beacon');
  out.push(
    `### Sensor → wall latency at ${fmtInt(LATENCY.gpsPerS)} events/s`,
    '',
    `${LATENCY.devices} patrol devices send \`gps:reported\` at ${fmtInt(LATENCY.gpsPerS)} events/s in all (not waiting for acknowledgements), one camera sends ${LATENCY.pedestrianPerS} \`pedestrian:detected\`/s at random places in the region; one wall screen on \`/ops\` in the same process measures from the moment each was sent: GPS until the \`units:moved\` that carries the fix, detections until their \`incident:created\`. The bare relay forwards every event to the wall as soon as it acknowledges it.`,
    '',
    '| path | GPS → units:moved p50 | p99 | detection → incident:created p50 | p99 | events acked/s | p99 ack | server CPU | Redis | load | other | target |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  );
  for (const s of [lb, lf]) {
    if (!s) continue;
    if (s.error) {
      out.push(`| ${s.title} | failed: ${s.error} | | | | | | | | | | |`);
      continue;
    }
    const r = s.result!;
    const met =
      s.role === 'full' && r.incidentLatency
        ? `p50 ≤ ${REALTIME_TARGETS.latencyP50Ms} ms, p99 ≤ ${REALTIME_TARGETS.latencyP99Ms} ms (detections): ${verdict(
            r.incidentLatency.p50 <= REALTIME_TARGETS.latencyP50Ms &&
              r.incidentLatency.p99 <= REALTIME_TARGETS.latencyP99Ms,
          )}`
        : '';
    out.push(
      `| ${s.role === 'baseline' ? `baseline: ${s.title.replace(/^latency: /, '')}` : `**${s.title.replace(/^latency: /, '')}**`} | ${lat(r.gpsLatency)} | ${lat(r.incidentLatency)} | ${fmtInt(r.ackedPerS)} | ${fmtMs(r.ackLatency?.p99)} | ${cpu(s)} | ${met} |`,
    );
  }
  out.push('');
  if (lf?.result && lb?.result) {
    out.push(
      `- GPS fixes are not pushed one by one: the server keeps the newest fix per unit and sends one \`units:moved\` per tick (\`BEACON_TICK_MS\`, default 250 ms; ${fmtInt(lf.result.deliveriesPerS)} messages/s reached the wall, detections included, against the relay's ${fmtInt(lb.result.deliveriesPerS)}). Each unit here reports ${Math.round(LATENCY.gpsPerS / LATENCY.devices)} times a second, so every tick carries a fix a few ms old: the GPS columns are the age of each position the wall receives. Fixes replaced within a tick are never shown (by design), and a unit that reports once a second waits up to one more tick.`,
      `- Detection → incident p50 ${fmtMs(lf.result.incidentLatency?.p50)} against ${fmtMs(lb.result.incidentLatency?.p50)} for the bare relay: the difference is Beacon's path (validation, \`acceptBatch\`, the pipeline's \`XREADGROUP\`, the pedestrian rule's \`GEOSEARCH\` and writes, \`XADD\` to \`beacon:events\`, the adapter).`,
      '',
    );
  }

  const fb = by('fanout-bare');
  const f1 = by('fanout-beacon');
  const f2 = by('fanout-beacon-2');
  out.push(
    `### Fan-out to ${fmtInt(FANOUT.screens)} screens`,
    '',
    `${fmtInt(FANOUT.screens)} screens on \`/ops\` (WebSocket, one load process); one console toggles ${FANOUT.units} units between \`available\` and \`off_duty\` with \`unit:report\`, ${FANOUT.inFlight} commands in flight; each accepted command is one \`unit:updated\` to every screen. **Deliveries/s** = messages received by all screens in the window. Memory: server heap + external (after a full GC) and RSS, after the screens connected minus before, per 1 000 screens. "Missing" = deliveries expected for every acknowledged command that had not arrived ${t.drainMs / 1000} s after the load stopped.`,
    '',
    '| path | deliveries/s | ÷ bare | commands/s | p99 command ack | heap MB / 1 000 screens | RSS MB / 1 000 | missing | server CPU | Redis | load | other | target |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  );
  for (const s of [fb, f1, f2]) {
    if (!s) continue;
    if (s.error) {
      out.push(`| ${s.title} | failed: ${s.error} | | | | | | | | | | | |`);
      continue;
    }
    const r = s.result!;
    const ratio = fb?.result ? r.deliveriesPerS / fb.result.deliveriesPerS : 0;
    const target =
      s.id === 'fanout-beacon'
        ? `≥ 80 % of bare: ${verdict(ratio >= REALTIME_TARGETS.fanoutShareOfBare)}; ≤ 25 MB / 1 000: ${verdict((s.memory?.heapPerThousandMB ?? Infinity) <= REALTIME_TARGETS.memoryPer1000ScreensMB)} (heap)`
        : '';
    const name = s.title.replace(/^fan-out to \d+ screens: /, '');
    out.push(
      `| ${s.role === 'baseline' ? `baseline: ${name}` : `**${name}**`} | ${fmtInt(r.deliveriesPerS)} | ${fb?.result && s !== fb ? fmtRatio(r.deliveriesPerS, fb.result.deliveriesPerS) : ''} | ${fmtInt(r.ackedPerS)} | ${fmtMs(r.ackLatency?.p99)} | ${s.memory ? s.memory.heapPerThousandMB.toFixed(1) : '–'} | ${s.memory ? s.memory.rssPerThousandMB.toFixed(1) : '–'} | ${fmtInt(r.missingDeliveries)} | ${cpu(s)} | ${target} |`,
    );
  }
  out.push('');

  const cu = report.catchUp;
  out.push(`### Reconnect catch-up of ${fmtInt(CATCH_UP_EVENTS)} events`, '');
  if (cu?.error) out.push(`Failed: ${cu.error}`, '');
  else if (cu) {
    out.push(
      `${fmtInt(cu.events)} units created through ingest, so \`beacon:events\` holds ${fmtInt(cu.events)} \`unit:updated\` events.`,
      '',
      '| path | time | events / units | loss | target |',
      '| --- | ---: | ---: | ---: | --- |',
      `| baseline: \`XRANGE\` of the last ${fmtInt(cu.events)} entries of \`beacon:events\` (one call from a bench client) | ${fmtMs(cu.xrangeMs)} | ${fmtInt(cu.xrangeCount)} | ${fmtInt(cu.events - cu.xrangeCount)} | |`,
      `| **a screen reconnects naming the last id it saw and receives \`situation:catchup\`** | ${fmtMs(cu.replayMs)} | ${fmtInt(cu.replayEvents)} events (${fmtInt(cu.replayDistinct)} distinct) | ${fmtInt(cu.events - cu.replayDistinct)} | ≤ 1 s, zero loss: ${verdict(cu.replayMs <= REALTIME_TARGETS.catchUpMs && cu.replayDistinct === cu.events && cu.replayEvents === cu.events)} |`,
      `| a fresh screen (no last id) receives \`situation:snapshot\` | ${fmtMs(cu.snapshotMs)} | ${fmtInt(cu.snapshotUnits)} units of ${fmtInt(cu.unitsInRedis)} | ${fmtInt(cu.unitsInRedis - cu.snapshotUnits)} | |`,
      '',
      'The catch-up is the events the screen missed, in stream order, filtered to its area (docs/PROTOCOL.md, "Catching up after a reconnect"); none twice (distinct ids), none missing (all 10 000).',
      '',
    );
  }

  const i1 = by('ingest-1-node');
  const i2 = by('ingest-2-node');
  out.push(
    '### Two nodes against one',
    '',
    '| measurement | one node | two nodes | two ÷ one | server CPU (one / two) | Redis (one / two) | load (one / two) | other (one / two) | target |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  );
  const pair = (
    label: string,
    one?: RealtimeScenario,
    two?: RealtimeScenario,
    pick?: (r: RealtimeResult) => number,
  ) => {
    if (!one?.result || !two?.result || !pick) {
      out.push(`| ${label} | ${one?.error ?? '–'} | ${two?.error ?? '–'} | | | | | | |`);
      return;
    }
    const a = pick(one.result);
    const b = pick(two.result);
    const servers = (s: RealtimeScenario) => s.servers.map((x) => fmtPct(x.cpuPct)).join(' + ');
    out.push(
      `| ${label} | ${fmtInt(a)} | ${fmtInt(b)} | ${fmtRatio(b, a)} | ${servers(one)} / ${servers(two)} | ${fmtPct(one.redisCpuPct ?? undefined)} / ${fmtPct(two.redisCpuPct ?? undefined)} | ${fmtPct(one.clientCpuPct ?? undefined)} / ${fmtPct(two.clientCpuPct ?? undefined)} | ${fmtPct(one.otherCpuPct ?? undefined)} / ${fmtPct(two.otherCpuPct ?? undefined)} | ≥ ${REALTIME_TARGETS.scaleOut}×: ${verdict(b / a >= REALTIME_TARGETS.scaleOut)} |`,
    );
  };
  pair(
    `ingest, single acked events (${INGEST.devices} devices × ${INGEST.inFlight}), events/s`,
    i1,
    i2,
    (r) => r.ackedPerS,
  );
  pair(`fan-out to ${fmtInt(FANOUT.screens)} screens, deliveries/s`, f1, f2, (r) => r.deliveriesPerS);
  out.push('');
  return out.join('\n');
}
