import { pino, type Logger } from 'pino';

export type { Logger };

/** The one logger; modules take a child of it with their own context. */
export function createLogger(level: string = 'info'): Logger {
  return pino({ level, base: { service: 'beacon' } });
}
