import {
  AddAttachmentCommand,
  AddNoteCommand,
  AlarmActionCommand,
  CreateIncidentCommand,
  IncidentTimelineCommand,
  LinkIncidentsCommand,
  MergeIncidentsCommand,
  SetPriorityCommand,
  SuperviseIncidentCommand,
  TransitionIncidentCommand,
  StatisticsCommand,
  AssignUnitCommand,
  AssignmentRouteCommand,
  HealthSnapshotCommand,
  OPS_NAMESPACE,
  RecommendUnitsCommand,
  ReportAssignmentCommand,
  ReportUnitCommand,
  parseOrThrow,
  type OpsClientToServerEvents,
  type OpsServerToClientEvents,
} from '@beacon/shared';
import type { Namespace, Server } from 'socket.io';
import type { Dispatch } from '../dispatch/dispatch-service.ts';
import type { FeedHealthStore } from '../health/feed-health-store.ts';
import type { Logger } from '../log.ts';
import { respond } from '../transport/respond.ts';
import type { Situation } from './situation.ts';
import type { IncidentLifecycle } from '../incidents/lifecycle-service.ts';
import type { Alarms } from '../alarms/alarm-service.ts';
import type { IncidentStats } from '../stats/stats-service.ts';

/** How far back an incident's correlated alarms are looked up. */
const ALARM_LOOKBACK_MS = 7 * 24 * 3600_000;

/**
 * Wire the `/ops` namespace used by the wall, consoles and patrol terminals:
 * a snapshot and the feed-health counts on every connect, then commands with acknowledgements. Deltas come
 * from the fanout and the health push.
 */
export function attachOpsNamespace({
  io,
  dispatch,
  situation,
  health,
  lifecycle,
  alarms,
  stats,
  now,
  log,
}: {
  io: Server;
  dispatch: Dispatch;
  situation: Situation;
  health: FeedHealthStore;
  lifecycle: IncidentLifecycle;
  alarms: Alarms;
  stats: IncidentStats;
  now: () => number;
  log: Logger;
}): void {
  const nsp = io.of(OPS_NAMESPACE) as unknown as Namespace<OpsClientToServerEvents, OpsServerToClientEvents>;

  nsp.on('connection', (socket) => {
    const socketLog = log.child({ socketId: socket.id });
    situation
      .snapshot()
      .then((snapshot) => socket.emit('situation:snapshot', snapshot))
      .catch((error: unknown) => socketLog.warn({ err: error }, 'could not send snapshot on connect'));
    health
      .summary()
      .then((summary) => socket.emit('health:updated', summary))
      .catch((error: unknown) => socketLog.warn({ err: error }, 'could not send feed health on connect'));

    socket.on('situation:snapshot', (_payload, ack) => {
      void respond(ack, socketLog, () => situation.snapshot());
    });
    socket.on('dispatch:recommend', (payload, ack) => {
      void respond(ack, socketLog, () => dispatch.recommendUnits(parseOrThrow(RecommendUnitsCommand, payload)));
    });
    socket.on('dispatch:assign', (payload, ack) => {
      void respond(ack, socketLog, () => dispatch.assignUnit(parseOrThrow(AssignUnitCommand, payload)));
    });
    socket.on('assignment:report', (payload, ack) => {
      void respond(ack, socketLog, () => dispatch.reportAssignment(parseOrThrow(ReportAssignmentCommand, payload)));
    });
    socket.on('assignment:route', (payload, ack) => {
      void respond(ack, socketLog, () =>
        dispatch.assignmentRoute(parseOrThrow(AssignmentRouteCommand, payload).incidentId),
      );
    });
    socket.on('unit:report', (payload, ack) => {
      void respond(ack, socketLog, () => dispatch.reportUnit(parseOrThrow(ReportUnitCommand, payload)));
    });
    socket.on('incident:create', (payload, ack) => {
      void respond(ack, socketLog, () => lifecycle.create(parseOrThrow(CreateIncidentCommand, payload)));
    });
    socket.on('incident:transition', (payload, ack) => {
      void respond(ack, socketLog, () => lifecycle.transition(parseOrThrow(TransitionIncidentCommand, payload)));
    });
    socket.on('incident:note', (payload, ack) => {
      void respond(ack, socketLog, () => lifecycle.addNote(parseOrThrow(AddNoteCommand, payload)));
    });
    socket.on('incident:attach', (payload, ack) => {
      void respond(ack, socketLog, () => lifecycle.addAttachment(parseOrThrow(AddAttachmentCommand, payload)));
    });
    socket.on('incident:merge', (payload, ack) => {
      void respond(ack, socketLog, () => lifecycle.merge(parseOrThrow(MergeIncidentsCommand, payload)));
    });
    socket.on('incident:link', (payload, ack) => {
      void respond(ack, socketLog, () => lifecycle.link(parseOrThrow(LinkIncidentsCommand, payload)));
    });
    socket.on('incident:priority', (payload, ack) => {
      void respond(ack, socketLog, () => lifecycle.setPriority(parseOrThrow(SetPriorityCommand, payload)));
    });
    socket.on('incident:supervise', (payload, ack) => {
      void respond(ack, socketLog, () => lifecycle.superviseByHand(parseOrThrow(SuperviseIncidentCommand, payload)));
    });
    socket.on('incident:timeline', (payload, ack) => {
      void respond(ack, socketLog, async () => {
        const { incidentId } = parseOrThrow(IncidentTimelineCommand, payload);
        const { incident, timeline } = await lifecycle.timeline(incidentId);
        const linked = await alarms.store.alarmsOfIncident(incidentId, now() - ALARM_LOOKBACK_MS);
        return { incident, timeline, alarms: linked };
      });
    });
    socket.on('incidents:statistics', (payload, ack) => {
      void respond(ack, socketLog, () => stats.statistics(parseOrThrow(StatisticsCommand, payload).window ?? 'today'));
    });
    socket.on('incidents:overdue', (_payload, ack) => {
      void respond(ack, socketLog, async () => ({ items: await stats.overdue() }));
    });
    socket.on('alarm:act', (payload, ack) => {
      void respond(ack, socketLog, () => alarms.act(parseOrThrow(AlarmActionCommand, payload)));
    });
    socket.on('health:snapshot', (payload, ack) => {
      void respond(ack, socketLog, async () => {
        parseOrThrow(HealthSnapshotCommand, payload);
        return health.report();
      });
    });
  });
}
