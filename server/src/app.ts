import http from 'node:http';
import type { Redis } from 'ioredis';
import { Server } from 'socket.io';
import type { Clock } from '@beacon/shared';
import type { Config } from './config.ts';
import type { Logger } from './log.ts';
import { createKeys } from './redis/keys.ts';
import { withScripts } from './redis/scripts.ts';
import { createFanout } from './realtime/fanout.ts';
import { createUnitStore } from './units/unit-store.ts';
import { createIncidentStore } from './incidents/incident-store.ts';
import { createIngest } from './ingest/ingest-service.ts';
import { attachIngestNamespace } from './ingest/ingest-socket.ts';
import { createDispatch } from './dispatch/dispatch-service.ts';
import { createSituation } from './ops/situation.ts';
import { attachOpsNamespace } from './ops/ops-socket.ts';
import { createHttpApp } from './http/routes.ts';

export interface AppDeps {
  redis: Redis;
  clock: Clock;
  config: Config;
  log: Logger;
}

/**
 * Wire Beacon's server from its dependencies. Nothing here opens a connection of its own:
 * the caller owns `redis` and decides when to `listen()`.
 */
export function createApp({ redis: rawRedis, clock, config, log }: AppDeps) {
  const redis = withScripts(rawRedis);
  const keys = createKeys(config.keyPrefix);
  const httpServer = http.createServer();
  const io = new Server(httpServer, {
    serveClient: false,
    maxHttpBufferSize: 2e6,
    cors: { origin: true },
  });

  const fanout = createFanout({
    io,
    redis,
    keys,
    log: log.child({ module: 'fanout' }),
    tickMs: config.tickMs,
    streamMaxLen: config.streamMaxLen,
  });
  const units = createUnitStore({ redis, keys });
  const incidents = createIncidentStore({ redis, keys });
  const ingest = createIngest({
    redis,
    keys,
    clock,
    log: log.child({ module: 'ingest' }),
    units,
    incidents,
    fanout,
    config,
  });
  const dispatch = createDispatch({
    redis,
    keys,
    clock,
    log: log.child({ module: 'dispatch' }),
    units,
    incidents,
    fanout,
  });
  const situation = createSituation({ units, incidents, clock, demoNotice: config.demoNotice });

  attachIngestNamespace({ io, ingest, log: log.child({ module: 'ingest-socket' }) });
  attachOpsNamespace({ io, dispatch, situation, log: log.child({ module: 'ops-socket' }) });
  httpServer.on(
    'request',
    createHttpApp({
      redis,
      ingest,
      situation,
      log: log.child({ module: 'http' }),
      clientDist: config.clientDist,
      regionDir: config.regionDir,
    }),
  );

  return {
    httpServer,
    io,
    ingest,
    dispatch,
    situation,
    keys,

    /** Start listening; resolves with the bound port (useful with port 0). */
    listen(port = config.port, host = config.host): Promise<number> {
      return new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          httpServer.off('error', reject);
          const address = httpServer.address();
          resolve(typeof address === 'object' && address ? address.port : port);
        });
      });
    },

    /** Stop accepting, disconnect every socket, flush pending positions. Does not close `redis`. */
    async close(): Promise<void> {
      fanout.flushPositions();
      fanout.close();
      await new Promise<void>((resolve) => {
        void io.close(() => resolve());
      });
    },
  };
}
export type App = ReturnType<typeof createApp>;
