import fs from 'node:fs';
import path from 'node:path';
import express, { type ErrorRequestHandler, type Express } from 'express';
import { BeaconError, StatisticsWindow, fail, parseOrThrow, type ErrorCode } from '@beacon/shared';
import type { IncidentStats } from '../stats/stats-service.ts';
import type { Logger } from '../log.ts';
import type { BeaconRedis } from '../redis/scripts.ts';
import { HttpIngestBody, type Ingest } from '../ingest/ingest-service.ts';
import type { Situation } from '../ops/situation.ts';
import type { DeviceStore } from '../devices/device-store.ts';
import type { FeedHealthStore } from '../health/feed-health-store.ts';
import { toWireFailure } from '../transport/respond.ts';

const STATUS_BY_CODE: Record<ErrorCode, number> = {
  INVALID: 400,
  UNKNOWN_EVENT: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  UNIT_UNAVAILABLE: 409,
  INVALID_TRANSITION: 409,
  REASON_REQUIRED: 422,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  TOO_LARGE: 413,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

/** The HTTP side: health, ingest, snapshot, stats, feed health, the region pack, and the built client with SPA fallback. */
export function createHttpApp({
  redis,
  ingest,
  devices,
  situation,
  health,
  stats,
  log,
  clientDist,
  regionDir,
}: {
  redis: BeaconRedis;
  ingest: Ingest;
  devices: DeviceStore;
  situation: Situation;
  health: FeedHealthStore;
  stats: IncidentStats;
  log: Logger;
  clientDist: string;
  regionDir: string;
}): Express {
  const app = express();
  app.disable('x-powered-by');

  app.get('/healthz', async (_req, res) => {
    let redisOk: boolean;
    try {
      redisOk = (await redis.ping()) === 'PONG';
    } catch {
      redisOk = false;
    }
    res.status(redisOk ? 200 : 503).json({ ok: redisOk, redis: redisOk ? 'up' : 'down' });
  });

  app.post('/api/v1/ingest', express.json({ limit: '2mb' }), async (req, res) => {
    let device: Awaited<ReturnType<DeviceStore['verifyDevice']>> = null;
    try {
      const credentials = /^Device ([^:\s]+):(\S+)$/.exec(req.get('authorization') ?? '');
      device = credentials ? await devices.verifyDevice(credentials[1]!, credentials[2]!) : null;
      if (!device) {
        res.set('WWW-Authenticate', 'Device');
        throw new BeaconError(
          'UNAUTHORIZED',
          'send "Authorization: Device <deviceId>:<key>" with a valid, unrevoked key',
        );
      }
      const body = HttpIngestBody.safeParse(req.body);
      if (!body.success) throw new BeaconError('INVALID', 'body must be { "events": [ ... ] }');
      res.json({ ok: true, data: await ingest.acceptBatch(device, body.data.events) });
    } catch (error) {
      const failure = toWireFailure(error, log);
      await ingest.countRejection(failure.error.code).catch(() => undefined);
      await health.recordRejection(device?.deviceId ?? null, failure.error.code).catch(() => undefined);
      res.status(STATUS_BY_CODE[failure.error.code]).json(failure);
    }
  });

  /** A read-only JSON route: `{ ok: true, data }`, or the wire error with its status. */
  const getJson = (route: string, load: (query: Record<string, unknown>) => Promise<unknown>) => {
    app.get(route, async (req, res) => {
      try {
        res.json({ ok: true, data: await load(req.query as Record<string, unknown>) });
      } catch (error) {
        const failure = toWireFailure(error, log);
        res.status(STATUS_BY_CODE[failure.error.code]).json(failure);
      }
    });
  };
  getJson('/api/v1/snapshot', () => situation.snapshot());
  getJson('/api/v1/stats', async () => ({ rejected: await ingest.rejectionCounts() }));
  getJson('/api/v1/health/feeds', () => health.report());
  getJson('/api/v1/incidents/statistics', (query) =>
    stats.statistics(parseOrThrow(StatisticsWindow, query.window ?? 'today')),
  );
  getJson('/api/v1/incidents/overdue', () => stats.overdue());

  app.use('/region', express.static(regionDir, { fallthrough: false, maxAge: '1h' }));

  app.use('/api', (_req, res) => {
    res.status(404).json(fail('NOT_FOUND', 'no such API route; see docs/PROTOCOL.md'));
  });

  const indexHtml = path.join(clientDist, 'index.html');
  app.use(express.static(clientDist, { index: false, maxAge: '1h' }));
  app.get('/{*splat}', (_req, res) => {
    if (!fs.existsSync(indexHtml)) {
      res.status(503).type('text/plain').send('The client is not built. Run `pnpm build` or `pnpm start`.');
      return;
    }
    res.set('Cache-Control', 'no-cache').sendFile(indexHtml);
  });

  const onError: ErrorRequestHandler = (error: { type?: string; status?: number }, _req, res, _next) => {
    if (error.type === 'entity.parse.failed') {
      void ingest.countRejection('INVALID').catch(() => undefined);
      void health.recordRejection(null, 'INVALID').catch(() => undefined);
      res.status(400).json(fail('INVALID', 'body is not valid JSON'));
      return;
    }
    if (error.type === 'entity.too.large') {
      void ingest.countRejection('TOO_LARGE').catch(() => undefined);
      void health.recordRejection(null, 'TOO_LARGE').catch(() => undefined);
      res.status(413).json(fail('TOO_LARGE', 'body is larger than 2 MB'));
      return;
    }
    if (error.status === 404) {
      res.status(404).json(fail('NOT_FOUND', 'not found'));
      return;
    }
    log.error({ err: error }, 'unhandled HTTP error');
    res.status(500).json(fail('INTERNAL', 'internal error'));
  };
  app.use(onError);
  return app;
}
