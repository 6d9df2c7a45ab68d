import { systemClock, type Clock } from '@beacon/shared';
import { createCameras, type CameraOptions } from './cameras.ts';
import type { CrewCounts, CrewOptions } from './crews.ts';
import {
  createDeviceClient,
  type DeviceClient,
  type DeviceClientOptions,
  type DeviceClientStats,
} from './device-client.ts';
import { createEventIds, newRunId } from './event-ids.ts';
import { consoleLogger, type SimLogger } from './log.ts';
import { startPatrolSimulator, terminalDeviceId, type DeviceCredentials } from './patrol-simulator.ts';
import { createPatrols, type PatrolOptions } from './patrols.ts';
import { mulberry32, type Random } from './random.ts';
import { loadRegion } from './region.ts';
import { createWeather, type WeatherOptions } from './weather.ts';

type Tuning<T> = Partial<Omit<T, 'corridors' | 'clock' | 'random' | 'eventIds' | 'speed'>>;

export interface DemoOptions {
  /** Base URL of the Beacon server, e.g. `http://127.0.0.1:8080`. */
  serverUrl: string;
  /** Region pack directory, e.g. `regions/bijie`. */
  regionDir: string;
  clock?: Clock;
  /** Default: mulberry32 seeded from the clock. */
  random?: Random;
  /** Real milliseconds between ticks; default 1000. Each tick sends one GPS batch. */
  tickMs?: number;
  /** Speed-up factor for patrol motion; default 1. */
  speed?: number;
  log?: SimLogger;
  patrols?: Tuning<PatrolOptions>;
  cameras?: Tuning<CameraOptions>;
  weather?: Tuning<WeatherOptions>;
  /**
   * The registered device of each feed, and the terminals of the cars whose crews the demo plays (see
   * `provisionDemoDevices`). A car without a terminal here drives and reports GPS but never answers a dispatch.
   */
  credentials: DemoCredentials;
  /** How the simulated crews behave; default `DEMO_CREW_DELAYS` (clock time). */
  crews?: Partial<Omit<CrewOptions, 'clock' | 'random' | 'patrols' | 'link' | 'log'>>;
  /** Log a one-line summary this often (real time); 0 turns it off. Default 60 s. */
  statsEveryMs?: number;
  device?: Pick<DeviceClientOptions, 'ackTimeoutMs' | 'socketOptions'>;
}

export const DEMO_FEEDS = ['patrols', 'cameras', 'weather'] as const;
export type DemoFeed = (typeof DEMO_FEEDS)[number];
/** Device id and key per feed, and each crewed car's terminal by unit id. */
export type DemoCredentials = Record<DemoFeed, DeviceCredentials> & {
  terminals?: Readonly<Record<string, DeviceCredentials>>;
};

/** The demo's patrol cars: `BJ-01` … `BJ-12`. */
export const DEMO_UNIT_IDS: readonly string[] = Array.from(
  { length: 12 },
  (_, i) => `BJ-${String(i + 1).padStart(2, '0')}`,
);
/** Left to a person on `/patrol/BJ-01`: its crew is never simulated. */
export const DEMO_HUMAN_UNIT_ID = 'BJ-01';
/** The cars whose crews the demo plays, and their terminal device ids (`CAR-BJ-02` …). */
export const DEMO_CREWED_UNITS: readonly { unitId: string; deviceId: string }[] = DEMO_UNIT_IDS.filter(
  (id) => id !== DEMO_HUMAN_UNIT_ID,
).map((unitId) => ({ unitId, deviceId: terminalDeviceId(unitId) }));

/**
 * Crew delays of the demo, in clock time: shorter than a real crew's (and than a drill's), so that a whole
 * dispatch — acknowledge, set off, drive, on scene, cleared, back in service — plays out in a few minutes.
 */
export const DEMO_CREW_DELAYS = {
  acknowledgeDelayMs: [5_000, 20_000],
  departDelayMs: [3_000, 10_000],
  handlingMs: [60_000, 180_000],
  backInServiceMs: [20_000, 60_000],
} as const satisfies Partial<CrewOptions>;

type Totals = Omit<DeviceClientStats, 'connected'>;

export interface DemoStats extends Totals {
  ticks: number;
  walkOns: number;
  /** What the simulated crews reported. */
  crews: CrewCounts;
  byFeed: Record<'patrols' | 'cameras' | 'weather', DeviceClientStats>;
}

export interface Demo {
  /** Stop ticking, wait (bounded) for acknowledgements in flight, disconnect. */
  stop(): Promise<void>;
  stats(): DemoStats;
  /** Run one tick now (tests; the timer runs them anyway). */
  tick(): void;
  /** Resolves once every feed, every crewed car's terminal and the crews' `/ops` link are connected. */
  connected(): Promise<void>;
}

