import fs from 'node:fs';
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
 *   BEACON_DEMO_DEVICES_FILE  device ids and keys of the feeds; default <repo>/.beacon/demo-devices.json (written by pnpm start)
 */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const Env = z.object({
  BEACON_SERVER_URL: z.url().default('http://127.0.0.1:8080'),
  BEACON_REGION_DIR: z.string().min(1).default(path.join(repoRoot, 'regions/bijie')),
  BEACON_DEMO_SPEED: z.coerce.number().positive().max(1000).default(1),
  BEACON_DEMO_TICK_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
  BEACON_DEMO_SEED: z.coerce.number().int().optional(),
  /** Device ids and keys of the three feeds, as written by `pnpm start` (which provisions them). */
  BEACON_DEMO_DEVICES_FILE: z.string().min(1).default(path.join(repoRoot, '.beacon/demo-devices.json')),
});

const Device = z.object({ deviceId: z.string().min(1), key: z.string().min(1) });
const Credentials = z.object({
  patrols: Device,
  cameras: Device,
  weather: Device,
  /** The terminals of the cars whose crews the demo plays (all but BJ-01), by unit id. */
  terminals: z.record(z.string(), Device).optional(),
});

const blankToUndefined = Object.fromEntries(Object.entries(process.env).map(([k, v]) => [k, v === '' ? undefined : v]));
const parsed = Env.safeParse(blankToUndefined);
if (!parsed.success) {
  console.error(`simulators: invalid environment: ${describeZodError(parsed.error)}`);
  process.exit(2);
}
const env = parsed.data;

function readCredentials(file: string) {
  try {
    return Credentials.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
  } catch (error) {
    console.error(
      `simulators: cannot read device keys from ${file} (${(error as Error).message}). ` +
        'Run `pnpm start` once (it provisions the demo devices) or register them with `pnpm beacon devices:add`.',
    );
    process.exit(2);
  }
}

const demo = await startDemo({
  credentials: readCredentials(env.BEACON_DEMO_DEVICES_FILE),
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
