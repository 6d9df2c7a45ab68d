import type { BatchItemInput } from '@beacon/shared';
import { createDeviceClient, type DeviceClient, type DeviceClientStats } from '../device-client.ts';
import type { SimLogger } from '../log.ts';
import { startPatrolSimulator, type DeviceCredentials, type PatrolSimulator } from '../patrol-simulator.ts';
import type { Corridor } from '../route.ts';
import type { CrewOptions } from '../crews.ts';
import type { ScenarioPlayer } from './player.ts';

/** The devices a scenario run speaks through (see `provisionDrillDevices` in scripts/drills). */
export interface ScenarioCredentials {
  gateway: DeviceCredentials;
  cameras: DeviceCredentials;
  weather: DeviceCredentials;
  /** Each car's terminal, by unit id; empty when the crews do not answer dispatches. */
  terminals: Readonly<Record<string, DeviceCredentials>>;
}

export interface ScenarioRunStats {
  /** Device events put on the wire (GPS, detections, readings). */
  sent: number;
  accepted: number;
  duplicates: number;
  /** Rejected, failed after retries, or dropped. */
  errors: number;
  /** Crew reports the server acknowledged. */
  crewReports: number;
}

export interface ScenarioRun {
  readonly player: ScenarioPlayer;
  readonly patrolSimulator: PatrolSimulator;
  /** Resolves once every device and the crews' `/ops` link are connected. */
  connected(): Promise<void>;
  /**
   * Move simulated time to `t`, send what fell due (each kind in time order) and wait for the
   * acknowledgements; then let the crews take their due steps.
   */
  advanceTo(t: number): Promise<void>;
  stats(): ScenarioRunStats;
  stop(): Promise<void>;
}

/**
 * Play a scenario into a server through the public protocol: readings from the weather gateway, detections
 * from the camera gateway, GPS from the fleet gateway, crew reports from each car's terminal. The caller
 * paces simulated time (a test steps it; `drill:run` follows the wall clock at the scenario's speed).
 */
export function startScenarioRun({
  serverUrl,
  player,
  corridors,
  credentials,
  runId,
  log,
  crews,
  ackTimeoutMs = 10_000,
}: {
  serverUrl: string;
  player: ScenarioPlayer;
  corridors: readonly Corridor[];
  credentials: ScenarioCredentials;
  runId: string;
  log: SimLogger;
  crews?: Partial<Omit<CrewOptions, 'clock' | 'random' | 'patrols' | 'link' | 'log'>>;
  ackTimeoutMs?: number;
}): ScenarioRun {
  const patrolSimulator = startPatrolSimulator({
    serverUrl,
    corridors,
    clock: player.clock,
    random: player.crewRandom,
    log,
    gateway: credentials.gateway,
    terminals: credentials.terminals,
    fleet: player.patrols,
    crews,
    runId,
    ackTimeoutMs,
  });
  const device = (c: DeviceCredentials): DeviceClient =>
    createDeviceClient({ serverUrl, ...c, log, ackTimeoutMs, maxInFlight: 64, outboxLimit: 100_000 });
  const cameras = device(credentials.cameras);
  const weather = device(credentials.weather);
  const clients = [patrolSimulator.gateway, cameras, weather];

  return {
    player,
    patrolSimulator,
    async connected() {
      await Promise.all([patrolSimulator.connected(), cameras.connected(), weather.connected()]);
    },
    async advanceTo(t) {
      const due = player.advanceTo(t);
      const sends: Promise<void>[] = [];
      for (const observation of due.observations) sends.push(weather.send('weather:observed', observation));
      for (const detection of due.detections) sends.push(cameras.send('pedestrian:detected', detection));
      const gps: BatchItemInput[] = due.gps.map((fix) => ({ kind: 'gps', ...fix }));
      for (let i = 0; i < gps.length; i += 1000) sends.push(patrolSimulator.gateway.sendBatch(gps.slice(i, i + 1000)));
      await Promise.all(sends);
      patrolSimulator.crews.tick();
      await patrolSimulator.crews.idle();
    },
    stats() {
      const totals = clients
        .map((c) => c.stats())
        .reduce(
          (sum: Omit<DeviceClientStats, 'connected'>, s) => ({
            sent: sum.sent + s.sent,
            accepted: sum.accepted + s.accepted,
            duplicates: sum.duplicates + s.duplicates,
            rejected: sum.rejected + s.rejected,
            failed: sum.failed + s.failed,
            dropped: sum.dropped + s.dropped,
          }),
          { sent: 0, accepted: 0, duplicates: 0, rejected: 0, failed: 0, dropped: 0 },
        );
      const c = patrolSimulator.crews.counts();
      return {
        sent: totals.sent,
        accepted: totals.accepted,
        duplicates: totals.duplicates,
        errors: totals.rejected + totals.failed + totals.dropped,
        crewReports: c.acknowledged + c.enRoute + c.onScene + c.cleared + c.backInService,
      };
    },
    async stop() {
      await patrolSimulator.stop();
      await Promise.all([cameras.close(), weather.close()]);
    },
  };
}