/**
 * The live demo feed: patrols, cameras and weather stations of a region pack, each over its own device
 * connection to `/ingest`. The patrol cars are a patrol simulator: GPS through the fleet gateway, and every
 * car with a terminal in `credentials.terminals` answers dispatches by itself (acknowledge, drive the route,
 * on scene, cleared, back in service) over that terminal. Timestamps come from `clock`, all randomness from
 * `random`.
 */
export async function startDemo({
  serverUrl,
  regionDir,
  clock = systemClock,
  random,
  tickMs = 1000,
  speed = 1,
  log = consoleLogger,
  patrols: patrolTuning = {},
  cameras: cameraTuning = {},
  weather: weatherTuning = {},
  credentials,
  crews: crewTuning = DEMO_CREW_DELAYS,
  statsEveryMs = 60_000,
  device = {},
}: DemoOptions): Promise<Demo> {
  if (!(tickMs >= 10)) throw new Error(`tickMs must be at least 10, got ${tickMs}`);
  if (!(speed > 0)) throw new Error(`speed must be positive, got ${speed}`);
  const rng = random ?? mulberry32(clock.now() % 2 ** 32);
  const region = await loadRegion(regionDir);
  const { corridors } = region;
  const run = newRunId(clock, rng);

  const patrols = createPatrols({
    ...patrolTuning,
    corridors,
    clock,
    random: rng,
    speed,
    eventIds: createEventIds(`${run}-gps`),
  });
  const cameras = createCameras({
    ...cameraTuning,
    corridors,
    clock,
    random: rng,
    eventIds: createEventIds(`${run}-ped`),
  });
  const weather = createWeather({
    ...weatherTuning,
    corridors,
    clock,
    random: rng,
    eventIds: createEventIds(`${run}-wx`),
  });

  const client = (feed: DemoFeed): DeviceClient =>
    createDeviceClient({ ...device, serverUrl, ...credentials[feed], log });
  const patrolSimulator = startPatrolSimulator({
    serverUrl,
    corridors,
    clock,
    random: rng,
    log,
    gateway: credentials.patrols,
    terminals: credentials.terminals ?? {},
    fleet: patrols,
    crews: { ...DEMO_CREW_DELAYS, ...crewTuning },
    runId: run,
    ...device,
  });
  const clients = { patrols: patrolSimulator.gateway, cameras: client('cameras'), weather: client('weather') };

  let ticks = 0;
  let walkOnsSeen = 0;
  let stopped = false;

  function tick(): void {
    if (stopped) return;
    try {
      ticks += 1;
      patrolSimulator.tick().catch((error: unknown) => {
        log.error({ err: (error as Error).stack ?? String(error) }, 'demo patrol tick failed');
      });

      const detections = cameras.tick();
      while (walkOnsSeen < cameras.walkOns.length) {
        const walkOn = cameras.walkOns[walkOnsSeen]!;
        walkOnsSeen += 1;
        log.info(
          { corridor: walkOn.corridorRef, lon: walkOn.lon, lat: walkOn.lat, cameras: walkOn.cameraIds },
          'demo: pedestrian walks onto the expressway',
        );
      }
      for (const detection of detections) void clients.cameras.send('pedestrian:detected', detection);
      for (const observation of weather.tick()) void clients.weather.send('weather:observed', observation);
    } catch (error) {
      // A simulator bug must not take the process down; say so loudly and keep ticking.
      log.error({ err: (error as Error).stack ?? String(error) }, 'demo tick failed');
    }
  }

  function stats(): DemoStats {
    const byFeed = {
      patrols: clients.patrols.stats(),
      cameras: clients.cameras.stats(),
      weather: clients.weather.stats(),
    };
    const totals: Totals = { sent: 0, accepted: 0, duplicates: 0, rejected: 0, failed: 0, dropped: 0 };
    for (const feed of Object.values(byFeed)) {
      for (const key of Object.keys(totals) as (keyof Totals)[]) totals[key] += feed[key];
    }
    return { ...totals, ticks, walkOns: cameras.walkOns.length, crews: patrolSimulator.crews.counts(), byFeed };
  }

  log.info(
    {
      region: region.id,
      serverUrl,
      corridors: corridors.map((c) => c.ref),
      units: patrols.units.length,
      crews: Object.keys(credentials.terminals ?? {}).length,
      stations: weather.stations.length,
      tickMs,
      speed,
    },
    'demo feed started',
  );
  const timer = setInterval(tick, tickMs);
  const statsTimer =
    statsEveryMs > 0
      ? setInterval(() => {
          const { byFeed: _byFeed, ...summary } = stats();
          log.info(summary, 'demo feed stats');
        }, statsEveryMs)
      : null;
  statsTimer?.unref();

  return {
    tick,
    stats,
    async connected() {
      await Promise.all([patrolSimulator.connected(), clients.cameras.connected(), clients.weather.connected()]);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      if (statsTimer) clearInterval(statsTimer);
      await Promise.all([patrolSimulator.stop(), clients.cameras.close(), clients.weather.close()]);
      const { byFeed: _byFeed, ...summary } = stats();
      log.info(summary, 'demo feed stopped');
    },
  };
}
