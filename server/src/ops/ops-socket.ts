import {
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
  log,
}: {
  io: Server;
  dispatch: Dispatch;
  situation: Situation;
  health: FeedHealthStore;
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
    socket.on('health:snapshot', (payload, ack) => {
      void respond(ack, socketLog, async () => {
        parseOrThrow(HealthSnapshotCommand, payload);
        return health.report();
      });
    });
  });
}
