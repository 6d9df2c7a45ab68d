import { loadConfig } from './config.ts';
import { createLogger } from './log.ts';
import { startServer } from './server.ts';

/**
 * Entry point for running one server node alone (REDIS_URL required). `pnpm start` runs everything instead,
 * and forks this file for its extra nodes (`--nodes N`): when forked, it reports its port over IPC.
 */
const config = loadConfig();
const log = createLogger(config.logLevel);
const server = await startServer({ config, log });
log.info({ port: server.port, node: server.app.nodeId }, 'beacon server listening');
process.send?.({ type: 'listening', port: server.port, nodeId: server.app.nodeId });

let stopping = false;
const shutdown = (signal: string) => {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down');
  void server.stop().finally(() => process.exit(0));
};
process.once('SIGINT', () => shutdown('SIGINT'));
process.once('SIGTERM', () => shutdown('SIGTERM'));
// Forked by `pnpm start --nodes N`: never outlive the parent.
process.once('disconnect', () => shutdown('parent gone'));
