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
 */
export function connectOps(auth: OpsAuth, url: string = location.origin): OpsSocket {
  return io(`${url}${OPS_NAMESPACE}`, {
    auth,
    transports: ['websocket', 'polling'],
    reconnectionDelay: 500,
    reconnectionDelayMax: 5000,
  });
}
