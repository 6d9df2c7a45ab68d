import http from 'node:http';
import type { Redis } from 'ioredis';
import { Server } from 'socket.io';
import type { Clock } from '@beacon/shared';
import type { Config } from './config.ts';
import type { Logger } from './log.ts';
import { createKeys } from './redis/keys.ts';
import { withScripts } from './redis/scripts.ts';
import { createFanout, type FanoutRouting } from './realtime/fanout.ts';
import { createClusterAdapter } from './realtime/cluster-adapter.ts';
import { createCatchup } from './realtime/catchup.ts';
import { createTimeMachine } from './realtime/time-machine.ts';
import { trackServerStatus } from './realtime/server-status.ts';
import { createUnitStore } from './units/unit-store.ts';
import { createIncidentStore } from './incidents/incident-store.ts';
import { createIngest } from './ingest/ingest-service.ts';
import { attachIngestNamespace } from './ingest/ingest-socket.ts';
import { createRateLimiter } from './ingest/rate-limit.ts';
import { limitConnectionsPerAddress } from './limits/connection-limit.ts';
import { createMetrics } from './metrics/metrics.ts';
import { createDeviceStore } from './devices/device-store.ts';
import { createProjector } from './pipeline/projector.ts';
import { createRulesWorker } from './pipeline/rules-worker.ts';
import { createStreamRetention } from './pipeline/stream-retention.ts';
import { loadRoadGraph } from './roads/road-graph.ts';
import { createRoadNetwork } from './roads/road-network.ts';
import os from 'node:os';
import { createDispatch } from './dispatch/dispatch-service.ts';
import { createSituation } from './ops/situation.ts';
import { attachOpsNamespace } from './ops/ops-socket.ts';
import { createHttpApp } from './http/routes.ts';
import { createFeedHealthStore } from './health/feed-health-store.ts';
import { trackFeedHealth } from './health/tracking-projector.ts';
import { createHealthPush } from './health/health-push.ts';
import { createWeatherAlerts, loadWeatherStations } from './alerts/weather-alerts.ts';
import { DEFAULT_WEATHER_RULE_TABLE } from './alerts/weather-rule-table.ts';
import { createAuditLog } from './audit/audit-log.ts';
import { loadJurisdictions } from './region/jurisdictions.ts';
import { createIncidentLifecycle } from './incidents/lifecycle-service.ts';
import { createAlarmStore } from './alarms/alarm-store.ts';
import { createAlarms } from './alarms/alarm-service.ts';
import { createDeadlineWatch } from './incidents/deadline-watch.ts';
import { createIncidentStats } from './stats/stats-service.ts';
import { createOrders } from './orders/order-service.ts';
import { createBroadcasts } from './broadcasts/broadcast-service.ts';
import { createDemoChannel } from './broadcasts/channel.ts';
import { createDailyReports } from './stats/daily-report.ts';
import { createAccessKeys, createAccessStore } from './auth/access-store.ts';
import { createAuth } from './auth/auth-service.ts';
import { createAreas } from './auth/areas.ts';
import {
  BeaconError,
  INGEST_NAMESPACE,
  OPS_NAMESPACE,
  type Alarm,
  type Incident,
  type OrderChanged,
  type Broadcast,
  type SessionInfo,
  type Unit,
  type WeatherAlertChanged,
} from '@beacon/shared';

/** How often a server re-reads the active weather warnings for its drive times. */
const ALERT_REFRESH_MS = 5000;

export interface AppDeps {
  redis: Redis;
  clock: Clock;
  config: Config;
  log: Logger;
}

/**
 * Wire Beacon's server from its dependencies. The caller owns `redis` and decides when to `listen()`;
 * the app duplicates it for device ingest, for the cluster adapter and for the two connections that must
 * block (the rules pipeline and the revocation subscriber), and closes those itself.
 *
 * Any number of apps (server nodes, in one process or many) may share one Redis: broadcasts reach every
 * node's screens through the cluster adapter, and the rules workers share the ingest stream through the
 * consumer group, each under its own `nodeId`.
 */
