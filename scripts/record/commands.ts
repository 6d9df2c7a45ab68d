import path from 'node:path';
import { RECORD_USAGE, RecordUsageError, parseRecordArgs, runRecord } from './record.ts';
import { RecordingError } from './recording.ts';
import { REPLAY_USAGE, ReplayUsageError, parseReplayArgs, runReplay } from './replay.ts';

export const RECORD_REPLAY_USAGE = `${RECORD_USAGE}\n${REPLAY_USAGE}`;

/** A command-line mistake in `record` or `replay`: the CLI prints it with the usage. */
export class RecordReplayUsageError extends Error {}

/** Whether `command` is `record` or `replay`. */
export function isRecordReplayCommand(command: string): boolean {
  return command === 'record' || command === 'replay';
}

/**
 * Run `record` or `replay` against the live Redis (`redisUrl()`: REDIS_URL or a running `pnpm start`'s).
 * Ctrl-C ends a replay early; its summary is printed all the same.
 */
export async function runRecordReplayCommand(command: string, args: string[], redisUrl: () => string): Promise<void> {
  const keyPrefix = process.env.BEACON_KEY_PREFIX || 'beacon';
  const print = (line: string) => console.log(line);
  try {
    if (command === 'record') {
      const flags = parseRecordArgs(args);
      const region = path.basename(process.env.BEACON_REGION_DIR || 'regions/bijie');
      await runRecord(flags, { redisUrl: redisUrl(), keyPrefix, region, print });
      return;
    }
    if (command === 'replay') {
      const flags = parseReplayArgs(args);
      const interrupted = new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
      await runReplay(flags, { redisUrl: redisUrl(), keyPrefix, stderr: process.stderr, print, interrupted });
      return;
    }
    throw new RecordReplayUsageError(`unknown command ${command}`);
  } catch (error) {
    if (error instanceof RecordUsageError || error instanceof ReplayUsageError) {
      throw new RecordReplayUsageError(error.message, { cause: error });
    }
    // A broken header is the operator's to see plainly, not as a stack.
    if (error instanceof RecordingError) throw new Error(error.message, { cause: error });
    throw error;
  }
}
