import { io, type Socket } from 'socket.io-client';
import {
  OPS_NAMESPACE,
  type IngestHandshakeAuth,
  type OpsClientToServerEvents,
  type OpsServerToClientEvents,
} from '@beacon/shared';

export type OpsSocket = Socket<OpsServerToClientEvents, OpsClientToServerEvents>;

/**
 * How a screen signs in on `/ops`: a person's session token or a wall's display token, or a patrol
 * terminal's device key (read-only).
 */
export type OpsAuth = { token: string } | IngestHandshakeAuth;

/**
 * Connect to the server's `/ops` namespace on the page's own origin. Transport failures reconnect by
 * themselves; a refused handshake (`connect_error` with `data.code === 'UNAUTHORIZED'`) does not.
 * `lastEventId` is asked on every (re)connect: the newest event the screen applied, so the server sends
 * what it missed (`situation:catchup`) instead of a whole snapshot.
 */
export function connectOps(
  auth: OpsAuth,
  url: string = location.origin,
  lastEventId: () => string | null = () => null,
): OpsSocket {
  return io(`${url}${OPS_NAMESPACE}`, {
    auth: (send) => {
      const id = lastEventId();
      send(id ? { ...auth, lastEventId: id } : { ...auth });
    },
    transports: ['websocket', 'polling'],
    reconnectionDelay: 500,
    reconnectionDelayMax: 5000,
  });
}
