import { createRequire } from 'node:module';
import type * as IORedis from 'ioredis';
import type * as SocketIOServer from 'socket.io';
import type * as SocketIOClient from 'socket.io-client';

/**
 * bench/ is not a workspace package: it borrows the server package's own ioredis, socket.io and
 * socket.io-client (types through the `paths` of bench/tsconfig.json), so it adds no dependency.
 */
const fromServer = createRequire(new URL('../server/package.json', import.meta.url));
export const { Redis } = fromServer('ioredis') as typeof IORedis;
export type Redis = IORedis.Redis;
export const { Server } = fromServer('socket.io') as typeof SocketIOServer;
export type Server = SocketIOServer.Server;
export const { io } = fromServer('socket.io-client') as typeof SocketIOClient;
export type ClientSocket = SocketIOClient.Socket;
