/**
 * Logical backup and restore of every Redis key under Beacon's prefix: `pnpm beacon backup --out <file>`,
 * `pnpm beacon restore <file> [--replace]`.
 *
 * The file is gzip'd JSON lines: a header `{ format, version, prefix, createdAt, redisVersion }`, then
 * one `{ k, ttl, v }` per key — the key name and the value in
 * base64 (`DUMP`'s serialization, so streams keep their entries and consumer groups, hashes their fields),
 * and the remaining time to live in ms (0: none). Restore uses `RESTORE`, which needs a Redis of the same
 * or a newer version than the one dumped.
 *
 * The dump walks the keys with SCAN while Beacon may be writing: keys are each consistent, but not all at
 * one instant. For a point-in-time copy stop the servers first, or copy the AOF / RDB files of a stopped
 * (or `BGREWRITEAOF`'d) Redis (docs/DEPLOY.md).
 */
import fs from 'node:fs';
import readline from 'node:readline';
import zlib from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { Redis } from 'ioredis';
import { z } from 'zod';

const FORMAT = 'beacon-redis-backup';
const VERSION = 1;

const Header = z.strictObject({
  format: z.literal(FORMAT),
  version: z.literal(VERSION),
  prefix: z.string().min(1),
  createdAt: z.string(),
  redisVersion: z.string(),
});
const Entry = z.strictObject({
  k: z.string().min(1),
  ttl: z.number().int().min(0),
  v: z.string().min(1),
});

/** A refusal the operator can act on (printed without a stack trace). */
export class BackupError extends Error {}

async function redisVersion(redis: Redis): Promise<string> {
  const info = await redis.info('server');
  return /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown';
}

/** Every key under `prefix:` (SCAN, so Redis keeps serving meanwhile). */
async function* scanKeys(redis: Redis, prefix: string): AsyncGenerator<Buffer[]> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scanBuffer(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next.toString();
    if (keys.length > 0) yield keys;
  } while (cursor !== '0');
}

/** Write every key under `prefix` to `out` (gzip'd JSON lines); resolves with the number of keys written. */
export async function backupRedis({
  redis,
  prefix,
  out,
}: {
  redis: Redis;
  prefix: string;
  out: string;
}): Promise<number> {
  const header = {
    format: FORMAT,
    version: VERSION,
    prefix,
    createdAt: new Date().toISOString(),
    redisVersion: await redisVersion(redis),
  };
  let count = 0;
  async function* lines(): AsyncGenerator<string> {
    yield `${JSON.stringify(header)}\n`;
    for await (const keys of scanKeys(redis, prefix)) {
      const batch = redis.pipeline();
      for (const key of keys) batch.dumpBuffer(key).pttl(key);
      const replies = (await batch.exec()) ?? [];
      for (let i = 0; i < keys.length; i += 1) {
        const [dumpError, dumped] = replies[2 * i] ?? [];
        const [, pttl] = replies[2 * i + 1] ?? [];
        if (dumpError) throw dumpError;
        if (!dumped) continue; // expired or deleted between SCAN and DUMP
        const ttl = Number(pttl);
        count += 1;
        yield `${JSON.stringify({ k: keys[i]!.toString('base64'), ttl: ttl > 0 ? ttl : 0, v: (dumped as Buffer).toString('base64') })}\n`;
      }
    }
  }
  const partial = `${out}.partial`;
  await pipeline(Readable.from(lines()), zlib.createGzip(), fs.createWriteStream(partial, { mode: 0o600 }));
  fs.renameSync(partial, out);
  return count;
}

/** The header and entries of a backup file, validated line by line. */
async function* readBackup(file: string): AsyncGenerator<z.output<typeof Header> | z.output<typeof Entry>> {
  if (!fs.existsSync(file)) throw new BackupError(`${file}: no such file`);
  const input = fs.createReadStream(file).pipe(zlib.createGunzip());
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  let lineNo = 0;
  try {
    for await (const line of lines) {
      lineNo += 1;
      if (line === '') continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        throw new BackupError(`${file}:${lineNo}: not JSON`);
      }
      const result = (lineNo === 1 ? Header : Entry).safeParse(parsed);
      if (!result.success)
        throw new BackupError(`${file}:${lineNo}: not a Beacon backup ${lineNo === 1 ? 'header' : 'entry'}`);
      yield result.data;
    }
  } catch (error) {
    if (error instanceof BackupError) throw error;
    throw new BackupError(`${file}: cannot read it (${(error as Error).message})`);
  }
  if (lineNo === 0) throw new BackupError(`${file}: empty`);
}

/**
 * Restore a backup with RESTORE (keeping each key's remaining TTL). Without `replace`, nothing is written
 * if any key of the file already exists; with it, those keys are overwritten. Keys not in the file are
 * left alone. Resolves with the number of keys restored.
 */
export async function restoreRedis({
  redis,
  file,
  replace,
  expectPrefix,
}: {
  redis: Redis;
  file: string;
  replace: boolean;
  /** Refuse a backup of another prefix. */
  expectPrefix?: string;
}): Promise<number> {
  let header: z.output<typeof Header> | null = null;
  const existing: string[] = [];
  let total = 0;
  // First pass: validate the whole file and find keys that already exist, before writing anything.
  for await (const item of readBackup(file)) {
    if ('format' in item) {
      header = item;
      if (expectPrefix !== undefined && item.prefix !== expectPrefix) {
        throw new BackupError(
          `${file} holds keys of prefix "${item.prefix}", not "${expectPrefix}" (BEACON_KEY_PREFIX)`,
        );
      }
      continue;
    }
    total += 1;
    if (!replace && (await redis.exists(Buffer.from(item.k, 'base64'))) === 1)
      existing.push(Buffer.from(item.k, 'base64').toString());
  }
  if (!header) throw new BackupError(`${file}: no header`);
  if (existing.length > 0) {
    throw new BackupError(
      `${existing.length} of the ${total} keys already exist (e.g. ${existing.slice(0, 3).join(', ')}); ` +
        'restore into an empty Redis, or pass --replace to overwrite them',
    );
  }
  let restored = 0;
  let batch = redis.pipeline();
  const flush = async () => {
    const replies = (await batch.exec()) ?? [];
    for (const [error] of replies) if (error) throw new BackupError(`RESTORE failed: ${error.message}`);
    batch = redis.pipeline();
  };
  for await (const item of readBackup(file)) {
    if ('format' in item) continue;
    const args: (string | number | Buffer)[] = [Buffer.from(item.k, 'base64'), item.ttl, Buffer.from(item.v, 'base64')];
    if (replace) args.push('REPLACE');
    batch.call('RESTORE', ...args);
    restored += 1;
    if (restored % 500 === 0) await flush();
  }
  await flush();
  return restored;
}
