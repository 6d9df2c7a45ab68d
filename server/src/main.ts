import { loadConfig } from './config.ts';
import { createLogger } from './log.ts';
import { startServer } from './server.ts';

/** Entry point for running the server alone (REDIS_URL required). `pnpm start` runs everything instead. */
const config = loadConfig();
const log = createLogger(config.logLevel);
const server = await startServer({ config, log });
log.info({ port: server.port }, 'beacon server listening');

const shutdown = (signal: string) => {
  log.info({ signal }, 'shutting down');
  void server.stop().finally(() => process.exit(0));
};
process.once('SIGINT', () => shutdown('SIGINT'));
process.once('SIGTERM', () => shutdown('SIGTERM'));
