import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { z } from 'zod';
import { describeZodError } from '../../shared/src/index.ts';
import {
  RECORDING_FORMAT,
  RECORDING_VERSION,
  RecordingHeader,
  recordedEventFromEntry,
  type RecordedEvent,
} from './recording.ts';

export const RECORD_USAGE = `  record --from <ISO> --to <ISO> --out <file.jsonl.gz> [--region <id>]
      write the device events the live server accepted in that window (the ingest stream) to a gzip JSONL
      recording: a header line, then one validated line per event (docs/DRILLS.md)`;

/** A command-line mistake: printed with the usage, exit code 2. */
export class RecordUsageError extends Error {}

const IsoTime = z.iso.datetime({
  offset: true,
  message: 'an ISO-8601 time with an offset, e.g. 2026-11-25T22:00:00+08:00',
});

const RecordFlags = z
  .strictObject({
    from: IsoTime.transform((s) => Date.parse(s)),
    to: IsoTime.transform((s) => Date.parse(s)),
    out: z
      .string()
      .min(1, 'name the output file')
      .regex(/\.jsonl\.gz$/, 'the output file must end in .jsonl.gz'),
    region: z
      .string()
      .regex(/^[a-z0-9_-]{1,64}$/)
      .optional(),
  })
  .refine((f) => f.to > f.from, { message: '--to must be later than --from', path: ['to'] });
export type RecordFlags = z.output<typeof RecordFlags>;

/** Parse and validate `record` arguments. */
export function parseRecordArgs(args: string[]): RecordFlags {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        out: { type: 'string' },
        region: { type: 'string' },
      },
    });
  } catch (error) {
    throw new RecordUsageError((error as Error).message);
  }
  const flags = RecordFlags.safeParse({ ...parsed.values, out: parsed.values.out ?? '' });
  if (!flags.success) throw new RecordUsageError(describeZodError(flags.error));
  return flags.data;
}

export interface RecordEnv {
  redisUrl: string;
  keyPrefix: string;
  /** Region pack id written into the header when `--region` is not given (from BEACON_REGION_DIR). */
  region: string;
  print: (line: string) => void;
  /** Entries read per XRANGE; default 1000. */
  pageSize?: number;
  now?: () => number;
}

export interface RecordResult {
  file: string;
  header: RecordingHeader;
  /** Stream entries left out, with the reason (at most 20 kept). */
  skipped: { id: string; message: string }[];
}

/**
 * Read `<prefix>:ingest` between two stream-id times (XRANGE, page by page) and write a gzip JSONL recording:
 * a header line (region, prefix, window, count), then each entry that validates as a `RecordedEvent`.
 * Entries that do not validate are counted and left out. The file appears only when complete.
 */
export async function runRecord(flags: RecordFlags, env: RecordEnv): Promise<RecordResult> {
  const out = path.resolve(flags.out);
  const stream = `${env.keyPrefix}:ingest`;
  const pageSize = env.pageSize ?? 1000;
  const redis = new Redis(env.redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
  redis.on('error', () => undefined);
  await redis.connect().catch((error: Error) => {
    throw new Error(`cannot reach Redis: ${error.message}`);
  });

  fs.mkdirSync(path.dirname(out), { recursive: true });
  // The body is written first (the header needs its count), as its own gzip member; the header is a second
  // member put in front. Concatenated gzip members are one gzip file to every reader (RFC 1952, 2.2).
  const bodyFile = `${out}.body.tmp`;
  const partFile = `${out}.tmp`;
  let count = 0;
  const skipped: RecordResult['skipped'] = [];
  let skippedTotal = 0;
  try {
    const gzip = zlib.createGzip();
    const written = pipeline(gzip, fs.createWriteStream(bodyFile, { mode: 0o600 }));
    const write = async (text: string) => {
      if (!gzip.write(text)) await once(gzip, 'drain');
    };
    let start = String(flags.from);
    for (;;) {
      const page = await redis.xrange(stream, start, String(flags.to), 'COUNT', pageSize);
      for (const [id, flat] of page) {
        const fields: Record<string, string> = {};
        for (let i = 0; i + 1 < flat.length; i += 2) fields[flat[i]!] = flat[i + 1]!;
        const result = recordedEventFromEntry(id, fields);
        if (!result.ok) {
          skippedTotal += 1;
          if (skipped.length < 20) skipped.push({ id, message: result.message });
          continue;
        }
        count += 1;
        await write(`${JSON.stringify(result.event satisfies RecordedEvent)}\n`);
      }
      if (page.length < pageSize) break;
      start = `(${page[page.length - 1]![0]}`;
    }
    gzip.end();
    await written;

    const header: RecordingHeader = {
      format: RECORDING_FORMAT,
      version: RECORDING_VERSION,
      region: flags.region ?? env.region,
      prefix: env.keyPrefix,
      from: flags.from,
      to: flags.to,
      count,
      skipped: skippedTotal,
      recordedAt: (env.now ?? Date.now)(),
    };
    RecordingHeader.parse(header);
    fs.writeFileSync(partFile, zlib.gzipSync(`${JSON.stringify(header)}\n`), { mode: 0o600 });
    await pipeline(fs.createReadStream(bodyFile), fs.createWriteStream(partFile, { flags: 'a' }));
    fs.renameSync(partFile, out);

    env.print(
      `recorded ${count} events from ${stream}, ${new Date(flags.from).toISOString()} – ${new Date(flags.to).toISOString()} → ${out}`,
    );
    if (skippedTotal > 0) {
      env.print(`  left out ${skippedTotal} entries that do not validate:`);
      for (const s of skipped) env.print(`    ${s.id}: ${s.message}`);
    }
    return { file: out, header, skipped };
  } finally {
    fs.rmSync(bodyFile, { force: true });
    fs.rmSync(partFile, { force: true });
    redis.disconnect();
  }
}
