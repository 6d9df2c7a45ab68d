import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { describeZodError, type Clock } from '../../shared/src/index.ts';
import { groupCaughtUp, type RunningServer } from '../../server/src/index.ts';
import {
  createScenarioPlayer,
  loadRegion,
  loadScenario,
  startScenarioRun,
  type ScenarioRun,
} from '../../simulators/src/index.ts';
import { formatSummary, summarizeDrill, type AfterActionSummary } from './after-action.ts';
import { provisionDrillDevices } from './devices.ts';
import { printDrillUrls, progressLogger, startDrillServer, type DrillServerEnv } from './drill-server.ts';
import { createProgressBar } from './progress.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const DRILL_RUN_USAGE = `  drill:run <scenario.yaml|json> [--speed N] [--id D-…] [--port P] [--keep]
      run a scenario as a drill: a drill server beside the live one (own key space, 演练 watermark),
      simulated devices through the public protocol, a progress bar, and an after-action summary archived
      in Redis (<prefix>:drills) and .beacon/drills/<id>.json`;

/** A drill id: what the server's BEACON_DRILL_ID accepts. */
export const DrillId = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, '1–32 letters, digits, _ or -');

const DrillRunFlags = z.strictObject({
  scenario: z.string().min(1, 'name a scenario file'),
  speed: z.coerce.number().positive().max(1000).optional(),
  id: DrillId.optional(),
  port: z.coerce.number().int().min(0).max(65_535).default(0),
  keep: z.boolean().default(false),
});
export type DrillRunFlags = z.output<typeof DrillRunFlags>;

/** A command-line mistake: printed with the usage, exit code 2. */
export class DrillUsageError extends Error {}

/**
 * The command line the drill-server commands share (`drill:run`, `replay`): one input file and the flags
 * --speed, --id, --port, --keep, validated with `schema` (the file under `fileKey`). Mistakes are thrown as
 * `usage(message)`.
 */
export function parseDrillServerArgs<T>(
  args: string[],
  {
    fileKey,
    what,
    schema,
    usage,
  }: { fileKey: string; what: string; schema: z.ZodType<T>; usage: (message: string) => Error },
): T {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        speed: { type: 'string' },
        id: { type: 'string' },
        port: { type: 'string' },
        keep: { type: 'boolean' },
      },
    });
  } catch (error) {
    throw usage((error as Error).message);
  }
  if (parsed.positionals.length > 1) throw usage(`one ${what}, got ${parsed.positionals.join(' ')}`);
  const flags = schema.safeParse({ [fileKey]: parsed.positionals[0] ?? '', ...parsed.values });
  if (!flags.success) throw usage(describeZodError(flags.error));
  return flags.data;
}

/** Parse and validate `drill:run` arguments. */
export function parseDrillRunArgs(args: string[]): DrillRunFlags {
  return parseDrillServerArgs(args, {
    fileKey: 'scenario',
    what: 'scenario file',
    schema: DrillRunFlags,
    usage: (message) => new DrillUsageError(message),
  });
}

/** Simulated time running `speed` times faster than the wall clock from `simStart`. */
export function scaledClock(simStart: number, speed: number, realNow: () => number = Date.now): Clock {
  const realStart = realNow();
  return { now: () => Math.round(simStart + (realNow() - realStart) * speed) };
}

/** `D-<scenario>-<yyyymmddhhmm>` (real local time), at most 32 characters. */
export function defaultDrillId(scenarioId: string, now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}${p(now.getHours())}${p(now.getMinutes())}`;
  return `D-${scenarioId.slice(0, 17)}-${stamp}`;
}

export interface DrillRunEnv extends DrillServerEnv {
  /** Where `drills/<id>.json` is written (`BEACON_DATA_DIR`, default `.beacon`). */
  dataDir: string;
}

/**
 * Run a scenario as a drill: start a drill server (own key space under `<prefix>:drill:<id>`, a clock that
 * runs `speed`× from the scenario's start) on the live Redis, provision the drill's devices, play the scenario
 * through the public protocol with a progress bar, then archive an after-action summary.
 */
