import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import {
  OPS_NAMESPACE,
  type Ack,
  type Clock,
  type OpsClientToServerEvents,
  type OpsServerToClientEvents,
  type Unit,
} from '@beacon/shared';
import { createCrews, type CrewLink, type CrewOptions, type Crews } from './crews.ts';
import { createDeviceClient, type DeviceClient } from './device-client.ts';
import { createEventIds } from './event-ids.ts';
import type { SimLogger } from './log.ts';
import { createPatrols, type PatrolOptions, type Patrols } from './patrols.ts';
import type { Random } from './random.ts';
import type { Corridor } from './route.ts';

type OpsSocket = Socket<OpsServerToClientEvents, OpsClientToServerEvents>;

/** A device id and its key, as printed by `pnpm beacon devices:add`. */
export interface DeviceCredentials {
  deviceId: string;
  key: string;
}

export interface PatrolSimulatorOptions {
  serverUrl: string;
  corridors: readonly Corridor[];
  clock: Clock;
  random: Random;
  log: SimLogger;
  /** The fleet's GPS gateway (an unbound patrol device): every car's fixes go through it in one batch per tick. */
  gateway: DeviceCredentials;
  /**
   * Each car's terminal: a patrol device bound to its unit (`devices:add CAR-BJ-01 --kind patrol --unit
   * BJ-01`). Cars without one still drive and report GPS, but never answer a dispatch.
   */
  terminals: Readonly<Record<string, DeviceCredentials>>;
  patrols?: Partial<Omit<PatrolOptions, 'corridors' | 'clock' | 'random'>>;
  /** Drive these cars instead of creating them (a scenario player owns its fleet and moves it). */
  fleet?: Patrols;
  crews?: Partial<Omit<CrewOptions, 'clock' | 'random' | 'patrols' | 'link' | 'log'>>;
  /** Prefix of GPS event ids; must be unique per run (the server de-duplicates per device for a day). */
  runId: string;
  ackTimeoutMs?: number;
  socketOptions?: Partial<ManagerOptions & SocketOptions>;
}

export interface PatrolSimulator {
  readonly patrols: Patrols;
  readonly crews: Crews;
  /** Move the cars, send the due GPS fixes as one batch, and let every crew take its due step. */
  tick(): Promise<void>;
  /** Resolves once the gateway, every terminal and the `/ops` link are connected and the snapshot is in. */
  connected(): Promise<void>;
  gateway: DeviceClient;
  stop(): Promise<void>;
}

/**
 * Patrol cars that drive their beats and answer dispatches on their own, through the public protocol only.
 * Each car's terminal does what the patrol terminal page does: it follows the unit's state on `/ops`
 * (snapshot on connect, then `unit:updated`) — a terminal is pushed its assignment, it does not poll — and
 * sends its crew's reports over its own device connection on `/ingest`.
 */
export function startPatrolSimulator({
  serverUrl,
  corridors,
  clock,
  random,
  log,
  gateway: gatewayCredentials,
  terminals: terminalCredentials,
  patrols: patrolTuning = {},
  fleet,
  crews: crewTuning = {},
  runId,
  ackTimeoutMs = 5_000,
  socketOptions = {},
}: PatrolSimulatorOptions): PatrolSimulator {
  const patrols =
    fleet ??
    createPatrols({
      eventIds: createEventIds(`${runId}-gps`),
      ...patrolTuning,
      corridors,
      clock,
      random,
    });
  const device = (credentials: DeviceCredentials) =>
    createDeviceClient({ serverUrl, ...credentials, log, ackTimeoutMs, socketOptions });
  const gateway = device(gatewayCredentials);
  const terminals = new Map<string, DeviceClient>();
  for (const unit of patrols.units) {
    const credentials = terminalCredentials[unit.id];
    if (credentials) terminals.set(unit.id, device(credentials));
  }

  // The fleet's crews share one `/ops` connection, signed in with the gateway's device key (a patrol device
  // may watch the situation read-only, as the patrol terminal page does).
  const ops: OpsSocket = io(new URL(OPS_NAMESPACE, serverUrl).toString(), {
    auth: { deviceId: gatewayCredentials.deviceId, key: gatewayCredentials.key },
    transports: ['websocket'],
    reconnectionDelay: 500,
    reconnectionDelayMax: 5_000,
    ...socketOptions,
  });
  const opsTimed = () =>
    ops.timeout(ackTimeoutMs) as unknown as { emitWithAck(name: string, body: unknown): Promise<Ack<never>> };

  const notConnected = { ok: false as const, error: { code: 'UNAVAILABLE' as const, message: 'no terminal' } };
  const link: CrewLink = {
    reportAssignment: (unitId, incidentId, status) =>
      terminals.get(unitId)?.command('assignment:report', { unitId, incidentId, status }) ??
      Promise.resolve(notConnected),
    reportUnit: (unitId, status) =>
      terminals.get(unitId)?.command('unit:report', { unitId, status }) ?? Promise.resolve(notConnected),
    async route(incidentId) {
      try {
        return await opsTimed().emitWithAck('assignment:route', { incidentId });
      } catch (error) {
        return { ok: false, error: { code: 'UNAVAILABLE', message: (error as Error).message } };
      }
    },
  };
  const crews = createCrews({ ...crewTuning, clock, random, patrols, link, log });

  // Only units with a terminal have a crew that can answer; the others just drive.
  const answers = (unit: Unit) => terminals.has(unit.id);
  let snapshotSeen = false;
  let onSnapshot: Array<() => void> = [];
  ops.on('situation:snapshot', (snapshot) => {
    for (const unit of snapshot.units) if (answers(unit)) crews.onUnit(unit);
    snapshotSeen = true;
    for (const resolve of onSnapshot) resolve();
    onSnapshot = [];
  });
  ops.on('connect_error', (error) => log.warn({ err: error.message }, 'patrol simulator cannot reach /ops yet'));
  ops.on('unit:updated', (unit) => {
    if (answers(unit)) crews.onUnit(unit);
  });

  let stopped = false;
  return {
    patrols,
    crews,
    gateway,
    async tick() {
      if (stopped) return;
      const fixes = patrols.tick();
      crews.tick();
      await gateway.sendBatch(fixes.map((fix) => ({ kind: 'gps' as const, ...fix })));
    },
    async connected() {
      await Promise.all([gateway.connected(), ...[...terminals.values()].map((t) => t.connected())]);
      if (!snapshotSeen) await new Promise<void>((resolve) => onSnapshot.push(resolve));
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      ops.disconnect();
      for (const resolve of onSnapshot) resolve();
      await crews.idle();
      await Promise.all([gateway.close(), ...[...terminals.values()].map((t) => t.close())]);
    },
  };
}

/** The terminal device id of a unit, e.g. `CAR-BJ-01`. */
export function terminalDeviceId(unitId: string): string {
  return `CAR-${unitId}`;
}
