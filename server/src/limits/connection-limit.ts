import type { Namespace, Server, Socket } from 'socket.io';
import type { ErrorCode } from '@beacon/shared';

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

/**
 * The address a Socket.IO client connects from. Like the HTTP side (`trust proxy` = loopback), the
 * `X-Forwarded-For` header is believed only from a proxy on this machine: the rightmost address in it that
 * is not loopback.
 */
export function clientAddress(socket: Pick<Socket, 'handshake'>): string {
  const direct = socket.handshake.address;
  if (!LOOPBACK.test(direct)) return direct;
  const forwarded = socket.handshake.headers['x-forwarded-for'];
  const hops = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? ''))
    .split(',')
    .map((hop) => hop.trim())
    .filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i -= 1) if (!LOOPBACK.test(hops[i]!)) return hops[i]!;
  return direct;
}

/** An error the client sees as `connect_error` with `data: { code, message }`. */
function connectError(code: ErrorCode, message: string): Error & { data: { code: ErrorCode; message: string } } {
  return Object.assign(new Error(message), { data: { code, message } });
}

/**
 * At most `maxPerAddress` Socket.IO connections per client address on this node, over all `namespaces`
 * together (0: no limit). A connection over the limit is refused at the handshake with `connect_error`
 * `data.code` `RATE_LIMITED` and counted (`onRefused`). Must be attached before the namespaces' own
 * middleware, so a flood is refused before any key is checked in Redis.
 *
 * Handshakes in flight are not counted until they complete, so a burst of simultaneous handshakes could
 * overshoot; a connection that completes over the limit is therefore cut at once.
 */
export function limitConnectionsPerAddress({
  io,
  namespaces,
  maxPerAddress,
  onRefused,
}: {
  io: Server;
  namespaces: string[];
  maxPerAddress: number;
  onRefused: (address: string) => void;
}) {
  const open = new Map<string, number>();
  const refused = { total: 0 };
  const overLimit = (address: string, extra: number) =>
    maxPerAddress > 0 && (open.get(address) ?? 0) + extra > maxPerAddress;

  const refuse = (address: string) => {
    refused.total += 1;
    onRefused(address);
  };

  for (const name of namespaces) {
    const nsp: Namespace = io.of(name);
    nsp.use((socket, next) => {
      const address = clientAddress(socket);
      if (!overLimit(address, 1)) return next();
      refuse(address);
      next(
        connectError(
          'RATE_LIMITED',
          `too many connections from ${address} (at most ${maxPerAddress}); close some and retry`,
        ),
      );
    });
    nsp.on('connection', (socket) => {
      const address = clientAddress(socket);
      open.set(address, (open.get(address) ?? 0) + 1);
      socket.once('disconnect', () => {
        const left = (open.get(address) ?? 1) - 1;
        if (left <= 0) open.delete(address);
        else open.set(address, left);
      });
      if (overLimit(address, 0)) {
        refuse(address);
        socket.disconnect(true);
      }
    });
  }

  return {
    /** Open connections of one address on this node. */
    openConnections(address: string): number {
      return open.get(address) ?? 0;
    },
    /** Connections refused (or cut) for being over the limit, since start. */
    refusedTotal(): number {
      return refused.total;
    },
  };
}
export type ConnectionLimit = ReturnType<typeof limitConnectionsPerAddress>;
