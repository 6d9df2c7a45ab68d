/**
 * The wall's benchmark in `pnpm bench`: frame rate of the real wall (built client, real server, throw-away
 * Redis) in headless Chromium at 1920×1080 with 2 000 units moving at 1 Hz and 500 open incidents, next to a
 * bare MapLibre page (bench/wall-bare/) drawing the same basemap, units and incidents in the same run; and
 * the wall's JS heap after a warm-up and much later.
 *
 * Everything is on 127.0.0.1: the load speaks the public device protocol (`ingest:batch` from fleet
 * gateways, simulators' `startLoad`), incidents are opened by a dispatcher over /ops, the wall runs on a
 * display token. Any request the browser makes elsewhere fails the bench.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as Playwright from 'playwright-core';
import { INCIDENT_TYPES, systemClock, type IncidentType } from '../shared/src/index.ts';
import { createApp, createLogger, parseConfig, REDIS_CLIENT_OPTIONS, type App } from '../server/src/index.ts';
import { newRunId } from '../simulators/src/event-ids.ts';
import { startLoad, type LoadGenerator } from '../simulators/src/load.ts';
import { silentLogger } from '../simulators/src/log.ts';
import { mulberry32 } from '../simulators/src/random.ts';
import { loadRegion } from '../simulators/src/region.ts';
import { CHROMIUM_ARGS } from '../scripts/lib/chromium.ts';
import { decideClientBuild, pnpmCommand } from '../scripts/lib/client-build.ts';
import { io, Redis } from './deps.ts';
import type { MachineInfo } from './report.ts';
import { fmtPct } from './stats.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** bench/ borrows the browser tests' playwright-core (Debian's Chromium; no browser download). */
const { chromium } = createRequire(path.join(repoRoot, 'test/package.json'))('playwright-core') as typeof Playwright;

export const WALL_TARGETS = { fpsShareOfBare: 0.9, heapGrowth: 0.1 };
export const WALL_LOAD = { units: 2000, gpsHz: 1, incidents: 500, width: 1920, height: 1080 };

export interface WallTiming {
  /** After both pages have loaded their map and data, before frames are counted. */
  warmupMs: number;
  /** Frames are counted over this much time on each page, in `rounds` alternating windows. */
  fpsWindowMs: number;
  /** Bare, wall, bare, wall, …: this many windows per page, so that the machine's load drifts on both alike. */
  rounds: number;
  /** The wall's heap is read (after a forced GC) at these times after it opened. */
  heapAtMs: [number, number];
}

export const wallTiming = (quick: boolean): WallTiming =>
  quick
    ? { warmupMs: 15_000, fpsWindowMs: 30_000, rounds: 3, heapAtMs: [120_000, 240_000] }
    : { warmupMs: 30_000, fpsWindowMs: 60_000, rounds: 6, heapAtMs: [5 * 60_000, 30 * 60_000] };

/** After the pages swap places, this long before frames are counted. */
const SWITCH_SETTLE_MS = 2000;

/** How long the wall bench may take at most (build excluded), for the run's watchdog. */
export const wallBudgetMs = (quick: boolean): number => {
  const t = wallTiming(quick);
  return t.heapAtMs[1] + t.warmupMs + 2 * (t.fpsWindowMs + t.rounds * SWITCH_SETTLE_MS) + 90_000;
};

export interface FrameStats {
  /** Gaps between consecutive frames, ms (for merging windows; not written to the report). */
  gaps?: number[];
  frames: number;
  elapsedMs: number;
  fps: number;
  p95GapMs: number;
  maxGapMs: number;
  /** MapLibre `render` events per second (repaints of the map itself). */
  mapRendersPerS: number;
  /** GeoJSON sources whose data changed (`sourcedata` with new content), per second, by source. */
  sourceUpdatesPerS: Record<string, number>;
}

