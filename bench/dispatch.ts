/**
 * Dispatch benchmarks (roads-and-dispatch issue): recommendation latency with 2 000 units on the network,
 * next to a raw-Redis GEOSEARCH baseline of the same radius measured in the same run; and assignment under
 * contention (many dispatchers racing for few units), next to the assign script called directly. Every
 * figure is measured in-process against the real createApp wired to a throw-away Redis.
 */
import { performance } from 'node:perf_hooks';
import { manualClock, type Clock, type LonLat } from '../shared/src/index.ts';
import { createApp, createLogger, groupCaughtUp, matchToRoad, parseConfig, pointAtStake } from '../server/src/index.ts';
import { mulberry32 } from '../simulators/src/random.ts';
import { Redis } from './deps.ts';
import { Samples, type LatencySummary } from './stats.ts';

export const DISPATCH_TARGETS = { recommendP99Ms: 10 };

export interface DispatchBenchResult {
  units: number;
  incidents: number;
  recommend: LatencySummary | null;
  geosearchBaseline: LatencySummary | null;
  recommendCandidatesMean: number;
  assign: {
    dispatchers: number;
    attempts: number;
    successes: number;
    unitUnavailable: number;
    conflicts: number;
    otherErrors: number;
    perS: number;
    latency: LatencySummary | null;
    doubleAssigned: number;
  };
  assignScriptBaseline: { perS: number; latency: LatencySummary | null };
}

const CORRIDOR_KM: Record<string, number> = { SX1: 85, SX2: 125, SX3: 50, SX4: 130 };

