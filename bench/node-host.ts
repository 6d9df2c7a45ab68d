/**
 * One server node for the real-time benchmarks, in a process of its own (forked by bench/realtime.ts with
 * --expose-gc), so that two nodes really are two processes and each one's CPU and memory can be read.
 *
 * `beacon`: the real server (createApp, production ioredis options, cluster adapter, rules pipeline).
 * `bare`: the baseline, a bare Socket.IO server without adapter or Redis that relays every device event it
 * acknowledges on /ingest to every /ops screen at once, and answers a console's `unit:report` by
 * broadcasting a `unit:updated` of the same shape as Beacon's.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { systemClock } from '../shared/src/index.ts';
import { REDIS_CLIENT_OPTIONS, createApp, createLogger, parseConfig, type App } from '../server/src/index.ts';
import { Redis, Server } from './deps.ts';

export type HostRequest =
  | {
      type: 'start';
      mode: 'beacon' | 'bare';
      redisUrl: string;
      nodeId: string;
      config: Record<string, string | number>;
    }
  | { type: 'addDevices'; devices: { deviceId: string; unitId: string | null }[] }
  /** `gc`: collect garbage first (for memory figures; costs the server a pause). */
  | { type: 'stats'; gc: boolean }
  | { type: 'stop' };

export type HostReply =
  /** `token`: an admin's session for the screens on `/ops` (null for the bare relay, which signs no one in). */
  | { type: 'started'; port: number; token: string | null }
  | { type: 'devices'; keys: string[] }
  | { type: 'stats'; stats: HostStats }
  | { type: 'stopped' }
  | { type: 'error'; message: string };

export interface HostStats {
  /** After a full garbage collection when asked for. */
  heapUsed: number;
  external: number;
  rss: number;
  /** Process CPU so far, ms (user + system). */
  cpuMs: number;
  elu: number;
  screens: number;
}

let app: App | null = null;
let redis: Redis | null = null;
let bare: { io: InstanceType<typeof Server>; httpServer: http.Server } | null = null;
const elu = performance.eventLoopUtilization();

function reply(message: HostReply): void {
  process.send?.(message);
}

function collect(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

async function start(request: Extract<HostRequest, { type: 'start' }>): Promise<number> {
  if (request.mode === 'bare') {
    const httpServer = http.createServer();
    const io = new Server(httpServer, { serveClient: false, maxHttpBufferSize: 2e6, cors: { origin: true } });
    const ops = io.of('/ops');
    io.of('/ingest').on('connection', (socket) => {
      socket.on('gps:reported', (event: { unitId: string; lon: number; lat: number; ts: number }, ack) => {
        ack({ ok: true, data: { accepted: 1, duplicates: 0 } });
        ops.emit('units:moved', {
          positions: [
            {
              id: event.unitId,
              lon: event.lon,
              lat: event.lat,
              speedKmh: null,
              headingDeg: null,
              lastFixAt: event.ts,
              stake: null,
            },
          ],
        });
      });
      socket.on('pedestrian:detected', (event: { cameraId?: string; lon: number; lat: number; ts: number }, ack) => {
        ack({ ok: true, data: { accepted: 1, duplicates: 0 } });
        ops.emit('incident:created', {
          cameraId: event.cameraId ?? null,
          lon: event.lon,
          lat: event.lat,
          createdAt: event.ts,
        });
      });
    });
    ops.on('connection', (socket) => {
      socket.on('unit:report', (command: { unitId: string; status: string }, ack) => {
        const unit = {
          id: command.unitId,
          callsign: command.unitId,
          status: command.status,
          lon: 105.3,
          lat: 27.3,
          speedKmh: 62.5,
          headingDeg: 181.2,
          lastFixAt: Date.now(),
          incidentId: null,
          stake: null,
          statusSince: Date.now(),
        };
        ops.emit('unit:updated', unit);
        ack({ ok: true, data: { unit } });
      });
    });
    bare = { io, httpServer };
    return new Promise((resolve) => {
      httpServer.listen(0, '127.0.0.1', () => {
        const address = httpServer.address();
        resolve(typeof address === 'object' && address ? address.port : 0);
      });
    });
  }
  const config = parseConfig({
    redisUrl: request.redisUrl,
    port: 0,
    host: '127.0.0.1',
    logLevel: 'silent',
    nodeId: request.nodeId,
    ...request.config,
  });
  // The production client options (server/src/server.ts).
  redis = new Redis(request.redisUrl, REDIS_CLIENT_OPTIONS);
  await redis.connect();
  app = createApp({ redis, clock: systemClock, config, log: createLogger('silent') });
  return app.listen(0, '127.0.0.1');
}

function stats(gc: boolean): HostStats {
  if (gc) collect();
  const memory = process.memoryUsage();
  const cpu = process.cpuUsage();
  const io = app?.io ?? bare?.io;
  return {
    heapUsed: memory.heapUsed,
    external: memory.external,
    rss: memory.rss,
    cpuMs: (cpu.user + cpu.system) / 1000,
    elu: performance.eventLoopUtilization(elu).utilization,
    screens: io?.of('/ops').sockets.size ?? 0,
  };
}

async function stop(): Promise<void> {
  if (app) await app.close();
  redis?.disconnect();
  if (bare) await new Promise<void>((resolve) => void bare!.io.close(() => resolve()));
}

/** Screens sign in like people: an admin of the whole region (one scrypt hash per node, outside the windows). */
async function screenToken(mode: 'beacon' | 'bare'): Promise<string | null> {
  if (mode !== 'beacon' || !app) return null;
  const user = await app.access.addUser(
    { username: 'bench-admin', password: 'bench-password-1', role: 'admin', jurisdiction: app.areas.roots[0]! },
    systemClock.now(),
    { replace: true },
  );
  return (await app.access.openSession(user, systemClock.now(), 24 * 3600)).token;
}

process.on('disconnect', () => process.exit(0));
process.on('message', (request: HostRequest) => {
  const handle = async (): Promise<HostReply> => {
    switch (request.type) {
      case 'start':
        return { type: 'started', port: await start(request), token: await screenToken(request.mode) };
      case 'addDevices': {
        const keys: string[] = [];
        for (const d of request.devices) {
          const kind = d.deviceId.startsWith('CAM') ? 'camera' : 'patrol';
          const { key } = await app!.devices.addDevice(
            { deviceId: d.deviceId, kind, unitId: d.unitId },
            systemClock.now(),
            { replace: true },
          );
          keys.push(key);
        }
        return { type: 'devices', keys };
      }
      case 'stats':
        return { type: 'stats', stats: stats(request.gc) };
      case 'stop':
        await stop();
        return { type: 'stopped' };
    }
  };
  handle().then(reply, (error: unknown) =>
    reply({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
});