export interface WallBenchResult {
  quick: boolean;
  timing: WallTiming;
  chromium: string;
  renderer: string;
  bare: FrameStats | null;
  wall: FrameStats | null;
  /** Wall frames/s ÷ bare frames/s of each round (a bare window and the wall window after it). */
  roundShares: number[];
  /** Main-thread time the wall used while behind the bare page, per second of the bare page's windows. */
  wallBehindCpuShare: number | null;
  bareHeapMB: number | null;
  /** The wall's used JS heap at `timing.heapAtMs`, after a forced GC. */
  heapMB: [number | null, number | null];
  /** Units the wall's map held and incidents the wall listed when its frames were counted. */
  wallUnits: number;
  wallIncidents: number;
  /** The wall map's zoom while measured, and the zoom from which it drew heading arrows. */
  wallZoom: number | null;
  headingMinZoom: number | null;
  gpsAccepted: number;
  gpsDropped: number;
  outsideRequests: string[];
  pageErrors: string[];
  error?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Build the client with Vite when client/dist is missing or older than its sources (same rule as `pnpm start`). */
export function ensureClientBuilt(log: (line: string) => void): string {
  const decision = decideClientBuild(repoRoot);
  if (decision.build) {
    log(`building the client: ${decision.reason}`);
    const pnpm = pnpmCommand();
    execFileSync(pnpm.command, [...pnpm.args, '--filter', '@beacon/client', 'build'], {
      cwd: repoRoot,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  return path.join(repoRoot, 'client/dist');
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.geojson': 'application/json',
};

/** The bare page, maplibre-gl's dist files and the region pack, from a static server on 127.0.0.1. */
async function startBareServer(regionDir: string): Promise<{ url: string; close(): Promise<void> }> {
  const roots: [prefix: string, dir: string][] = [
    ['/maplibre-gl/', path.join(repoRoot, 'client/node_modules/maplibre-gl/dist')],
    ['/region/', regionDir],
    ['/', path.join(repoRoot, 'bench/wall-bare')],
  ];
  const server = http.createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const [prefix, dir] = roots.find(([p]) => pathname.startsWith(p))!;
    const rel = pathname.slice(prefix.length) || 'index.html';
    const file = path.resolve(dir, rel);
    if (!file.startsWith(dir) || !fs.existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * Count requestAnimationFrame callbacks and map repaints over `ms` in the page. Page functions are sent as
 * source text: tsx's transform would wrap named functions in a helper the page does not have.
 */
async function countFrames(page: Playwright.Page, ms: number, mapExpression: string): Promise<FrameStats> {
  return page.evaluate(`new Promise((resolve) => {
    const map = ${mapExpression};
    let renders = 0;
    map.on('render', () => (renders += 1));
    const updates = {};
    map.on('sourcedata', (e) => {
      if (e.sourceDataType === 'content') updates[e.sourceId] = (updates[e.sourceId] ?? 0) + 1;
    });
    const gaps = [];
    const start = performance.now();
    let last = start;
    const frame = (t) => {
      gaps.push(t - last);
      last = t;
      if (t - start < ${ms}) return requestAnimationFrame(frame);
      const elapsedMs = t - start;
      const sorted = [...gaps].sort((a, b) => a - b);
      resolve({
        gaps,
        frames: gaps.length,
        elapsedMs,
        fps: (gaps.length * 1000) / elapsedMs,
        p95GapMs: sorted[Math.floor(sorted.length * 0.95)] ?? 0,
        maxGapMs: sorted[sorted.length - 1] ?? 0,
        mapRendersPerS: (renders * 1000) / elapsedMs,
        sourceUpdatesPerS: Object.fromEntries(
          Object.entries(updates).map(([id, n]) => [id, Math.round((n * 10000) / elapsedMs) / 10]),
        ),
      });
    };
    requestAnimationFrame(frame);
  })`);
}

/** Several windows of one page as one: frames and time summed, gaps pooled, rates weighted by time. */
export function mergeFrameStats(windows: FrameStats[]): FrameStats {
  const elapsedMs = windows.reduce((sum, w) => sum + w.elapsedMs, 0);
  const frames = windows.reduce((sum, w) => sum + w.frames, 0);
  const gaps = windows.flatMap((w) => w.gaps ?? []).sort((a, b) => a - b);
  const weighted = (rate: (w: FrameStats) => number) =>
    elapsedMs > 0 ? windows.reduce((sum, w) => sum + rate(w) * w.elapsedMs, 0) / elapsedMs : 0;
  const sources = new Set(windows.flatMap((w) => Object.keys(w.sourceUpdatesPerS)));
  return {
    frames,
    elapsedMs,
    fps: elapsedMs > 0 ? (frames * 1000) / elapsedMs : 0,
    p95GapMs: gaps[Math.floor(gaps.length * 0.95)] ?? 0,
    maxGapMs: gaps[gaps.length - 1] ?? 0,
    mapRendersPerS: weighted((w) => w.mapRendersPerS),
    sourceUpdatesPerS: Object.fromEntries(
      [...sources].map((id) => [id, Math.round(weighted((w) => w.sourceUpdatesPerS[id] ?? 0) * 10) / 10]),
    ),
  };
}

/**
 * Freeze or thaw a page (CDP `Page.setWebLifecycleState`): a frozen page runs no tasks, timers or frames,
 * so the page that is not being measured takes nothing from the one that is.
 */
async function setFrozen(page: Playwright.Page, frozen: boolean): Promise<void> {
  await withCdp(page, (cdp) => cdp.send('Page.setWebLifecycleState', { state: frozen ? 'frozen' : 'active' }));
}

/** Used JS heap of the page in MB, after a forced garbage collection (what is retained, not garbage). */
function heapMB(page: Playwright.Page): Promise<number> {
  return withCdp(page, async (cdp) => {
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = await cdp.send('Runtime.getHeapUsage');
    return usedSize / 2 ** 20;
  });
}

/** Run `use` on a CDP session of the page, detached afterwards. */
async function withCdp<T>(page: Playwright.Page, use: (cdp: Playwright.CDPSession) => Promise<T>): Promise<T> {
  const cdp = await page.context().newCDPSession(page);
  try {
    return await use(cdp);
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

const PRIORITY_BY_INDEX = ['P2', 'P3', 'P3', 'P4'] as const;

/**
 * Run the wall benchmark on the throw-away Redis at `redisUrl` (emptied first). Never throws: a failure is
 * reported in `error` with whatever was measured before it.
 */
export async function runWallBench({
  redisUrl,
  admin,
  quick,
  log,
  timing = wallTiming(quick),
}: {
  redisUrl: string;
  admin: Redis;
  quick: boolean;
  log: (line: string) => void;
  /** Other windows than `--quick`'s or the full run's, for trying the bench itself. */
  timing?: WallTiming;
}): Promise<WallBenchResult> {
  const result: WallBenchResult = {
    quick,
    timing,
    chromium: '?',
    renderer: '?',
    bare: null,
    wall: null,
    roundShares: [],
    wallBehindCpuShare: null,
    bareHeapMB: null,
    heapMB: [null, null],
    wallUnits: 0,
    wallIncidents: 0,
    wallZoom: null,
    headingMinZoom: null,
    gpsAccepted: 0,
    gpsDropped: 0,
    outsideRequests: [],
    pageErrors: [],
  };
  let app: App | null = null;
  let load: LoadGenerator | null = null;
  let loadTimer: NodeJS.Timeout | undefined;
  let bareTimer: NodeJS.Timeout | undefined;
  let bareServer: Awaited<ReturnType<typeof startBareServer>> | null = null;
  let browser: Playwright.Browser | null = null;
  const redis = new Redis(redisUrl, REDIS_CLIENT_OPTIONS);
  try {
    const clientDist = ensureClientBuilt(log);
    await admin.flushall();
    const config = parseConfig({
      redisUrl,
      port: 0,
      host: '127.0.0.1',
      logLevel: 'silent',
      clientDist,
      // As in the other benches: the limiter runs but never refuses the load or the dispatcher.
      deviceRatePerS: 1e9,
      deviceBurst: 1e9,
      maxConnectionsPerIp: 0,
      opsCommandRatePerS: 1e9,
      opsCommandBurst: 1e9,
    });
    await redis.connect();
    app = createApp({ redis, clock: systemClock, config, log: createLogger('silent') });
    const port = await app.listen(0, '127.0.0.1');
    const baseUrl = `http://127.0.0.1:${port}`;
    const now = Date.now();

    const gateways = [];
    for (let i = 1; i <= 2; i += 1) {
      const deviceId = `WALL-GW-${i}`;
      const { key } = await app.devices.addDevice({ deviceId, kind: 'patrol', unitId: null }, now, { replace: true });
      gateways.push({ deviceId, key });
    }
    const region = await loadRegion(config.regionDir);
    const random = mulberry32(20_500);
    const units = startLoad({
      serverUrl: baseUrl,
      corridors: region.corridors,
      clock: systemClock,
      random,
      log: silentLogger,
      units: WALL_LOAD.units,
      stations: 0,
      ratePerS: WALL_LOAD.gpsHz,
      gateways,
      weather: [],
      idPrefix: 'WB',
      runId: newRunId(systemClock, random),
    });
    load = units;
    await units.connected();
    await units.tick();
    loadTimer = setInterval(() => void units.tick(), 1000 / WALL_LOAD.gpsHz);
    const patrols = units.patrols!;

    // 500 incidents of every type where the units drive, opened by a dispatcher (no P1: a P1 takes the
    // wall over by design, which is a different, temporary picture).
    const user = await app.access.addUser(
      { username: 'bench-dispatcher', password: 'bench-password-1', role: 'dispatcher', jurisdiction: '520500' },
      now,
      { replace: true },
    );
    const { token: sessionToken } = await app.access.openSession(user, now, 24 * 3600);
    const dispatcher = io(`${baseUrl}/ops`, {
      auth: { token: sessionToken },
      transports: ['websocket'],
      forceNew: true,
    });
    const incidentRows: [number, number, string, IncidentType][] = [];
    try {
      await new Promise<void>((resolve, reject) => {
        dispatcher.once('connect', () => resolve());
        dispatcher.once('connect_error', reject);
      });
      for (let i = 0; i < WALL_LOAD.incidents; i += 10) {
        await Promise.all(
          Array.from({ length: Math.min(10, WALL_LOAD.incidents - i) }, async (_, j) => {
            const n = i + j;
            const at = patrols.positionOf(patrols.units[(n * 7) % patrols.units.length]!.id)!;
            const type = INCIDENT_TYPES[n % INCIDENT_TYPES.length]!;
            const priority = PRIORITY_BY_INDEX[n % PRIORITY_BY_INDEX.length]!;
            const lon = at.lon + (random() - 0.5) * 0.01;
            const lat = at.lat + (random() - 0.5) * 0.01;
            const ack = (await dispatcher.emitWithAck('incident:create', { type, priority, lon, lat })) as {
              ok: boolean;
              error?: { message: string };
            };
            if (!ack.ok) throw new Error(`incident:create: ${ack.error?.message}`);
            incidentRows.push([lon, lat, priority, type]);
          }),
        );
      }
    } finally {
      dispatcher.disconnect();
    }
    log(`  ${WALL_LOAD.units} units at ${WALL_LOAD.gpsHz} Hz and ${incidentRows.length} incidents on the server`);

    const { token: displayToken } = await app.access.addDisplay('bench-wall', '520500');
    bareServer = await startBareServer(config.regionDir);
    const executablePath = '/usr/bin/chromium';
    browser = await chromium.launch({
      executablePath,
      headless: true,
      args: [
        ...CHROMIUM_ARGS,
        // Nothing but this machine resolves: the assertion below is the check, this makes sure.
        '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
      ],
    });
    result.chromium = browser.version();
    const context = await browser.newContext({
      viewport: { width: WALL_LOAD.width, height: WALL_LOAD.height },
      deviceScaleFactor: 1,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    const watch = (page: Playwright.Page) => {
      const record = (url: string) => {
        if (url.startsWith('data:') || url.startsWith('blob:')) return;
        if (new URL(url).hostname !== '127.0.0.1') result.outsideRequests.push(url);
      };
      page.on('request', (request) => record(request.url()));
      page.on('websocket', (socket) => record(socket.url()));
      page.on('pageerror', (error) => result.pageErrors.push(error.message));
    };

    // Baseline: the bare page, the same units pushed once a second, the same incidents.
    log('  bare MapLibre page …');
    const bare = await context.newPage();
    watch(bare);
    await bare.goto(`${bareServer.url}/index.html`);
    await bare.waitForFunction(() => (window as unknown as { bareReady?: boolean }).bareReady === true, null, {
      timeout: 60_000,
    });
    result.renderer = await bare.evaluate(() => {
      const gl = document.createElement('canvas').getContext('webgl2');
      const info = gl?.getExtension('WEBGL_debug_renderer_info');
      return gl && info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : 'unknown';
    });
    await bare.evaluate(
      (rows) => (window as unknown as { setIncidents(r: unknown): void }).setIncidents(rows),
      incidentRows,
    );
    const pushUnits = () => {
      const rows = patrols.units.map((u) => {
        const p = patrols.positionOf(u.id)!;
        return [p.lon, p.lat, p.headingDeg, u.id] as const;
      });
      bare
        .evaluate((r) => (window as unknown as { setUnits(r: unknown): void }).setUnits(r), rows)
        .catch(() => undefined);
    };
    pushUnits();
    bareTimer = setInterval(pushUnits, 1000 / WALL_LOAD.gpsHz);

    // The wall, on its display token, opened beside the bare page.
    log('  the wall …');
    const wall = await context.newPage();
    watch(wall);
    const openedAt = Date.now();
    await wall.goto(`${baseUrl}/?display=${encodeURIComponent(displayToken)}`);
    await wall.waitForSelector('[data-map-state="loaded"]', { timeout: 90_000 });
    await wall.waitForSelector('[data-testid="connection"][data-state="connected"]', { timeout: 60_000 });
    await sleep(timing.warmupMs);

    // Alternating windows: bare, wall, bare, wall, … The machine is shared, and its load drifts over a minute
    // by more than the difference measured; alternating spreads the drift over both pages.
    const wallMap = "document.querySelector('.map-canvas').beaconMap";
    const windowMs = Math.round(timing.fpsWindowMs / timing.rounds);
    const bareWindows: FrameStats[] = [];
    const wallWindows: FrameStats[] = [];
    clearInterval(bareTimer);
    const wallCpu = await wall.context().newCDPSession(wall);
    await wallCpu.send('Performance.enable');
    const wallTaskS = async () =>
      (await wallCpu.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0;
    let behindTaskS = 0;
    let behindMs = 0;
    for (let round = 0; round < timing.rounds; round += 1) {
      // The bare page in front; the wall behind it keeps its live feed (it is a live page: freezing it would
      // measure its catch-up afterwards), its frames throttled like a hidden tab's. What it still costs is
      // measured and reported.
      await setFrozen(bare, false);
      await bare.bringToFront();
      pushUnits();
      bareTimer = setInterval(pushUnits, 1000 / WALL_LOAD.gpsHz);
      await sleep(SWITCH_SETTLE_MS);
      const taskBefore = await wallTaskS();
      const bareWindow = await countFrames(bare, windowMs, 'window.bareMap');
      behindTaskS += (await wallTaskS()) - taskBefore;
      behindMs += bareWindow.elapsedMs;
      clearInterval(bareTimer);
      // The wall in front; the bare page, fed by this bench and not live, is frozen until its next window.
      await setFrozen(bare, true);
      await wall.bringToFront();
      await sleep(SWITCH_SETTLE_MS);
      const wallWindow = await countFrames(wall, windowMs, wallMap);
      bareWindows.push(bareWindow);
      wallWindows.push(wallWindow);
      result.roundShares.push(bareWindow.fps > 0 ? wallWindow.fps / bareWindow.fps : 0);
      log(
        `  round ${round + 1}: bare ${bareWindow.fps.toFixed(1)}, wall ${wallWindow.fps.toFixed(1)} frames/s (${fmtPct(result.roundShares.at(-1)!)})`,
      );
    }
    await wallCpu.detach().catch(() => undefined);
    result.wallBehindCpuShare = behindMs > 0 ? (behindTaskS * 1000) / behindMs : null;
    log(`  the wall behind the bare page used ${fmtPct(result.wallBehindCpuShare ?? undefined)} of a core`);
    result.bare = mergeFrameStats(bareWindows);
    result.wall = mergeFrameStats(wallWindows);
    await setFrozen(bare, false);
    result.bareHeapMB = await heapMB(bare);
    await bare.close();
    log(
      `  bare: ${result.bare.fps.toFixed(1)} frames/s, source updates/s ${JSON.stringify(result.bare.sourceUpdatesPerS)}`,
    );
    const held = await wall.evaluate<{
      units: number;
      incidents: number;
      zoom: number;
      headingMinZoom: number;
    }>(`(() => {
      const map = document.querySelector('.map-canvas').beaconMap;
      const ids = (source) => new Set(map.querySourceFeatures(source).map((f) => f.properties.id)).size;
      return {
        units: ids('units'),
        incidents: ids('incidents'),
        zoom: map.getZoom(),
        headingMinZoom: map.getLayer('units-heading')?.minzoom ?? 0,
      };
    })()`);
    result.wallZoom = held.zoom;
    result.headingMinZoom = held.headingMinZoom;
    result.wallUnits = held.units;
    result.wallIncidents = held.incidents;
    log(
      `  wall: ${result.wall.fps.toFixed(1)} frames/s (${held.units} units, ${held.incidents} incidents on the map), source updates/s ${JSON.stringify(result.wall.sourceUpdatesPerS)}`,
    );
    for (const [i, at] of timing.heapAtMs.entries()) {
      const wait = openedAt + at - Date.now();
      if (wait > 0) {
        log(`  heap at ${at / 60_000} min: waiting ${Math.round(wait / 1000)} s …`);
        await sleep(wait);
      }
      result.heapMB[i] = await heapMB(wall);
      log(`  heap at ${at / 60_000} min: ${result.heapMB[i]!.toFixed(1)} MB`);
    }
    await wall.close();
    const stats = units.stats();
    result.gpsAccepted = stats.accepted;
    result.gpsDropped = stats.dropped;
    if (result.outsideRequests.length) {
      result.error = `the browser asked machines other than 127.0.0.1: ${result.outsideRequests.slice(0, 3).join(', ')}`;
    }
  } catch (error) {
    result.error = error instanceof Error ? error.message : String(error);
  } finally {
    clearInterval(loadTimer);
    clearInterval(bareTimer);
    await browser?.close().catch(() => undefined);
    await load?.stop().catch(() => undefined);
    await bareServer?.close().catch(() => undefined);
    await app?.close().catch(() => undefined);
    redis.disconnect();
  }
  return result;
}

const min = (ms: number) => (ms >= 60_000 ? `${ms / 60_000} min` : `${ms / 1000} s`);
const fps = (f: FrameStats | null) => (f ? f.fps.toFixed(1) : '–');
const verdict = (ok: boolean) => (ok ? '**met**' : '**missed**');

/** The wall's section of docs/BENCHMARKS.md (starts with `## Wall`, which splicing relies on). */
export function renderWallSection(r: WallBenchResult, m: MachineInfo): string {
  const t = r.timing;
  const out: string[] = [
    `## Wall: frame rate and JS heap${r.quick ? ' (quick variant)' : ''}`,
    '',
    `_This section: ${new Date().toISOString()}, ${r.quick ? '`pnpm bench --quick --only=wall`' : '`pnpm bench`'}._${
      r.quick
        ? ` **Quick variant:** ${min(t.fpsWindowMs)} frame windows and the heap at ${min(t.heapAtMs[0])} and ${min(t.heapAtMs[1])}, not the issue's 5 and 30 minutes.`
        : ''
    }`,
    '',
    `Machine: ${m.cpus} × ${m.cpuModel}, ${m.memGiB.toFixed(0)} GiB, ${m.os}, Node ${m.node}, redis-server ${m.redis}, commit ${m.commit}; load average at the start of the run ${m.loadAvg.map((l) => l.toFixed(2)).join(' / ')}.`,
    '',
    `\`bench/wall.ts\` serves the built client from the real server (\`createApp\`, throw-away Redis, permissive rate limits as above). ${fmtN(WALL_LOAD.units)} patrol units move along the corridors and report at ${WALL_LOAD.gpsHz} Hz through two fleet gateways (\`ingest:batch\`, simulators’ \`startLoad\`); a dispatcher opens ${WALL_LOAD.incidents} incidents of all six types, P2–P4 (a P1 takes the wall over by design), over \`/ops\`. Headless Chromium ${r.chromium} (\`--headless --no-sandbox --disable-gpu\`; WebGL by **${r.renderer}**, i.e. in software on the CPU) at ${WALL_LOAD.width}×${WALL_LOAD.height}, device scale 1. **Baseline:** a bare MapLibre page (\`bench/wall-bare/\`, maplibre-gl from \`client/node_modules\`) with the same region basemap, the units as one GeoJSON source replaced every second with the simulator’s positions, and the same incidents, open in the same browser beside the wall while the same load runs. Both pages warm up ${min(t.warmupMs)} after their maps and data loaded; then \`requestAnimationFrame\` callbacks are counted in ${t.rounds} alternating rounds (bare, wall, bare, wall, …) of ${min(Math.round(t.fpsWindowMs / t.rounds))} per page, ${min(t.fpsWindowMs)} per page in all, each page brought to the front ${min(SWITCH_SETTLE_MS)} before its window (a page behind another gets no frames, like a hidden tab). During the wall's windows the bare page is frozen (CDP \`Page.setWebLifecycleState\`); during the bare page's windows the wall stays live behind it (freezing it would measure its catch-up afterwards), and what its feed still costs there is measured (CDP \`TaskDuration\`) and given below the table. The machine is shared and its load drifts over a minute by more than the difference measured: alternating spreads the drift over both pages (frames/s; p95 and longest gap between frames; MapLibre \`render\` events/s). The heap is \`Runtime.getHeapUsage\` (CDP) after \`HeapProfiler.collectGarbage\`, at ${min(t.heapAtMs[0])} and ${min(t.heapAtMs[1])} after the wall opened. Software WebGL on two shared cores makes absolute frame rates low: **the ratio to the bare page is the figure**.`,
    '',
  ];
  if (r.error) out.push(`**Failed:** ${r.error.split('\n')[0]}`, '');
  const share = r.bare && r.wall && r.bare.fps > 0 ? r.wall.fps / r.bare.fps : null;
  out.push(
    '| page | frames/s | ÷ bare page | p95 frame gap | longest gap | map repaints/s | unit source updates/s | target |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  );
  const row = (name: string, f: FrameStats | null, target: string) =>
    out.push(
      `| ${name} | ${fps(f)} | ${name.startsWith('baseline') ? '100 %' : share === null ? '–' : fmtPct(share)} | ${f ? `${f.p95GapMs.toFixed(0)} ms` : '–'} | ${f ? `${f.maxGapMs.toFixed(0)} ms` : '–'} | ${f ? f.mapRendersPerS.toFixed(1) : '–'} | ${f?.sourceUpdatesPerS.units?.toFixed(1) ?? '–'} | ${target} |`,
    );
  row('baseline: bare MapLibre page', r.bare, '');
  row(
    '**the wall**',
    r.wall,
    share === null
      ? ''
      : `≥ ${fmtPct(WALL_TARGETS.fpsShareOfBare)} of bare: ${verdict(share >= WALL_TARGETS.fpsShareOfBare)}`,
  );
  if (r.roundShares.length > 0) {
    const behind =
      r.wallBehindCpuShare === null
        ? ''
        : ` While the bare page was measured, the wall behind it used ${fmtPct(r.wallBehindCpuShare)} of a core on its main thread for its live feed (a cost the bare page's figure bears).`;
    out.push(
      '',
      `The wall ÷ the bare page, round by round: ${r.roundShares.map((x) => fmtPct(x)).join(', ')}.${behind}`,
    );
  }
  out.push('');
  const [h0, h1] = r.heapMB;
  const growth = h0 && h1 ? h1 / h0 - 1 : null;
  out.push(
    '| JS heap (after GC) | MB | ÷ first sample | target |',
    '| --- | ---: | ---: | --- |',
    `| baseline: bare page, end of its window | ${r.bareHeapMB?.toFixed(1) ?? '–'} | | |`,
    `| the wall at ${min(t.heapAtMs[0])} | ${h0?.toFixed(1) ?? '–'} | 100 % | |`,
    `| **the wall at ${min(t.heapAtMs[1])}** | ${h1?.toFixed(1) ?? '–'} | ${growth === null ? '–' : fmtPct(1 + growth)} | ≤ ${fmtPct(1 + WALL_TARGETS.heapGrowth)}${growth === null ? '' : `: ${verdict(growth <= WALL_TARGETS.heapGrowth)}`}${r.quick ? ' (quick: indicative)' : ''} |`,
    '',
    `While its frames were counted the wall’s map held ${fmtN(r.wallUnits)} units and ${fmtN(r.wallIncidents)} incidents in the view${
      r.wallZoom === null
        ? ''
        : ` at zoom ${r.wallZoom.toFixed(1)} (heading arrows from zoom ${r.headingMinZoom ?? 0} on: a fleet of over 300 units shows them from a county's zoom, see client/src/map/layers/UnitLayer.vue)`
    }; the gateways had ${fmtN(r.gpsAccepted)} fixes accepted and ${fmtN(r.gpsDropped)} dropped over the run. Requests to machines other than 127.0.0.1: ${r.outsideRequests.length}; page errors: ${r.pageErrors.length ? r.pageErrors.slice(0, 3).join('; ') : 'none'}.`,
    '',
  );
  return out.join('\n');
}

const fmtN = (n: number) => n.toLocaleString('en-US').replace(/,/g, ' ');

/** One line for the console. */
export function wallSummaryLine(r: WallBenchResult): string {
  if (r.error) return `FAILED: ${r.error}`;
  const share = r.bare && r.wall && r.bare.fps ? r.wall.fps / r.bare.fps : 0;
  const [h0, h1] = r.heapMB;
  return `wall ${fps(r.wall)} frames/s vs bare ${fps(r.bare)} (${fmtPct(share)}), heap ${h0?.toFixed(1)} → ${h1?.toFixed(1)} MB`;
}
