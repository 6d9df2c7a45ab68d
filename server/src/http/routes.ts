import fs from 'node:fs';
import path from 'node:path';
import express, { type ErrorRequestHandler, type Express } from 'express';
import {
  AuditListCommand,
  BeaconError,
  LoginCommand,
  StatisticsWindow,
  fail,
  hasRole,
  isOpenState,
  parseOrThrow,
  type IncidentState,
  type ErrorCode,
  type Role,
  type SessionInfo,
} from '@beacon/shared';
import type { Auth } from '../auth/auth-service.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import { toCsv } from './csv.ts';
import { ORDER_STATE_ZH, STATE_ZH, TYPE_ZH, beijingTime } from './labels.ts';
import type { DailyReports } from '../stats/daily-report.ts';
import type { IncidentStore } from '../incidents/incident-store.ts';
import type { Orders } from '../orders/order-service.ts';
import type { Areas } from '../auth/areas.ts';
import type { Jurisdictions } from '../region/jurisdictions.ts';
import type { IncidentStats } from '../stats/stats-service.ts';
import type { Logger } from '../log.ts';
import type { BeaconRedis } from '../redis/scripts.ts';
import { HttpIngestBody, type Ingest } from '../ingest/ingest-service.ts';
import type { Situation } from '../ops/situation.ts';
import type { DeviceStore } from '../devices/device-store.ts';
import type { FeedHealthStore } from '../health/feed-health-store.ts';
import { toWireFailure } from '../transport/respond.ts';
import { EXPOSITION_CONTENT_TYPE } from '../metrics/exposition.ts';
import type { Metrics } from '../metrics/metrics.ts';
import { metricsAccess } from '../metrics/metrics-access.ts';

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

/** Refusals of bad or unwelcome input, counted by code like the devices' (GET /api/v1/stats, /metrics). */
const COUNTED_REFUSALS = new Set<ErrorCode>(['INVALID', 'TOO_LARGE', 'UNAUTHORIZED', 'FORBIDDEN', 'RATE_LIMITED']);

