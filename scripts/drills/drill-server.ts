import type { Clock } from '../../shared/src/index.ts';
import { createLogger, loadConfig, startServer, type RunningServer } from '../../server/src/index.ts';
import type { SimLogger } from '../../simulators/src/index.ts';
import type { ProgressBar } from './progress.ts';

/** What the drill-server commands (`drill:run`, `replay`) get from the command line's surroundings. */
export interface DrillServerEnv {
  redisUrl: string;
  keyPrefix: string;
  /** Progress bar and notes (stderr). */
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** The URLs and the summary (stdout). */
  print: (line: string) => void;
  /** Resolves when the operator interrupts (Ctrl-C): the run ends early. */
  interrupted?: Promise<void>;
  /** Real-time pacing step. */
  stepMs?: number;
}

/**
 * Start a drill server beside the live one: the live Redis, its own key space (`<prefix>:drill:<id>`), the
 * drill's `clock`, the 演练 `notice` on every screen, and `extraEnv` on top. Prints where its wall and
 * console are once it listens.
 */
export async function startDrillServer({
  env,
  port,
  drillId,
  regionDir,
  clock,
  notice,
  extraEnv = {},
}: {
  env: DrillServerEnv;
  port: number;
  drillId: string;
  regionDir: string;
  clock: Clock;
  notice: string;
  extraEnv?: Record<string, string>;
}): Promise<RunningServer> {
  const config = loadConfig({
    ...process.env,
    REDIS_URL: env.redisUrl,
    PORT: String(port),
    BEACON_KEY_PREFIX: env.keyPrefix,
    BEACON_DRILL_ID: drillId,
    BEACON_REGION_DIR: regionDir,
    BEACON_DEMO_NOTICE: notice,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    ...extraEnv,
  });
  if (config.drillId !== drillId) throw new Error('this server build does not read BEACON_DRILL_ID');
  return startServer({ config, log: createLogger(config.logLevel), clock });
}

/** The drill's wall and console, for the operator (stdout); returns the drill server's base URL. */
export function printDrillUrls(env: DrillServerEnv, server: RunningServer, title: string): string {
  const url = `http://localhost:${server.port}`;
  env.print(title);
  env.print(`  drill wall 演练大屏   ${url}/`);
  env.print(`  drill console       ${url}/console`);
  return url;
}

/** A simulator logger that writes warnings and errors above the progress bar and counts the warnings. */
export function progressLogger(bar: ProgressBar): { log: SimLogger; warnings: () => number } {
  let warnings = 0;
  return {
    log: {
      info: () => undefined,
      warn: (fields, message) => {
        warnings += 1;
        bar.note(`warning: ${message} ${JSON.stringify(fields)}`);
      },
      error: (fields, message) => bar.note(`error: ${message} ${JSON.stringify(fields)}`),
    },
    warnings: () => warnings,
  };
}
