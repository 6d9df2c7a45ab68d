import {
  BeaconError,
  DeviceInfoCommand,
  INGEST_EVENT_BY_KIND,
  INGEST_NAMESPACE,
  IngestHandshakeAuth,
  ReportAssignmentCommand,
  ReportUnitCommand,
  fail,
  parseOrThrow,
  type DeviceInfo,
  type ErrorCode,
  type IngestClientToServerEvents,
  type IngestKind,
  type IngestServerToClientEvents,
} from '@beacon/shared';
import type { Namespace, Server } from 'socket.io';
import type { DeviceStore } from '../devices/device-store.ts';
import type { Dispatch } from '../dispatch/dispatch-service.ts';
import type { Logger } from '../log.ts';
import { respond } from '../transport/respond.ts';
import { crewReportForbiddenReason } from './authorize.ts';
import type { Ingest } from './ingest-service.ts';

/** Crew reports and the device's own info: answered at once, never through the ingest stream. */
const TERMINAL_EVENTS = ['assignment:report', 'unit:report', 'device:info'] as const;
const KNOWN_EVENTS = new Set<string>([...Object.values(INGEST_EVENT_BY_KIND), 'ingest:batch', ...TERMINAL_EVENTS]);

interface IngestSocketData {
  device: DeviceInfo;
}

/** An error the client sees as `connect_error` with `data: { code, message }`. */
function connectError(code: ErrorCode, message: string): Error & { data: { code: ErrorCode; message: string } } {
  return Object.assign(new Error(message), { data: { code, message } });
}

/**
 * Wire the `/ingest` namespace: devices authenticate at connect with `{ deviceId, key }`, then every
 * event is answered with an Ack. A patrol terminal bound to a unit also reports its crew's status here
 * (`assignment:report`, `unit:report`), which goes straight to dispatch. Returns a function that
 * disconnects a device's sockets (revocation).
 */
export function attachIngestNamespace({
  io,
  ingest,
  devices,
  dispatch,
  log,
  onRejected,
}: {
  io: Server;
  ingest: Ingest;
  devices: DeviceStore;
  dispatch: Dispatch;
  log: Logger;
  /** Told of every refused input with the device it came from (null before the device is identified). */
  onRejected?: (deviceId: string | null, code: ErrorCode) => Promise<void>;
}): { disconnectDevice(deviceId: string): void } {
  const nsp = io.of(INGEST_NAMESPACE) as unknown as Namespace<
    IngestClientToServerEvents,
    IngestServerToClientEvents,
    Record<string, never>,
    IngestSocketData
  >;

  nsp.use((socket, next) => {
    const auth = IngestHandshakeAuth.safeParse(socket.handshake.auth);
    const reject = (message: string) => {
      void ingest.countRejection('UNAUTHORIZED').catch(() => undefined);
      void onRejected?.(null, 'UNAUTHORIZED').catch(() => undefined);
      next(connectError('UNAUTHORIZED', message));
    };
    if (!auth.success) return reject('handshake auth must be { deviceId, key }');
    devices
      .verifyDevice(auth.data.deviceId, auth.data.key)
      .then((device) => {
        if (!device) return reject('unknown device, wrong key, or revoked');
        socket.data.device = device;
        next();
      })
      .catch((error: unknown) => {
        log.warn({ err: error }, 'device verification failed');
        next(connectError('UNAVAILABLE', 'cannot verify the device now; retry'));
      });
  });

  nsp.on('connection', (socket) => {
    const device = socket.data.device;
    void socket.join(`device:${device.deviceId}`);
    const socketLog = log.child({ deviceId: device.deviceId, socketId: socket.id });
    const countRejection = async (failure: { error: { code: ErrorCode } }) => {
      await ingest.countRejection(failure.error.code);
      await onRejected?.(device.deviceId, failure.error.code);
    };

    // A message over Socket.IO's maxHttpBufferSize never reaches a handler: the connection is closed. Count it
    // with the device, as TOO_LARGE, so the device shows on feed health and the rejects metric.
    socket.on('disconnect', (reason, description) => {
      if (reason !== 'transport error' || !isOversizeMessage(description)) return;
      socketLog.warn('message over the size limit; connection closed');
      void countRejection({ error: { code: 'TOO_LARGE' } }).catch(() => undefined);
    });

    for (const [kind, event] of Object.entries(INGEST_EVENT_BY_KIND) as [IngestKind, string][]) {
      socket.on(event as 'gps:reported', (payload: unknown, ack: unknown) => {
        void respond(ack, socketLog, () => ingest.acceptOne(device, kind, payload), countRejection);
      });
    }
    socket.on('ingest:batch', (payload: unknown, ack: unknown) => {
      void respond(ack, socketLog, () => ingest.acceptBatch(device, payload), countRejection);
    });

    const requireOwnUnit = (unitId: string) => {
      const forbidden = crewReportForbiddenReason(device, unitId);
      if (forbidden) throw new BeaconError('FORBIDDEN', forbidden);
    };
    socket.on('assignment:report', (payload, ack) => {
      void respond(
        ack,
        socketLog,
        async () => {
          const command = parseOrThrow(ReportAssignmentCommand, payload);
          requireOwnUnit(command.unitId);
          return dispatch.reportAssignment(command, `device:${device.deviceId}`);
        },
        countRejection,
      );
    });
    socket.on('unit:report', (payload, ack) => {
      void respond(
        ack,
        socketLog,
        async () => {
          const command = parseOrThrow(ReportUnitCommand, payload);
          requireOwnUnit(command.unitId);
          return dispatch.reportUnit(command, `device:${device.deviceId}`);
        },
        countRejection,
      );
    });
    socket.on('device:info', (payload, ack) => {
      void respond(
        ack,
        socketLog,
        async () => {
          parseOrThrow(DeviceInfoCommand, payload);
          return device;
        },
        countRejection,
      );
    });

    socket.onAny((event: string, ...args: unknown[]) => {
      if (KNOWN_EVENTS.has(event)) return;
      const ack = args.at(-1);
      void ingest.countRejection('UNKNOWN_EVENT').catch(() => undefined);
      void onRejected?.(device.deviceId, 'UNKNOWN_EVENT').catch(() => undefined);
      socketLog.debug({ event }, 'unknown ingest event');
      if (typeof ack === 'function') {
        ack(fail('UNKNOWN_EVENT', `unknown event "${String(event).slice(0, 64)}"; see docs/PROTOCOL.md`));
      }
    });
  });

  return {
    disconnectDevice(deviceId: string): void {
      nsp.in(`device:${deviceId}`).disconnectSockets(true);
    },
  };
}

/** Whether a transport error is the WebSocket's refusal of a message over the size limit (ws: "Max payload size exceeded"). */
export function isOversizeMessage(description: unknown): boolean {
  const text =
    description instanceof Error
      ? `${description.message} ${String((description as { description?: unknown }).description ?? '')}`
      : String(description ?? '');
  return /max payload size exceeded/i.test(text);
}