export async function runDispatchBench({
  redisUrl,
  units = 2000,
  incidents = 60,
  recommendations = 600,
  dispatchers = 20,
  assignWindowMs = 4000,
  log = () => undefined,
}: {
  redisUrl: string;
  units?: number;
  incidents?: number;
  recommendations?: number;
  dispatchers?: number;
  assignWindowMs?: number;
  log?: (line: string) => void;
}): Promise<DispatchBenchResult> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  await redis.flushall();
  const clock: Clock = manualClock(Date.now());
  const config = parseConfig({
    redisUrl,
    port: 0,
    host: '127.0.0.1',
    logLevel: 'silent',
    deviceRatePerS: 1e9,
    deviceBurst: 1e9,
    // Many assignments per second from one test dispatcher.
    opsCommandRatePerS: 1e9,
    opsCommandBurst: 1e9,
  });
  const app = createApp({ redis, clock, config, log: createLogger('silent') });
  await app.listen();
  const graph = app.roads.graph;
  const random = mulberry32(2026);
  const refs = Object.keys(CORRIDOR_KM);

  const place = (): { position: LonLat; heading: number; direction: 'up' | 'down' } => {
    for (;;) {
      const ref = refs[Math.floor(random() * refs.length)]!;
      const direction = random() < 0.5 ? 'up' : 'down';
      const m = 2000 + random() * (CORRIDOR_KM[ref]! * 1000 - 4000);
      const position = pointAtStake(graph, { ref, m, direction });
      if (!position) continue;
      const match = matchToRoad(graph, position, { direction, motorwayOnly: true });
      if (match) return { position, heading: match.edge.bearing, direction };
    }
  };

  try {
    // The fleet and the incidents arrive through the real ingest path and the rules pipeline.
    const fleet = { deviceId: 'bench-fleet' };
    const cams = { deviceId: 'bench-cams' };
    const ts = clock.now() - 1000;
    const fixes = Array.from({ length: units }, (_, i) => {
      const p = place();
      return {
        kind: 'gps',
        eventId: `u${i}`,
        ts,
        unitId: `U-${i}`,
        lon: p.position[0],
        lat: p.position[1],
        headingDeg: Math.round(p.heading),
        speedKmh: 90,
      };
    });
    for (let i = 0; i < fixes.length; i += 1000) {
      await app.ingest.acceptBatch(fleetInfo(fleet.deviceId), fixes.slice(i, i + 1000));
    }
    const detections = Array.from({ length: incidents }, (_, i) => {
      const p = place();
      return {
        kind: 'pedestrian',
        eventId: `d${i}`,
        ts,
        lon: p.position[0],
        lat: p.position[1],
        confidence: 0.9,
        direction: p.direction,
      };
    });
    await app.ingest.acceptBatch(fleetInfo(cams.deviceId, 'camera'), detections);
    await settle(redis, app.keys.ingestStream, app.keys.rulesGroup);
    const snapshot = await app.situation.snapshot(app.areas.roots[0]!);
    const incidentIds = snapshot.incidents.map((i) => i.id);
    log(`dispatch bench: ${snapshot.units.length} units, ${incidentIds.length} incidents on the network`);

    // Baseline: the GEOSEARCH of the recommendation's first radius, alone.
    const geosearch = new Samples();
    for (let i = 0; i < recommendations; i += 1) {
      const incident = snapshot.incidents[i % snapshot.incidents.length]!;
      const t0 = performance.now();
      await redis.geosearch(
        app.keys.unitsGeo,
        'FROMLONLAT',
        incident.lon,
        incident.lat,
        'BYRADIUS',
        20_000,
        'm',
        'ASC',
        'COUNT',
        80,
        'WITHDIST',
      );
      geosearch.add(performance.now() - t0);
    }

    // Recommendation: the dispatch service as the /ops handler calls it (GEOSEARCH + unit reads + graph search).
    const recommend = new Samples();
    let candidates = 0;
    for (let i = 0; i < recommendations; i += 1) {
      const t0 = performance.now();
      const result = await app.dispatch.recommendUnits({ incidentId: incidentIds[i % incidentIds.length]! });
      recommend.add(performance.now() - t0);
      candidates += result.candidates.length;
    }

    // Assignment under contention: dispatchers race to send 40 units to the incidents.
    const contested = snapshot.units.slice(0, 40).map((u) => u.id);
    let attempts = 0;
    let successes = 0;
    let unitUnavailable = 0;
    let conflicts = 0;
    let otherErrors = 0;
    const assignLatency = new Samples();
    const deadline = performance.now() + assignWindowMs;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: dispatchers }, async (_, d) => {
        const pick = mulberry32(100 + d);
        while (performance.now() < deadline) {
          const unitId = contested[Math.floor(pick() * contested.length)]!;
          const incidentId = incidentIds[Math.floor(pick() * incidentIds.length)]!;
          attempts += 1;
          const t0 = performance.now();
          try {
            await app.dispatch.assignUnit({ incidentId, unitId });
            successes += 1;
            // Free the unit again (clear the job) so the race goes on.
            await app.dispatch.reportAssignment({ unitId, incidentId, status: 'acknowledged' });
            await app.dispatch.reportAssignment({ unitId, incidentId, status: 'cleared' });
            await app.dispatch.reportUnit({ unitId, status: 'available' });
            await redis.hset(app.keys.incident(incidentId), 'state', 'received', 'unitId', '');
            await redis.geoadd(app.keys.openIncidentsGeo, 105, 27, incidentId);
          } catch (error) {
            const code = /^([A-Z_]+)/.exec((error as Error & { code?: string }).code ?? (error as Error).message)?.[1];
            if (code === 'UNIT_UNAVAILABLE') unitUnavailable += 1;
            else if (code === 'CONFLICT') conflicts += 1;
            else otherErrors += 1;
          }
          assignLatency.add(performance.now() - t0);
        }
      }),
    );
    const elapsedS = (performance.now() - started) / 1000;
    // Invariant: no unit holds two incidents, no incident two units.
    const after = await app.situation.snapshot(app.areas.roots[0]!);
    const holders = new Map<string, number>();
    for (const u of after.units) if (u.incidentId) holders.set(u.incidentId, (holders.get(u.incidentId) ?? 0) + 1);
    const doubleAssigned = [...holders.values()].filter((n) => n > 1).length;

    // Baseline: the assign script alone on a free unit and an open incident, from one client.
    const scriptLatency = new Samples();
    const scriptStart = performance.now();
    const scriptDeadline = scriptStart + 1500;
    // createApp registered its Lua scripts on this same client.
    const scriptRedis = redis as unknown as { assignUnit(...args: (string | number)[]): Promise<unknown> };
    let scriptCalls = 0;
    while (performance.now() < scriptDeadline) {
      const t0 = performance.now();
      await scriptRedis
        .assignUnit(app.keys.unit('nobody'), app.keys.incident('nothing'), 'nobody', 'nothing', clock.now())
        .catch(() => undefined);
      scriptLatency.add(performance.now() - t0);
      scriptCalls += 1;
    }

    return {
      units: snapshot.units.length,
      incidents: incidentIds.length,
      recommend: recommend.summary(),
      geosearchBaseline: geosearch.summary(),
      recommendCandidatesMean: candidates / recommendations,
      assign: {
        dispatchers,
        attempts,
        successes,
        unitUnavailable,
        conflicts,
        otherErrors,
        perS: successes / elapsedS,
        latency: assignLatency.summary(),
        doubleAssigned,
      },
      assignScriptBaseline: {
        perS: scriptCalls / ((performance.now() - scriptStart) / 1000),
        latency: scriptLatency.summary(),
      },
    };
  } finally {
    await app.close();
    redis.disconnect();
  }
}

