import { io, type Socket } from 'socket.io-client';
import {
  INGEST_NAMESPACE,
  type IngestClientToServerEvents,
  type IngestHandshakeAuth,
  type IngestServerToClientEvents,
} from '@beacon/shared';

export type IngestSocket = Socket<IngestServerToClientEvents, IngestClientToServerEvents>;

/**
 * Connect to `/ingest` as a device (the patrol terminal logs in this way). Transport failures reconnect by
 * themselves; a refused handshake does not (socket.io leaves that to the caller).
 */
export function connectIngest(auth: IngestHandshakeAuth, url: string = location.origin): IngestSocket {
  return io(`${url}${INGEST_NAMESPACE}`, {
    auth,
    transports: ['websocket', 'polling'],
    reconnectionDelay: 500,
    reconnectionDelayMax: 5000,
  });
}
