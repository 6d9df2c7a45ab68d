import { io, type Socket } from 'socket.io-client';
import { OPS_NAMESPACE, type OpsClientToServerEvents, type OpsServerToClientEvents } from '@beacon/shared';

export type OpsSocket = Socket<OpsServerToClientEvents, OpsClientToServerEvents>;

/** Connect to the server's `/ops` namespace on the page's own origin; socket.io reconnects by itself. */
export function connectOps(url: string = location.origin): OpsSocket {
  return io(`${url}${OPS_NAMESPACE}`, {
    transports: ['websocket', 'polling'],
    reconnectionDelay: 500,
    reconnectionDelayMax: 5000,
  });
}
