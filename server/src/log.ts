import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * Fields that never reach the log, at the top level and up to two levels down: device keys, passwords,
 * bearer and display tokens, Socket.IO handshake auth, Authorization headers and cookies. The value is
 * replaced by "[redacted]".
 */
export const REDACTED_PATHS = [
  ...['password', 'key', 'token', 'auth', 'authorization', 'cookie', 'secret'].flatMap((field) => [
    field,
    `*.${field}`,
    `*.*.${field}`,
  ]),
  'req.headers.authorization',
  'req.headers.cookie',
  'handshake.headers.authorization',
  'handshake.headers.cookie',
];

/** The one logger; modules take a child of it with their own context. `destination` is for tests. */
export function createLogger(level: string = 'info', destination?: DestinationStream): Logger {
  const options = { level, base: { service: 'beacon' }, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}