export function createApp({ redis: rawRedis, clock, config, log: rootLog }: AppDeps) {
  const nodeId = config.nodeId ?? `${os.hostname()}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const log = rootLog.child({ node: nodeId });
  const redis = withScripts(rawRedis);
  // A drill server keeps everything under its own key space beside the live one.
  const keys = createKeys(config.drillId ? `${config.keyPrefix}:drill:${config.drillId}` : config.keyPrefix);
  const httpServer = http.createServer();
  const adapterRedis = rawRedis.duplicate();
  const io = new Server(httpServer, {
    serveClient: false,
    maxHttpBufferSize: 2e6,
    cors: { origin: true },
    adapter: createClusterAdapter({ redis: adapterRedis, keys, blockMs: config.pipelineBlockMs }),
    // A screen that drops for a moment gets its missed packets from Socket.IO itself (kept by the adapter);
    // longer gaps are replayed from the events stream (situation:catchup). Sign-in is checked again either way.
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000, skipMiddlewares: false },
  });

  const jurisdictions = loadJurisdictions(config.regionDir);
  const areas = createAreas(jurisdictions);
  const stations = loadWeatherStations(config.regionDir);
  const fanoutRouting: FanoutRouting = {
    roomsOfPoint: (lon, lat) => areas.roomsOfPoint(lon, lat),
    roomsOf(event, payload) {
      switch (event) {
        case 'incident:created':
        case 'incident:updated':
          return areas.roomsOf((payload as Incident).jurisdiction);
        case 'unit:updated':
        case 'alarm:changed': {
          const { lon, lat } = payload as Unit | Alarm;
          return areas.roomsOfPoint(lon, lat);
        }
        case 'order:changed': {
          const { order, notify } = payload as OrderChanged;
          return [...new Set([order.holder, order.origin, ...notify].flatMap((a) => areas.roomsOf(a)))];
        }
        case 'broadcast:changed':
          return areas.roomsOf((payload as Broadcast).jurisdiction);
        case 'alert:changed': {
          const site = stations.get((payload as WeatherAlertChanged).stationId);
          return areas.roomsOfPoint(site?.lon ?? null, site?.lat ?? null);
        }
        default:
          return areas.roomsOf(null);
      }
    },
  };
  const fanout = createFanout({
    io,
    redis,
    keys,
    log: log.child({ module: 'fanout' }),
    tickMs: config.tickMs,
    streamMaxLen: config.streamMaxLen,
    routing: fanoutRouting,
  });
  const units = createUnitStore({ redis, keys, drillId: config.drillId });
  const roads = createRoadNetwork(loadRoadGraph(config.regionDir));
  const incidents = createIncidentStore({ redis, keys });
  const audit = createAuditLog({ redis, keys });
  // People, sessions and display tokens live under the live prefix: a drill server signs in the same people.
  const access = createAccessStore({ redis, keys: createAccessKeys(config.keyPrefix) });
  const auth = createAuth({
    store: access,
    clock,
    log: log.child({ module: 'auth' }),
    audit,
    sessionTtlS: config.sessionTtlS,
  });
  const lifecycle = createIncidentLifecycle({
    clock,
    log: log.child({ module: 'lifecycle' }),
    incidents,
    units,
    fanout,
    audit,
    roads,
    jurisdictions,
    drillId: config.drillId,
  });
  const alarms = createAlarms({
    store: createAlarmStore({ redis, keys }),
    clock,
    log: log.child({ module: 'alarms' }),
    fanout,
    audit,
    quietMs: config.alarmQuietMs,
    drillId: config.drillId,
  });
  const devices = createDeviceStore({ redis, keys });
  const health = createFeedHealthStore({
    redis,
    keys,
    clock,
    log: log.child({ module: 'feed-health' }),
    listDevices: () => devices.listDevices(),
    listUnits: () => units.listUnits(),
    thresholds: {
      quietAfterMs: config.healthQuietAfterMs,
      lostSignalAfterMs: config.lostSignalAfterMs,
      stuckAfterMs: config.stuckAfterMs,
      implausibleSpeedKmh: config.implausibleSpeedKmh,
      jumpFlagMs: config.jumpFlagMs,
    },
  });
  const limiter = createRateLimiter({ clock, ratePerS: config.deviceRatePerS, burst: config.deviceBurst });
  // Device reports get their own connection: their large batch scripts must not queue every other
  // command (the pipeline, dispatch, snapshots) behind them (measured in docs/BENCHMARKS.md).
  const ingestRedis = withScripts(rawRedis.duplicate());
  const ingest = createIngest({ redis: ingestRedis, keys, clock, limiter, config });
  const weatherAlerts = createWeatherAlerts({
    redis,
    keys,
    clock,
    log: log.child({ module: 'weather-alerts' }),
    fanout,
    roads,
    table: DEFAULT_WEATHER_RULE_TABLE,
    stations,
    config,
  });
  const projector = createProjector({
    redis,
    keys,
    clock,
    log: log.child({ module: 'projector' }),
    units,
    incidents,
    fanout,
    roads,
    weatherAlerts,
    lifecycle,
    alarms,
    config,
  });
  const workerRedis = rawRedis.duplicate();
  const worker = createRulesWorker({
    redis: workerRedis,
    stream: keys.ingestStream,
    deadLetterStream: keys.ingestDeadLetter,
    group: keys.rulesGroup,
    consumer: nodeId,
    projector: trackFeedHealth(projector, health, log.child({ module: 'feed-health' })),
    log: log.child({ module: 'rules-worker' }),
    blockMs: config.pipelineBlockMs,
    claimIdleMs: config.pipelineClaimIdleMs,
  });
  const retention = createStreamRetention({
    redis,
    streams: [keys.ingestStream, keys.eventsStream],
    clock,
    maxAgeMs: config.streamMaxAgeMs,
    log: log.child({ module: 'retention' }),
  });
  const subscriber = rawRedis.duplicate();
  for (const connection of [ingestRedis, workerRedis, subscriber, adapterRedis]) {
    connection.on('error', (error: Error) => log.warn({ err: error.message }, 'redis connection error'));
  }
  const dispatch = createDispatch({
    redis,
    keys,
    clock,
    log: log.child({ module: 'dispatch' }),
    units,
    incidents,
    fanout,
    roads,
    audit,
    lostSignalAfterMs: config.lostSignalAfterMs,
  });
  const situation = createSituation({
    units,
    incidents,
    clock,
    demoNotice: config.demoNotice,
    drillId: config.drillId,
    weatherAlerts: () => weatherAlerts.listActive(),
    openAlarms: () => alarms.store.listOpen(),
    areas,
    slaPolicy: config.slaPolicy,
  });
  const stats = createIncidentStats({ incidents, clock, policy: config.slaPolicy, drillId: config.drillId });

  // Before the namespaces' own sign-in middleware: a flood from one address is refused without Redis work.
  const connectionLimit = limitConnectionsPerAddress({
    io,
    namespaces: [INGEST_NAMESPACE, OPS_NAMESPACE],
    maxPerAddress: config.maxConnectionsPerIp,
    onRefused: () => void ingest.countRejection('RATE_LIMITED').catch(() => undefined),
  });
  const ingestNamespace = attachIngestNamespace({
    io,
    ingest,
    devices,
    dispatch,
    log: log.child({ module: 'ingest-socket' }),
    onRejected: (deviceId, code) => health.recordRejection(deviceId, code),
  });
  subscriber.on('message', (channel: string, message: string) => {
    if (channel !== keys.deviceRevokedChannel) return;
    const deviceId = message;
    limiter.forget(deviceId);
    ingestNamespace.disconnectDevice(deviceId);
  });
  /**
   * Who an `/ops` connection is: a person's or a wall display's bearer token, or a patrol terminal's device
   * key (read-only, for its map and its route). Anything else is UNAUTHORIZED.
   */
  async function authenticateScreen(handshake: Record<string, unknown>): Promise<SessionInfo> {
    if (typeof handshake.token === 'string') return auth.authenticate(handshake.token);
    if (typeof handshake.deviceId === 'string' && typeof handshake.key === 'string') {
      const device = await devices.verifyDevice(handshake.deviceId, handshake.key);
      if (device?.kind === 'patrol') {
        return {
          actor: `device:${device.deviceId}`,
          name: device.deviceId,
          role: 'viewer',
          jurisdiction: areas.roots[0] ?? '',
          kind: 'display',
          expiresAt: null,
        };
      }
    }
    throw new BeaconError('UNAUTHORIZED', "sign in: send { token } or a patrol terminal's { deviceId, key }");
  }
  const orders = createOrders({ redis, keys, clock, fanout, audit, jurisdictions, areas });
  const broadcasts = createBroadcasts({
    redis,
    keys,
    clock,
    log: log.child({ module: 'broadcasts' }),
    fanout,
    audit,
    areas,
    incidents,
    weatherAlerts,
    roads,
    // The simulated residents' groups; a real messaging gateway implements the same BroadcastChannel.
    channel: createDemoChannel({ redis, key: keys.demoReceipts }),
  });
  const catchup = createCatchup({ redis, keys, routing: fanoutRouting, maxEvents: config.catchupMaxEvents });
  const serverStatus = trackServerStatus({ io, redis: rawRedis, clock, log: log.child({ module: 'status' }) });
  const opsNamespace = attachOpsNamespace({
    io,
    dispatch,
    situation,
    health,
    lifecycle,
    incidents,
    units,
    alarms,
    stats,
    audit,
    areas,
    catchup,
    serverStatus,
    orders,
    broadcasts,
    jurisdictions,
    redis,
    keys,
    timeMachine: createTimeMachine({ redis, keys, areas, maxEvents: 1_000_000 }),
    authenticate: authenticateScreen,
    onRefused: (code) => void ingest.countRejection(code).catch(() => undefined),
    commandLimiter: createRateLimiter({ clock, ratePerS: config.opsCommandRatePerS, burst: config.opsCommandBurst }),
    now: () => clock.now(),
    log: log.child({ module: 'ops-socket' }),
  });
  subscriber.on('message', (channel: string, message: string) => {
    if (channel === access.endedChannel) opsNamespace.endSessions(message);
  });
  const deadlines = createDeadlineWatch({
    clock,
    log: log.child({ module: 'deadlines' }),
    incidents,
    lifecycle,
    alarms,
    broadcasts,
    policy: config.slaPolicy,
  });
  const healthPush = createHealthPush({
    io,
    health,
    intervalMs: config.healthPushMs,
    log: log.child({ module: 'feed-health' }),
  });
  httpServer.on(
    'request',
    createHttpApp({
      redis,
      ingest,
      devices,
      situation,
      health,
      stats,
      auth,
      audit,
      exports: {
        reports: createDailyReports({
          clock,
          incidents,
          areas,
          jurisdictions,
          orders,
          alarms: alarms.store,
          policy: config.slaPolicy,
          drillId: config.drillId,
        }),
        incidents,
        orders,
        areas,
        jurisdictions,
      },
      log: log.child({ module: 'http' }),
      clientDist: config.clientDist,
      tileOrigins: config.tileOrigins,
      regionDir: config.regionDir,
      metrics: createMetrics({
        redis: rawRedis,
        keys,
        io,
        ingest,
        incidents,
        connectionsRefused: () => connectionLimit.refusedTotal(),
      }),
      metricsToken: config.metricsToken,
    }),
  );

  return {
    nodeId,
    httpServer,
    io,
    worker,
    healthPush,
    ingest,
    devices,
    dispatch,
    situation,
    retention,
    roads,
    health,
    keys,
    weatherAlerts,
    lifecycle,
    alarms,
    deadlines,
    stats,
    incidents,
    access,
    auth,
    areas,
    fanout,
    orders,
    broadcasts,
    projector,

    /** Start the rules pipeline and the revocation subscriber, then listen; resolves with the bound port. */
    async listen(port = config.port, host = config.host): Promise<number> {
      await subscriber.subscribe(keys.deviceRevokedChannel, access.endedChannel);
      // Drive times follow the warnings already up before the restart, and those other servers raise.
      await weatherAlerts.start(ALERT_REFRESH_MS);
      await worker.start();
      retention.start();
      healthPush.start();
      deadlines.start(config.sweepMs);
      return new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          httpServer.off('error', reject);
          const address = httpServer.address();
          resolve(typeof address === 'object' && address ? address.port : port);
        });
      });
    },

    /**
     * Stop the pipeline after its current read and send the positions it queued (to every node's screens),
     * then stop accepting and disconnect every socket. Does not close `redis`.
     */
    async close(): Promise<void> {
      serverStatus.stop();
      retention.stop();
      healthPush.stop();
      await deadlines.stop();
      weatherAlerts.stop();
      await worker.stop();
      fanout.flushPositions();
      fanout.close();
      await new Promise<void>((resolve) => {
        void io.close(() => resolve());
      });
      workerRedis.disconnect();
      subscriber.disconnect();
      ingestRedis.disconnect();
      // QUIT after the broadcasts already sent to the adapter's stream (the last positions) are written.
      if (adapterRedis.status === 'ready') await adapterRedis.quit().catch(() => adapterRedis.disconnect());
      else adapterRedis.disconnect();
    },
  };
}
export type App = ReturnType<typeof createApp>;
