/** `pnpm beacon backup` / `restore`: the operator side of scripts/backup/backup.ts. */
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Redis } from 'ioredis';
import { backupRedis, restoreRedis } from './backup.ts';

export const BACKUP_USAGE = `  backup --out <file.jsonl.gz>
      write every Redis key under BEACON_KEY_PREFIX (streams included) to a gzip'd file (docs/DEPLOY.md)
  restore <file.jsonl.gz> [--replace]
      put a backup back; refuses if any of its keys exists unless --replace (which overwrites those keys)`;

/** A mistake in the command line (answered with the usage, exit 2). Refusals are plain errors (exit 1). */
export class BackupUsageError extends Error {}

export function isBackupCommand(command: string): boolean {
  return command === 'backup' || command === 'restore';
}

export async function runBackupCommand(
  command: string,
  args: string[],
  connectRedis: () => Promise<Redis>,
  prefix: string,
): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { out: { type: 'string' }, replace: { type: 'boolean', default: false } },
    });
  } catch (error) {
    throw new BackupUsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (command === 'backup' && (!values.out || positionals.length > 0)) {
    throw new BackupUsageError('backup needs --out <file> and nothing else');
  }
  if (command === 'restore' && (positionals.length !== 1 || values.out)) {
    throw new BackupUsageError('restore needs one file: restore <file> [--replace]');
  }
  const redis = await connectRedis();
  try {
    if (command === 'backup') {
      const out = path.resolve(values.out!);
      const count = await backupRedis({ redis, prefix, out });
      console.log(`backed up ${count} keys under "${prefix}:" to ${out}`);
    } else {
      const file = path.resolve(positionals[0]!);
      const count = await restoreRedis({ redis, file, replace: values.replace, expectPrefix: prefix });
      console.log(`restored ${count} keys under "${prefix}:" from ${file}`);
    }
  } finally {
    redis.disconnect();
  }
}
