import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ScenarioError } from '../../simulators/src/index.ts';
import { DRILL_RUN_USAGE, DrillUsageError, parseDrillRunArgs, runDrill } from './drill-run.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const DRILL_USAGE = DRILL_RUN_USAGE;

/** Thrown for a command-line mistake: the CLI prints it with the usage. */
export { DrillUsageError };

/** Whether `command` is one of the drill commands. */
export function isDrillCommand(command: string): boolean {
  return command === 'drill:run';
}

/**
 * Run a drill command. `redisUrl` resolves the live Redis (REDIS_URL or a running `pnpm start`'s); Ctrl-C
 * ends a drill early, and it is archived all the same.
 */
export async function runDrillCommand(command: string, args: string[], redisUrl: () => string): Promise<void> {
  const interrupted = new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  const env = {
    redisUrl: '',
    keyPrefix: process.env.BEACON_KEY_PREFIX || 'beacon',
    dataDir: path.resolve(process.env.BEACON_DATA_DIR || path.join(repoRoot, '.beacon')),
    stderr: process.stderr,
    print: (line: string) => console.log(line),
    interrupted,
  };
  try {
    switch (command) {
      case 'drill:run': {
        const flags = parseDrillRunArgs(args);
        await runDrill(flags, { ...env, redisUrl: redisUrl() });
        return;
      }
      default:
        throw new DrillUsageError(`unknown command ${command}`);
    }
  } catch (error) {
    // A scenario file with problems is the operator's to fix: show every line, not a stack.
    if (error instanceof ScenarioError) throw new Error(error.message, { cause: error });
    throw error;
  }
}
