import {
  AddAttachmentCommand,
  AddNoteCommand,
  AlarmActionCommand,
  AssignUnitCommand,
  AssignmentRouteCommand,
  AuditListCommand,
  CreateOrderCommand,
  SendBroadcastCommand,
  ListOrdersCommand,
  OrderActionCommand,
  SendOrderCommand,
  BeaconError,
  COMMAND_ROLES,
  CreateIncidentCommand,
  HealthSnapshotCommand,
  IncidentTimelineCommand,
  LinkIncidentsCommand,
  MergeIncidentsCommand,
  OPS_NAMESPACE,
  RecommendUnitsCommand,
  ReportAssignmentCommand,
  ReportUnitCommand,
  SetPriorityCommand,
  StatisticsCommand,
  SuperviseIncidentCommand,
  TransitionIncidentCommand,
  fail,
  hasRole,
  parseOrThrow,
  type OpsClientToServerEvents,
  type OpsCommandName,
  type OpsServerToClientEvents,
  type SessionInfo,
  type WeatherTrendPoint,
} from '@beacon/shared';
import { z } from 'zod';
import type { Namespace, Server, Socket } from 'socket.io';
import type { Dispatch } from '../dispatch/dispatch-service.ts';
import type { FeedHealthStore } from '../health/feed-health-store.ts';
import type { Logger } from '../log.ts';
import { respond, toWireFailure } from '../transport/respond.ts';
import { tokenHash } from '../auth/access-store.ts';
import type { Situation } from './situation.ts';
import type { IncidentLifecycle } from '../incidents/lifecycle-service.ts';
import type { IncidentStore } from '../incidents/incident-store.ts';
import type { UnitStore } from '../units/unit-store.ts';
import type { Alarms } from '../alarms/alarm-service.ts';
import type { IncidentStats } from '../stats/stats-service.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import { areaRoom, type Areas } from '../auth/areas.ts';
import type { Catchup } from '../realtime/catchup.ts';
import type { Orders } from '../orders/order-service.ts';
import type { Broadcasts } from '../broadcasts/broadcast-service.ts';
import type { Jurisdictions } from '../region/jurisdictions.ts';
import type { TimeMachine } from '../realtime/time-machine.ts';
import type { BeaconRedis } from '../redis/scripts.ts';
import type { Keys } from '../redis/keys.ts';
import type { ServerStatusTracker } from '../realtime/server-status.ts';

/** How far back an incident's correlated alarms are looked up. */
const ALARM_LOOKBACK_MS = 7 * 24 * 3600_000;

const Empty = z.strictObject({});
const AdcodeParam = z.string().regex(/^\d{6}(\d{3}){0,2}$/, 'an adcode');
const OrdersStatsCommand = z.strictObject({ under: AdcodeParam.optional() });
const AroundCommand = z.strictObject({ of: AdcodeParam.optional() });
const AsOfCommand = z.strictObject({ at: z.number().int().positive() });
const WeatherHistoryCommand = z.strictObject({
  stationIds: z.array(z.string().trim().min(1).max(64)).min(1).max(50),
  sinceMs: z.number().int().min(0).optional(),
});

type OpsSocket = Socket<
  OpsClientToServerEvents,
  OpsServerToClientEvents,
  Record<string, never>,
  { session: SessionInfo }
>;
type Handler = (payload: unknown, session: SessionInfo) => Promise<unknown>;
interface SocketData {
  session: SessionInfo;
  /** SHA-256 of the bearer token the screen signed in with (null for a patrol device key). */
  tokenHash: string | null;
}

/**
 * Wire the `/ops` namespace used by the wall, consoles and patrol terminals. Every connection is
 * authenticated at the handshake (`authenticate`: a person's session, a wall's display token, or a patrol
 * terminal's device key) and joins the room of its jurisdiction only, so deltas reach the screens of the
 * area they concern. Every command is checked on the server: the role it needs (`COMMAND_ROLES`), then the
 * area of the incident, unit or point it touches; a refusal answers FORBIDDEN and is counted.
 */
