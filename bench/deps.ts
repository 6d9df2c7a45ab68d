import { createRequire } from 'node:module';
import type * as IORedis from 'ioredis';
import type * as SocketIOServer from 'socket.io';
import type * as SocketIOClient from 'socket.io-client';

const fromServer = createRequire(new URL('../server/package.json', import.meta.url));
export const { Redis } = fromServer('ioredis') as typeof IORedis;
export type Redis = IORedis.Redis;
export const { Server } = fromServer('socket.io') as typeof SocketIOServer;
export type Server = SocketIOServer.Server;
export const { io } = fromServer('socket.io-client') as typeof SocketIOClient;
export type ClientSocket = SocketIOClient.Socket;
