import { Redis } from 'ioredis';
import { io as connect, type Socket } from 'socket.io-client';
import {
  INGEST_NAMESPACE,
  OPS_NAMESPACE,
  manualClock,
  type Clock,
  type DeviceKind,
  type IngestClientToServerEvents,
  type IngestServerToClientEvents,
  type OpsClientToServerEvents,
  type OpsServerToClientEvents,
  type Role,
} from '@beacon/shared';
import { createApp, createLogger, groupCaughtUp, parseConfig, type App, type ConfigInput } from '@beacon/server';
import { startRedisServer, type RedisProcess } from '../../scripts/lib/redis-server.ts';

export type IngestSocket = Socket<IngestServerToClientEvents, IngestClientToServerEvents>;
export type OpsSocket = Socket<OpsServerToClientEvents, OpsClientToServerEvents>;

export { manualClock };

/** Who a test signs in as. */
export interface SignIn {
  role?: Role;
  jurisdiction?: string;
}

export interface TestStack {
  redisServer: RedisProcess;
  redis: Redis;
  app: App;
  port: number;
  baseUrl: string;
  clock: Clock;
  /** Register a device (replacing any earlier one) and return its key. */
  provisionDevice(
    deviceId: string,
    kind: DeviceKind,
    binding?: { unitId?: string; stationId?: string },
  ): Promise<string>;
  /** Register a device and connect it to /ingest. */
  ingestSocket(
    deviceId: string,
    kind: DeviceKind,
    binding?: { unitId?: string; stationId?: string },
  ): Promise<IngestSocket>;
  /** Connect to /ingest with any handshake auth, without registering anything. */
  connectIngest(auth: Record<string, string>): Promise<IngestSocket>;
  /** Connect to /ops signed in as a person (default: an admin of the whole region, 520500). */
  opsSocket(as?: SignIn): Promise<OpsSocket>;
  /** Connect to /ops with any handshake auth (a display token, a device key). */
  connectOps(auth: Record<string, string>): Promise<OpsSocket>;
  /** A bearer token of a person with this role and jurisdiction (created once per stack). */
  token(as?: SignIn): Promise<string>;
  /** `{ authorization: 'Bearer …' }` for HTTP calls. */
  authHeaders(as?: SignIn): Promise<Record<string, string>>;
  /** Resolve once the rules pipeline has processed everything in the ingest stream. */
  settled(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A throw-away Redis on a random port and the real server on another, wired exactly as in production
 * except for the clock. Every socket opened through it is closed by stop().
 */
export async function startTestStack({
  clock = manualClock(),
  config = {},
  redisServer: existingRedis,
}: { clock?: Clock; config?: Partial<ConfigInput>; redisServer?: RedisProcess } = {}): Promise<TestStack> {
  const redisServer = existingRedis ?? (await startRedisServer());
  const redis = new Redis(redisServer.url, { maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  const parsed = parseConfig({
    redisUrl: redisServer.url,
    port: 0,
    host: '127.0.0.1',
    tickMs: 50,
    pipelineBlockMs: 100,
    // Deadline sweeps run when a test calls app.deadlines.sweep(), not on a timer behind its back.
    sweepMs: 600_000,
    logLevel: 'silent',
    ...config,
  });
  const app = createApp({ redis, clock, config: parsed, log: createLogger(parsed.logLevel) });
  const port = await app.listen();
  const baseUrl = `http://127.0.0.1:${port}`;
  const sockets: Socket[] = [];

  async function provisionDevice(
    deviceId: string,
    kind: DeviceKind,
    binding: { unitId?: string; stationId?: string } = {},
  ) {
    const { key } = await app.devices.addDevice({ deviceId, kind, ...binding }, clock.now(), { replace: true });
    return key;
  }

  const tokens = new Map<string, Promise<string>>();
  /** One person per role and jurisdiction, created on first use; sessions open without a password round trip. */
  function token({ role = 'admin', jurisdiction = '520500' }: SignIn = {}): Promise<string> {
    const name = `test-${role}-${jurisdiction}`;
    let pending = tokens.get(name);
    if (!pending) {
      pending = app.access
        .addUser({ username: name, password: 'test-password-1', role, jurisdiction }, clock.now(), { replace: true })
        .then(async (user) => (await app.access.openSession(user, clock.now(), 24 * 3600)).token);
      tokens.set(name, pending);
    }
    return pending;
  }

  async function open<S extends Socket>(namespace: string, auth: Record<string, string> = {}): Promise<S> {
    const socket = connect(`${baseUrl}${namespace}`, {
      auth,
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    return socket as S;
  }

  return {
    redisServer,
    redis,
    app,
    port,
    baseUrl,
    clock,
    provisionDevice,
    async ingestSocket(deviceId, kind, binding = {}) {
      const key = await provisionDevice(deviceId, kind, binding);
      return open<IngestSocket>(INGEST_NAMESPACE, { deviceId, key });
    },
    connectIngest: (auth) => open<IngestSocket>(INGEST_NAMESPACE, auth),
    opsSocket: async (as) => open<OpsSocket>(OPS_NAMESPACE, { token: await token(as) }),
    token,
    connectOps: (auth) => open<OpsSocket>(OPS_NAMESPACE, auth),
    authHeaders: async (as) => ({ authorization: `Bearer ${await token(as)}` }),
    async settled(timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (await groupCaughtUp(redis, app.keys.ingestStream, app.keys.rulesGroup)) return;
        if (Date.now() > deadline) throw new Error('the rules pipeline did not catch up in time');
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    async stop() {
      for (const socket of sockets) socket.disconnect();
      await app.close();
      redis.disconnect();
      if (!existingRedis) await redisServer.stop();
    },
  };
}

/** Resolve with the next payload of `event` that satisfies `predicate`. */
export function nextEvent<T>(
  socket: Socket,
  event: string,
  predicate: (payload: T) => boolean = () => true,
  timeoutMs = 5000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, listener);
      reject(new Error(`timed out waiting for ${event}`));
    }, timeoutMs);
    const listener = (payload: T) => {
      if (!predicate(payload)) return;
      clearTimeout(timer);
      socket.off(event, listener);
      resolve(payload);
    };
    socket.on(event, listener);
  });
}
