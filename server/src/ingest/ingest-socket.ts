import {
  INGEST_EVENT_BY_KIND,
  INGEST_NAMESPACE,
  fail,
  type IngestClientToServerEvents,
  type IngestKind,
  type IngestServerToClientEvents,
} from '@beacon/shared';
import type { Namespace, Server } from 'socket.io';
import type { Logger } from '../log.ts';
import { respond } from '../transport/respond.ts';
import type { Ingest } from './ingest-service.ts';

const KNOWN_EVENTS = new Set<string>([...Object.values(INGEST_EVENT_BY_KIND), 'ingest:batch']);

/** Wire the `/ingest` namespace: one handler per device event, each answering with an Ack. */
export function attachIngestNamespace({ io, ingest, log }: { io: Server; ingest: Ingest; log: Logger }): void {
  const nsp = io.of(INGEST_NAMESPACE) as unknown as Namespace<IngestClientToServerEvents, IngestServerToClientEvents>;

  nsp.on('connection', (socket) => {
    const auth = (socket.handshake.auth ?? {}) as { deviceId?: unknown };
    const deviceId =
      typeof auth.deviceId === 'string' && auth.deviceId.length > 0 ? auth.deviceId.slice(0, 64) : 'anonymous';
    const socketLog = log.child({ deviceId, socketId: socket.id });
    const countRejection = (failure: { error: { code: Parameters<Ingest['countRejection']>[0] } }) =>
      ingest.countRejection(failure.error.code);

    for (const [kind, event] of Object.entries(INGEST_EVENT_BY_KIND) as [IngestKind, string][]) {
      socket.on(event as 'gps:reported', (payload: unknown, ack: unknown) => {
        void respond(ack, socketLog, () => ingest.acceptOne(kind, payload, deviceId), countRejection);
      });
    }
    socket.on('ingest:batch', (payload: unknown, ack: unknown) => {
      void respond(ack, socketLog, () => ingest.acceptBatch(payload, deviceId), countRejection);
    });

    socket.onAny((event: string, ...args: unknown[]) => {
      if (KNOWN_EVENTS.has(event)) return;
      const ack = args.at(-1);
      void ingest.countRejection('UNKNOWN_EVENT').catch(() => undefined);
      socketLog.debug({ event }, 'unknown ingest event');
      if (typeof ack === 'function') {
        ack(fail('UNKNOWN_EVENT', `unknown event "${String(event).slice(0, 64)}"; see docs/PROTOCOL.md`));
      }
    });
  });
}