export function attachOpsNamespace(deps: {
  io: Server;
  dispatch: Dispatch;
  situation: Situation;
  health: FeedHealthStore;
  lifecycle: IncidentLifecycle;
  incidents: IncidentStore;
  units: UnitStore;
  alarms: Alarms;
  stats: IncidentStats;
  audit: AuditLog;
  areas: Areas;
  catchup: Catchup;
  serverStatus: ServerStatusTracker;
  orders: Orders;
  broadcasts: Broadcasts;
  jurisdictions: Jurisdictions;
  timeMachine: TimeMachine;
  redis: BeaconRedis;
  keys: Keys;
  authenticate: (auth: Record<string, unknown>) => Promise<SessionInfo>;
  onRefused: (code: 'UNAUTHORIZED' | 'FORBIDDEN' | 'RATE_LIMITED' | 'INVALID' | 'UNKNOWN_EVENT') => void;
  /** Per-person command budget (token bucket keyed by the session's actor); over it: RATE_LIMITED. */
  commandLimiter?: { take(key: string, count: number): boolean };
  now: () => number;
  log: Logger;
}): { endSessions(message: string): number } {
  const { io, dispatch, situation, health, lifecycle, incidents, units, alarms, stats, audit, areas, log } = deps;
  const nsp = io.of(OPS_NAMESPACE) as unknown as Namespace<
    OpsClientToServerEvents,
    OpsServerToClientEvents,
    Record<string, never>,
    SocketData
  >;

  nsp.use((socket, next) => {
    deps
      .authenticate((socket.handshake.auth ?? {}) as Record<string, unknown>)
      .then((session) => {
        socket.data.session = session;
        const token = socket.handshake.auth?.token;
        socket.data.tokenHash = typeof token === 'string' ? tokenHash(token) : null;
        next();
      })
      .catch((error: unknown) => {
        // A refused sign-in is UNAUTHORIZED; Redis being away is UNAVAILABLE (the screen keeps its token and retries).
        const { error: wire } = toWireFailure(error, log);
        if (wire.code === 'UNAUTHORIZED') deps.onRefused('UNAUTHORIZED');
        const failure = new Error(wire.message) as Error & { data: unknown };
        failure.data = { code: wire.code };
        next(failure);
      });
  });

  function forbid(message: string): never {
    throw new BeaconError('FORBIDDEN', message);
  }

  /** The incident, if the session's area covers it; FORBIDDEN otherwise (NOT_FOUND when there is none). */
  async function incidentInArea(session: SessionInfo, incidentId: string) {
    const incident = await incidents.requireIncident(incidentId);
    if (!areas.contains(session.jurisdiction, incident.jurisdiction)) {
      forbid(`incident ${incidentId} is outside your jurisdiction (${session.jurisdiction})`);
    }
    return incident;
  }

  async function unitInArea(session: SessionInfo, unitId: string): Promise<void> {
    const unit = await units.getUnit(unitId);
    if (!unit) throw new BeaconError('NOT_FOUND', `unit ${unitId} does not exist`);
    if (!areas.containsPoint(session.jurisdiction, unit.lon, unit.lat)) {
      forbid(`unit ${unitId} is outside your jurisdiction (${session.jurisdiction})`);
    }
  }

  const handlers: Record<OpsCommandName, Handler> = {
    'situation:snapshot': async (payload, session) => {
      parseOrThrow(Empty, payload ?? {});
      return situation.snapshot(session.jurisdiction);
    },
    'health:snapshot': async (payload) => {
      parseOrThrow(HealthSnapshotCommand, payload);
      return health.report();
    },
    'session:info': async (_payload, session) => session,
    'incidents:statistics': async (payload) =>
      stats.statistics(parseOrThrow(StatisticsCommand, payload).window ?? 'today'),
    'incidents:overdue': async (_payload, session) => ({
      items: (await stats.overdue()).filter((item) => areas.contains(session.jurisdiction, item.incident.jurisdiction)),
    }),
    'incident:timeline': async (payload, session) => {
      const { incidentId } = parseOrThrow(IncidentTimelineCommand, payload);
      await incidentInArea(session, incidentId);
      const { incident, timeline } = await lifecycle.timeline(incidentId);
      const linked = await alarms.store.alarmsOfIncident(incidentId, deps.now() - ALARM_LOOKBACK_MS);
      return { incident, timeline, alarms: linked };
    },
    'assignment:route': async (payload, session) => {
      const { incidentId } = parseOrThrow(AssignmentRouteCommand, payload);
      await incidentInArea(session, incidentId);
      return dispatch.assignmentRoute(incidentId);
    },
    'dispatch:recommend': async (payload, session) => {
      const command = parseOrThrow(RecommendUnitsCommand, payload);
      await incidentInArea(session, command.incidentId);
      return dispatch.recommendUnits(command);
    },
    'dispatch:assign': async (payload, session) => {
      const command = parseOrThrow(AssignUnitCommand, payload);
      await incidentInArea(session, command.incidentId);
      return dispatch.assignUnit(command, session.actor);
    },
    'assignment:report': async (payload, session) => {
      const command = parseOrThrow(ReportAssignmentCommand, payload);
      await incidentInArea(session, command.incidentId);
      return dispatch.reportAssignment(command, session.actor);
    },
    'unit:report': async (payload, session) => {
      const command = parseOrThrow(ReportUnitCommand, payload);
      await unitInArea(session, command.unitId);
      return dispatch.reportUnit(command, session.actor);
    },
    'incident:create': async (payload, session) => {
      const command = parseOrThrow(CreateIncidentCommand, payload);
      if (!areas.containsPoint(session.jurisdiction, command.lon, command.lat)) {
        forbid(`that point is outside your jurisdiction (${session.jurisdiction})`);
      }
      return lifecycle.create(command, session.actor);
    },
    'incident:transition': async (payload, session) => {
      const command = parseOrThrow(TransitionIncidentCommand, payload);
      await incidentInArea(session, command.incidentId);
      return lifecycle.transition(command, session.actor);
    },
    'incident:note': async (payload, session) => {
      const command = parseOrThrow(AddNoteCommand, payload);
      await incidentInArea(session, command.incidentId);
      return lifecycle.addNote(command, session.actor);
    },
    'incident:attach': async (payload, session) => {
      const command = parseOrThrow(AddAttachmentCommand, payload);
      await incidentInArea(session, command.incidentId);
      return lifecycle.addAttachment(command, session.actor);
    },
    'incident:merge': async (payload, session) => {
      const command = parseOrThrow(MergeIncidentsCommand, payload);
      await incidentInArea(session, command.incidentId);
      await incidentInArea(session, command.intoId);
      return lifecycle.merge(command, session.actor);
    },
    'incident:link': async (payload, session) => {
      const command = parseOrThrow(LinkIncidentsCommand, payload);
      await incidentInArea(session, command.incidentId);
      await incidentInArea(session, command.otherId);
      return lifecycle.link(command, session.actor);
    },
    'incident:priority': async (payload, session) => {
      const command = parseOrThrow(SetPriorityCommand, payload);
      await incidentInArea(session, command.incidentId);
      return lifecycle.setPriority(command, session.actor);
    },
    'incident:supervise': async (payload, session) => {
      const command = parseOrThrow(SuperviseIncidentCommand, payload);
      await incidentInArea(session, command.incidentId);
      return lifecycle.superviseByHand(command, session.actor);
    },
    'alarm:act': async (payload, session) => {
      const command = parseOrThrow(AlarmActionCommand, payload);
      const alarm = await alarms.store.getAlarm(command.alarmId);
      if (!alarm) throw new BeaconError('NOT_FOUND', `alarm ${command.alarmId} does not exist`);
      if (!areas.containsPoint(session.jurisdiction, alarm.lon, alarm.lat)) {
        forbid(`alarm ${command.alarmId} is outside your jurisdiction (${session.jurisdiction})`);
      }
      return alarms.act(command, session.actor);
    },
    'audit:list': async (payload) => ({ entries: await audit.list(parseOrThrow(AuditListCommand, payload)) }),
    'weather:history': async (payload) => {
      const { stationIds, sinceMs } = parseOrThrow(WeatherHistoryCommand, payload);
      const stations = await Promise.all(
        stationIds.map(async (stationId) => {
          const raw = await deps.redis.zrangebyscore(deps.keys.weatherHistory(stationId), sinceMs ?? '-inf', '+inf');
          return { stationId, readings: raw.map((json) => JSON.parse(json) as WeatherTrendPoint) };
        }),
      );
      return { stations };
    },
    'situation:asOf': async (payload, session) => {
      // Stream ids carry Redis's clock; a time past the newest event simply gives the present.
      return deps.timeMachine.asOf(parseOrThrow(AsOfCommand, payload).at, session.jurisdiction);
    },
    'jurisdictions:around': async (payload, session) => {
      const { of } = parseOrThrow(AroundCommand, payload);
      const code = of ?? session.jurisdiction;
      const self = deps.jurisdictions.get(code);
      if (!self) throw new BeaconError('NOT_FOUND', `no jurisdiction ${code}`);
      const parent = self.parentAdcode ? deps.jurisdictions.get(self.parentAdcode) : null;
      return {
        self,
        parent,
        siblings: parent ? deps.jurisdictions.childrenOf(parent.adcode).filter((j) => j.adcode !== code) : [],
        children: deps.jurisdictions.childrenOf(code),
      };
    },
    'broadcast:send': async (payload, session) =>
      deps.broadcasts.send(parseOrThrow(SendBroadcastCommand, payload), session),
    'broadcasts:list': async (payload, session) => {
      parseOrThrow(Empty, payload ?? {});
      return deps.broadcasts.list(session);
    },
    'order:create': async (payload, session) => deps.orders.create(parseOrThrow(CreateOrderCommand, payload), session),
    'order:send': async (payload, session) => deps.orders.send(parseOrThrow(SendOrderCommand, payload), session),
    'order:act': async (payload, session) => deps.orders.act(parseOrThrow(OrderActionCommand, payload), session),
    'orders:list': async (payload, session) => deps.orders.list(parseOrThrow(ListOrdersCommand, payload), session),
    'orders:stats': async (payload, session) =>
      deps.orders.stats(parseOrThrow(OrdersStatsCommand, payload).under ?? session.jurisdiction, session),
  };

  /**
   * A screen that names the last event it saw is sent what it missed since (`situation:catchup`), when the
   * events stream still holds it all; otherwise, and on a first connect, the whole snapshot. The socket has
   * already joined its room, so events published meanwhile also arrive live: screens drop ids they have.
   */
  async function sendInitialState(socket: OpsSocket, session: SessionInfo, lastEventId: unknown): Promise<void> {
    if (typeof lastEventId === 'string') {
      const replay = await deps.catchup.replay(lastEventId, session.jurisdiction);
      if (replay) {
        const snapshot = await situation.snapshot(session.jurisdiction);
        socket.emit('situation:catchup', {
          serverTime: snapshot.serverTime,
          after: lastEventId,
          events: replay.events,
          units: snapshot.units,
          lastEventId: replay.lastEventId,
        });
        return;
      }
    }
    socket.emit('situation:snapshot', await situation.snapshot(session.jurisdiction));
  }

  nsp.on('connection', (socket: OpsSocket) => {
    const session = socket.data.session;
    const socketLog = log.child({ socketId: socket.id, actor: session.actor });
    void socket.join(areaRoom(session.jurisdiction));
    socket.emit('server:status', deps.serverStatus.current());
    // Socket.IO recovered the connection (and its missed packets) by itself: nothing to resend.
    if (!socket.recovered) {
      sendInitialState(socket, session, socket.handshake.auth?.lastEventId).catch((error: unknown) =>
        socketLog.warn({ err: error }, 'could not send the situation on connect'),
      );
    }
    health
      .summary()
      .then((summary) => socket.emit('health:updated', summary))
      .catch((error: unknown) => socketLog.warn({ err: error }, 'could not send feed health on connect'));

    for (const [event, handler] of Object.entries(handlers) as [OpsCommandName, Handler][]) {
      (socket.on as (event: string, listener: (payload: unknown, ack: unknown) => void) => void)(
        event,
        (payload, ack) => {
          void respond(
            ack,
            socketLog,
            async () => {
              if (deps.commandLimiter && !deps.commandLimiter.take(session.actor, 1)) {
                throw new BeaconError('RATE_LIMITED', `${session.name} sends commands too fast; slow down and retry`);
              }
              const needed = COMMAND_ROLES[event];
              if (!hasRole(session.role, needed)) forbid(`${event} needs the ${needed} role; you are ${session.role}`);
              return handler(payload, session);
            },
            (failure) => {
              const { code } = failure.error;
              if (code === 'FORBIDDEN' || code === 'RATE_LIMITED' || code === 'INVALID') deps.onRefused(code);
            },
          );
        },
      );
    }
    socket.onAny((event: string, ...args: unknown[]) => {
      if (Object.hasOwn(handlers, event)) return;
      deps.onRefused('UNKNOWN_EVENT');
      const ack = args.at(-1);
      if (typeof ack === 'function') {
        ack(fail('UNKNOWN_EVENT', `unknown event "${String(event).slice(0, 64)}"; see docs/PROTOCOL.md`));
      }
    });
  });

  return {
    /**
     * Cut this server's screens whose session just ended (`token:<sha256>` after a logout or a revoked display,
     * `actor:<actor>` for a disabled account); they must sign in again.
     */
    endSessions(message: string): number {
      let cut = 0;
      for (const socket of nsp.sockets.values()) {
        const data = socket.data;
        const match = message.startsWith('token:')
          ? data.tokenHash === message.slice('token:'.length)
          : message.startsWith('actor:') && data.session?.actor === message.slice('actor:'.length);
        if (match) {
          socket.emit('session:ended', { reason: 'signed out, revoked or disabled' });
          socket.disconnect(true);
          cut += 1;
        }
      }
      return cut;
    },
  };
}