function fleetInfo(deviceId: string, kind: 'patrol' | 'camera' = 'patrol') {
  return { deviceId, kind, unitId: null, stationId: null, createdAt: 0, revokedAt: null } as const;
}

async function settle(redis: InstanceType<typeof Redis>, stream: string, group: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await groupCaughtUp(redis, stream, group))) {
    if (Date.now() > deadline) throw new Error('rules pipeline did not settle');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const ms = (v: number | undefined) => (v === undefined ? '–' : `${v.toFixed(2)} ms`);

/** The BENCHMARKS.md section for these figures. */
export function renderDispatchSection(r: DispatchBenchResult): string {
  const met = (r.recommend?.p99 ?? Infinity) <= DISPATCH_TARGETS.recommendP99Ms;
  return `## Dispatch: recommendation and assignment

${r.units} units and ${r.incidents} open incidents placed on the Bijie schematic network through the real ingest path and rules pipeline (deterministic seed). Measured in-process on the dispatch service, as the \`/ops\` handlers call it, against the same throw-away Redis.

| measurement | p50 | p90 | p99 | max | target |
| --- | ---: | ---: | ---: | ---: | --- |
| baseline: raw Redis GEOSEARCH, 20 km, 80 units | ${ms(r.geosearchBaseline?.p50)} | ${ms(r.geosearchBaseline?.p90)} | ${ms(r.geosearchBaseline?.p99)} | ${ms(r.geosearchBaseline?.max)} | |
| **dispatch:recommend** (GEOSEARCH with expanding radius, unit reads, map matching, one backward Dijkstra, routes), ${r.recommend?.count ?? 0} calls | ${ms(r.recommend?.p50)} | ${ms(r.recommend?.p90)} | ${ms(r.recommend?.p99)} | ${ms(r.recommend?.max)} | p99 ≤ ${DISPATCH_TARGETS.recommendP99Ms} ms: **${met ? 'met' : 'missed'}** |

Candidates returned per call: ${r.recommendCandidatesMean.toFixed(1)} on average. Ratio p99 recommend ÷ p99 GEOSEARCH: ${r.geosearchBaseline && r.recommend ? (r.recommend.p99 / r.geosearchBaseline.p99).toFixed(1) : '–'}×.

**Assignment under contention:** ${r.assign.dispatchers} dispatchers race to send 40 units to ${r.incidents} incidents for a few seconds; each success is cleared again (acknowledge, clear, back in service, incident reopened) so the race continues.

| measurement | per second | p50 | p99 |
| --- | ---: | ---: | ---: |
| baseline: assignUnit script called directly (one client, nothing to assign) | ${Math.round(r.assignScriptBaseline.perS)} | ${ms(r.assignScriptBaseline.latency?.p50)} | ${ms(r.assignScriptBaseline.latency?.p99)} |
| **dispatch:assign under contention** (successful assignments) | ${Math.round(r.assign.perS)} | ${ms(r.assign.latency?.p50)} | ${ms(r.assign.latency?.p99)} |

Attempts ${r.assign.attempts}: ${r.assign.successes} assigned, ${r.assign.unitUnavailable} refused with UNIT_UNAVAILABLE, ${r.assign.conflicts} with CONFLICT, ${r.assign.otherErrors} other errors. Afterwards, incidents held by more than one unit: **${r.assign.doubleAssigned}** (must be 0).
`;
}