/** The HTTP side: health, ingest, snapshot, stats, feed health, the region pack, and the built client with SPA fallback. */
export function createHttpApp({
  redis,
  ingest,
  devices,
  situation,
  health,
  stats,
  auth,
  audit,
  exports,
  log,
  clientDist,
  regionDir,
  tileOrigins = [],
  metrics,
  metricsToken = null,
}: {
  redis: BeaconRedis;
  ingest: Ingest;
  devices: DeviceStore;
  situation: Situation;
  health: FeedHealthStore;
  stats: IncidentStats;
  auth: Auth;
  audit: AuditLog;
  /** What the CSV exports and the daily report read. */
  exports: {
    reports: DailyReports;
    incidents: IncidentStore;
    orders: Orders;
    areas: Areas;
    jurisdictions: Jurisdictions;
  };
  log: Logger;
  clientDist: string;
  regionDir: string;
  /** Origins of an intranet tile or style server the wall may load (BEACON_TILE_ORIGINS). */
  tileOrigins?: string[];
  /** `GET /metrics` (Prometheus); without it the route is not served. */
  metrics?: Metrics;
  /** Bearer token that may read /metrics; null: loopback addresses only. */
  metricsToken?: string | null;
}): Express {
  const app = express();
  app.disable('x-powered-by');
  // An intranet basemap (the wall's ?tiles=) may be fetched from these origins, and only these.
  const tiles = tileOrigins.map((origin) => ` ${origin}`).join('');
  app.set('trust proxy', 'loopback');
  app.use((_req, res, next) => {
    // Security headers (what helmet would set, for this app): no sniffing, no framing, no referrer, and a
    // content policy that allows only this origin (MapLibre needs blob: workers and data:/blob: images).
    res.set({
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Content-Security-Policy':
        `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:${tiles}; ` +
        `font-src 'self' data:; connect-src 'self' ws: wss:${tiles}; worker-src 'self' blob:; frame-ancestors 'none'; ` +
        "base-uri 'self'; form-action 'self'",
    });
    next();
  });

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

  /** The session of a request's `Authorization: Bearer <token>`, with at least `role`; else UNAUTHORIZED / FORBIDDEN. */
  async function sessionOf(req: express.Request, role: Role): Promise<SessionInfo> {
    const token = /^Bearer (\S+)$/.exec(req.get('authorization') ?? '')?.[1];
    const session = await auth.authenticate(token);
    if (!hasRole(session.role, role))
      throw new BeaconError('FORBIDDEN', `this needs the ${role} role; you are ${session.role}`);
    return session;
  }

  const sendFailure = (res: express.Response, error: unknown) => {
    const failure = toWireFailure(error, log);
    if (COUNTED_REFUSALS.has(failure.error.code)) {
      void ingest.countRejection(failure.error.code).catch(() => undefined);
    }
    if (failure.error.code === 'UNAUTHORIZED') res.set('WWW-Authenticate', 'Bearer');
    res.status(STATUS_BY_CODE[failure.error.code]).json(failure);
  };

  app.post('/api/v1/login', express.json({ limit: '4kb' }), async (req, res) => {
    try {
      const command = parseOrThrow(LoginCommand, req.body);
      res.json({ ok: true, data: await auth.login(command, req.ip ?? 'unknown') });
    } catch (error) {
      sendFailure(res, error);
    }
  });
  app.post('/api/v1/logout', async (req, res) => {
    try {
      await sessionOf(req, 'viewer');
      await auth.logout(/^Bearer (\S+)$/.exec(req.get('authorization') ?? '')![1]!);
      res.json({ ok: true, data: {} });
    } catch (error) {
      sendFailure(res, error);
    }
  });

  /** A read-only JSON route for a signed-in screen: `{ ok: true, data }`, or the wire error with its status. */
  const getJson = (
    route: string,
    load: (query: Record<string, unknown>, session: SessionInfo) => Promise<unknown>,
    role: Role = 'viewer',
  ) => {
    app.get(route, async (req, res) => {
      try {
        const session = await sessionOf(req, role);
        res.json({ ok: true, data: await load(req.query as Record<string, unknown>, session) });
      } catch (error) {
        sendFailure(res, error);
      }
    });
  };
  getJson('/api/v1/session', async (_query, session) => session);
  getJson('/api/v1/snapshot', (_query, session) => situation.snapshot(session.jurisdiction));
  getJson('/api/v1/stats', async () => ({ rejected: await ingest.rejectionCounts() }));
  getJson('/api/v1/health/feeds', () => health.report());
  getJson('/api/v1/incidents/statistics', (query) =>
    stats.statistics(parseOrThrow(StatisticsWindow, query.window ?? 'today')),
  );
  getJson('/api/v1/incidents/overdue', () => stats.overdue());
  getJson(
    '/api/v1/audit',
    async (query) => audit.list(parseOrThrow(AuditListCommand, auditQuery(query))),
    'supervisor',
  );
  app.get('/api/v1/audit.csv', async (req, res) => {
    try {
      await sessionOf(req, 'supervisor');
      const entries = await audit.list(
        parseOrThrow(AuditListCommand, auditQuery(req.query as Record<string, unknown>)),
      );
      const rows = entries.map((e) => [
        e.id,
        new Date(e.at).toISOString(),
        e.actor,
        e.action,
        JSON.stringify(e.details),
      ]);
      res
        .type('text/csv; charset=utf-8')
        .set('Content-Disposition', 'attachment; filename="beacon-audit.csv"')
        .send(toCsv(['id', 'at', 'actor', 'action', 'details'], rows));
    } catch (error) {
      sendFailure(res, error);
    }
  });

  if (metrics) {
    const allowed = metricsAccess(metricsToken);
    app.get('/metrics', async (req, res) => {
      try {
        allowed(req.ip ?? '', req.get('authorization'));
        res
          .type(EXPOSITION_CONTENT_TYPE)
          .set('Cache-Control', 'no-store')
          .send(await metrics.render());
      } catch (error) {
        sendFailure(res, error);
      }
    });
  }

  getJson('/api/v1/reports/daily', (query, session) =>
    exports.reports.report(
      session,
      typeof query.jurisdiction === 'string' ? query.jurisdiction : undefined,
      typeof query.date === 'string' ? query.date : undefined,
    ),
  );

  /** A CSV download for a signed-in person (bearer), filtered to their jurisdiction. */
  const getCsv = (
    route: string,
    filename: string,
    load: (query: Record<string, unknown>, session: SessionInfo) => Promise<string>,
  ) => {
    app.get(route, async (req, res) => {
      try {
        const session = await sessionOf(req, 'viewer');
        const csv = await load(req.query as Record<string, unknown>, session);
        res.type('text/csv; charset=utf-8').set('Content-Disposition', `attachment; filename="${filename}"`).send(csv);
      } catch (error) {
        sendFailure(res, error);
      }
    });
  };
  const jurisdictionName = (adcode: string | null) =>
    adcode ? (exports.jurisdictions.get(adcode)?.name_zh ?? adcode) : '';
  const timeParam = (value: unknown, fallback: number) => {
    if (typeof value !== 'string' || value === '') return fallback;
    const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
    if (!Number.isFinite(ms)) throw new BeaconError('INVALID', `not a time: ${value}`);
    return ms;
  };
  getCsv('/api/v1/incidents.csv', 'beacon-incidents.csv', async (query, session) => {
    const to = timeParam(query.to, Date.now() + 60_000);
    const from = timeParam(query.from, to - 24 * 3600_000);
    const list = (await exports.incidents.incidentsCreatedBetween(from, to)).filter(
      (i) =>
        i.drillId === null &&
        exports.areas.contains(session.jurisdiction, i.jurisdiction) &&
        matchesState(i.state, query.state) &&
        (typeof query.under !== 'string' || exports.areas.contains(query.under, i.jurisdiction)) &&
        (typeof query.type !== 'string' || i.type === query.type),
    );
    return toCsv(
      [
        '编号',
        '类型',
        '优先级',
        '状态',
        '桩号',
        '辖区',
        '受理时间',
        '派单时间',
        '到场时间',
        '办结时间',
        '督办',
        '描述',
      ],
      list.map((i) => [
        i.id,
        TYPE_ZH[i.type],
        i.priority,
        STATE_ZH[i.state],
        i.stake,
        jurisdictionName(i.jurisdiction),
        beijingTime(i.createdAt),
        beijingTime(i.assignedAt),
        beijingTime(i.arrivedAt),
        beijingTime(i.closedAt),
        i.supervisions.length > 0 ? '是' : '',
        i.description,
      ]),
    );
  });
  getCsv('/api/v1/orders.csv', 'beacon-work-orders.csv', async (query, session) => {
    const { orders } = await exports.orders.list(
      { under: typeof query.under === 'string' ? query.under : undefined, limit: 5000 },
      session,
    );
    return toCsv(
      ['编号', '标题', '优先级', '状态', '发起单位', '当前承办', '创建时间', '期限', '办结时间', '结果'],
      orders.map((o) => [
        o.id,
        o.title,
        o.priority,
        ORDER_STATE_ZH[o.state],
        jurisdictionName(o.origin),
        jurisdictionName(o.holder),
        beijingTime(o.createdAt),
        beijingTime(o.dueAt),
        beijingTime(o.completedAt),
        o.result,
      ]),
    );
  });

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
    if (typeof error.status === 'number' && error.status >= 400 && error.status < 500) {
      // Other body-parser refusals (wrong charset or encoding, aborted request): the client's fault.
      void ingest.countRejection('INVALID').catch(() => undefined);
      res.status(400).json(fail('INVALID', 'the request body could not be read'));
      return;
    }
    log.error({ err: error }, 'unhandled HTTP error');
    res.status(500).json(fail('INTERNAL', 'internal error'));
  };
  app.use(onError);
  return app;
}

/** Query-string values are strings: turn the audit filters into the command's types. */
function auditQuery(query: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of ['before', 'actor', 'action'] as const) if (typeof query[key] === 'string') out[key] = query[key];
  if (typeof query.limit === 'string') out.limit = Number(query.limit);
  return out;
}

/** `state=open` (every open state), one state, or a comma list; absent: all. */
function matchesState(state: IncidentState, filter: unknown): boolean {
  if (typeof filter !== 'string' || filter === '') return true;
  return filter.split(',').some((f) => (f === 'open' ? isOpenState(state) : f === state));
}