export async function runDrill(flags: DrillRunFlags, env: DrillRunEnv): Promise<AfterActionSummary> {
  const scenarioFile = path.resolve(flags.scenario);
  const scenario = await loadScenario(scenarioFile);
  const speed = flags.speed ?? scenario.speed;
  const drillId = flags.id ?? defaultDrillId(scenario.id);
  const regionDir = path.join(repoRoot, 'regions', scenario.region);
  const region = await loadRegion(regionDir);
  const player = createScenarioPlayer({ scenario, corridors: region.corridors, runId: drillId });

  const clock = scaledClock(player.startAt, speed);
  const archiveKey = `${env.keyPrefix}:drills`;
  const server = await startDrillServer({
    env,
    port: flags.port,
    drillId,
    regionDir,
    clock,
    notice: `演练 drill ×${speed}`,
    // The scenario's stations send rain as a rate; cars may be sped up by nothing but the clock.
    extraEnv: { BEACON_RAIN_INTERPRETATION: 'ratePerHour' },
  });
  let run: ScenarioRun | null = null;
  const bar = createProgressBar(env.stderr);
  try {
    if (await server.redis.hexists(archiveKey, drillId)) {
      throw new DrillUsageError(`drill ${drillId} was run and archived already; pick another --id`);
    }
    const credentials = await provisionDrillDevices(server.app.devices, {
      now: clock.now(),
      unitIds: scenario.fleet.crews ? player.patrols.units.map((u) => u.id) : [],
    });
    const url = printDrillUrls(env, server, `演练 drill ${drillId}: ${scenario.title ?? scenario.id}, ×${speed}`);
    const { log, warnings } = progressLogger(bar);
    run = startScenarioRun({
      serverUrl: `http://127.0.0.1:${server.port}`,
      player,
      corridors: region.corridors,
      credentials,
      runId: drillId,
      log,
    });
    await withTimeout(run.connected(), 15_000, 'the simulated devices could not connect to the drill server');

    const realStartedAt = Date.now();
    let interrupted = false;
    void env.interrupted?.then(() => (interrupted = true));
    let firedShown = 0;
    while (!player.done() && !interrupted) {
      await run.advanceTo(clock.now());
      while (firedShown < player.fired.length) bar.note(describeFired(player.fired[firedShown++]!));
      const stats = run.stats();
      bar.update({
        fraction: (Math.min(clock.now(), player.endAt) - player.startAt) / (player.endAt - player.startAt),
        simTime: Math.min(clock.now(), player.endAt),
        sent: stats.sent,
        acks: stats.accepted + stats.duplicates,
        errors: stats.errors + warnings(),
        crew: stats.crewReports,
      });
      await new Promise((r) => setTimeout(r, env.stepMs ?? 100));
    }
    bar.done();

    // Let the rules pipeline finish and the deadline watch judge the drill's end state.
    await waitFor(() => groupCaughtUp(server.redis, server.app.keys.ingestStream, server.app.keys.rulesGroup), 15_000);
    await server.app.deadlines.sweep();
    const endedAt = Math.min(clock.now(), player.endAt);
    const stats = run.stats();
    const summary = summarizeDrill({
      drillId,
      scenario: {
        id: scenario.id,
        title: scenario.title ?? null,
        region: scenario.region,
        seed: scenario.seed,
        file: path.relative(repoRoot, scenarioFile),
      },
      speed,
      endedEarly: interrupted,
      simulated: { from: player.startAt, to: endedAt },
      real: { startedAt: realStartedAt, endedAt: Date.now() },
      events: { sent: stats.sent, accepted: stats.accepted, errors: stats.errors, crewReports: stats.crewReports },
      statistics: await server.app.stats.statistics('30d'),
      incidents: await server.app.incidents.listIncidents(player.startAt - 1),
    });
    await archiveDrill(server, archiveKey, env.dataDir, summary);
    env.print(formatSummary(summary));
    env.print(
      `  archived 已归档      ${archiveKey} → ${drillId}; ${path.join(env.dataDir, 'drills', `${drillId}.json`)}`,
    );

    if (flags.keep && !interrupted) {
      env.print(`the drill wall stays open at ${url}/ — Ctrl-C to stop`);
      await run.stop();
      run = null;
      await env.interrupted;
    }
    return summary;
  } finally {
    bar.done();
    await run?.stop();
    await server.stop();
  }
}

async function archiveDrill(
  server: RunningServer,
  archiveKey: string,
  dataDir: string,
  summary: AfterActionSummary,
): Promise<void> {
  const json = JSON.stringify(summary, null, 2);
  await server.redis.hset(archiveKey, summary.drillId, JSON.stringify(summary));
  const dir = path.join(dataDir, 'drills');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${summary.drillId}.json`), json + '\n');
}

function describeFired(item: { at: number; what: string }): string {
  const local = new Date(item.at + 8 * 3600_000).toISOString().slice(11, 19);
  return `${local} +08  ${item.what}`;
}

/** Poll `check` until it says yes or `timeoutMs` passes (another process's state: there is no event). */
export async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** `work`, or a rejection with `message` after `ms`. */
export async function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
