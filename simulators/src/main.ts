import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { describeZodError, systemClock } from '@beacon/shared';
import { startDemo } from './demo.ts';
import { consoleLogger } from './log.ts';
import { mulberry32 } from './random.ts';

/**
 * Run the demo feed against a running server until SIGINT / SIGTERM.
 *   BEACON_SERVER_URL   default http://127.0.0.1:8080
 *   BEACON_REGION_DIR   default <repo>/regions/bijie
 *   BEACON_DEMO_SPEED   patrol speed-up factor, default 1
 *   BEACON_DEMO_TICK_MS default 1000
 *   BEACON_DEMO_SEED    integer seed for a reproducible run; default from the clock
 */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const Env = z.object({
  BEACON_SERVER_URL: z.url().default('http://127.0.0.1:8080'),
  BEACON_REGION_DIR: z.string().min(1).default(path.join(repoRoot, 'regions/bijie')),
  BEACON_DEMO_SPEED: z.coerce.number().positive().max(1000).default(1),
  BEACON_DEMO_TICK_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
  BEACON_DEMO_SEED: z.coerce.number().int().optional(),
});

const blankToUndefined = Object.fromEntries(Object.entries(process.env).map(([k, v]) => [k, v === '' ? undefined : v]));
const parsed = Env.safeParse(blankToUndefined);
if (!parsed.success) {
  console.error(`simulators: invalid environment: ${describeZodError(parsed.error)}`);
  process.exit(2);
}
const env = parsed.data;

const demo = await startDemo({
  serverUrl: env.BEACON_SERVER_URL,
  regionDir: env.BEACON_REGION_DIR,
  clock: systemClock,
  random: mulberry32(env.BEACON_DEMO_SEED ?? Date.now() % 2 ** 32),
  tickMs: env.BEACON_DEMO_TICK_MS,
  speed: env.BEACON_DEMO_SPEED,
  log: consoleLogger,
}).catch((error: unknown) => {
  console.error(`simulators: cannot start the demo: ${(error as Error).message}`);
  process.exit(1);
});

let stopping = false;
function shutdown(signal: string): void {
  if (stopping) {
    console.error('simulators: forced exit');
    process.exit(1);
  }
  stopping = true;
  consoleLogger.info({ signal }, 'demo: stopping');
  void demo.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(`simulators: error while stopping: ${(error as Error).message}`);
      process.exit(1);
    },
  );
}
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
