/** The logging the simulators need: a subset of pino's API, so a pino logger (or a child) fits as is. */
export interface SimLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

function line(level: string, fields: object, message: string): string {
  const extra = Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
  return `${new Date().toISOString()} ${level} ${message}${extra}`;
}

/** One readable line per message on stderr. */
export const consoleLogger: SimLogger = {
  info: (fields, message) => console.error(line('INFO ', fields, message)),
  warn: (fields, message) => console.error(line('WARN ', fields, message)),
  error: (fields, message) => console.error(line('ERROR', fields, message)),
};

/** Discards everything (tests). */
export const silentLogger: SimLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };
