import type { Redis } from 'ioredis';
import type { Logger } from '../log.ts';
import { entryFromRaw, type Projector } from './projector.ts';

type RawEntries = [string, string[]][];

/**
 * Reads the ingest stream through a Redis consumer group and hands each run of entries to the
 * projector, acknowledging (XACK) only after it succeeded. Several workers (in one or several server
 * processes) share the stream; after a crash, a worker first re-reads its own pending entries, and
 * entries left pending by a dead consumer are claimed after `claimIdleMs`.
 *
 * Uses its own Redis connection because XREADGROUP BLOCK holds it.
 */
export function createRulesWorker({
  redis,
  stream,
  deadLetterStream,
  group,
  consumer,
  projector,
  log,
  count = 2000,
  blockMs = 1000,
  claimIdleMs = 30_000,
}: {
  redis: Redis;
  stream: string;
  /**
   * Where an entry goes that fails on its own while Redis answers (a bug, not an outage): copied there with
   * the error, then acknowledged, so one bad entry cannot hold up the entries behind it. Nothing is lost.
   */
  deadLetterStream: string;
  group: string;
  consumer: string;
  projector: Projector;
  log: Logger;
  count?: number;
  blockMs?: number;
  claimIdleMs?: number;
}) {
  let running = false;
  let loop: Promise<void> | null = null;
  /** Entries this consumer projected (counted before their XACK), and how many it took over from another. */
  const counts = { projected: 0, claimed: 0, deadLettered: 0 };

  async function ensureGroup(): Promise<void> {
    try {
      // From the start of the stream: events stored before the first worker ran are still projected.
      await redis.xgroup('CREATE', stream, group, '0', 'MKSTREAM');
    } catch (error) {
      if (!(error instanceof Error) || !error.message.includes('BUSYGROUP')) throw error;
    }
  }

  async function handle(entries: RawEntries): Promise<void> {
    if (entries.length === 0) return;
    await projector.project(entries.map(entryFromRaw));
    counts.projected += entries.length;
    await redis.xack(stream, group, ...entries.map(([id]) => id));
  }

  async function read(id: string, block: boolean): Promise<RawEntries> {
    const args: (string | number)[] = ['GROUP', group, consumer, 'COUNT', count];
    if (block) args.push('BLOCK', blockMs);
    args.push('STREAMS', stream, id);
    const reply = (await (redis.xreadgroup as (...a: (string | number)[]) => Promise<unknown>)(...args)) as
      [string, RawEntries][] | null;
    return reply?.[0]?.[1] ?? [];
  }

  /**
   * Entries that failed together are tried one by one; one that fails alone while Redis answers PING is
   * parked in the dead-letter stream (with its id and the error) and acknowledged. While Redis is away the
   * PING throws and everything stays pending for the next try.
   */
  async function handleOneByOne(entries: RawEntries): Promise<void> {
    for (const entry of entries) {
      try {
        await handle([entry]);
      } catch {
        // Redis away: PING throws and the entry stays pending. Redis here: one more try, then park it.
        await redis.ping();
        try {
          await handle([entry]);
          continue;
        } catch (error) {
          await park(entry, error);
        }
      }
    }
  }

  /** Copy the entry (its id, the error, its fields) to the dead-letter stream and acknowledge it, atomically. */
  async function park(entry: RawEntries[number], error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    const replies = await redis
      .multi()
      .xadd(deadLetterStream, '*', 'entryId', entry[0], 'error', message.slice(0, 500), ...entry[1])
      .xack(stream, group, entry[0])
      .exec();
    const failed = replies?.find(([e]) => e);
    if (!replies || failed) throw failed?.[0] ?? new Error('MULTI aborted');
    counts.deadLettered += 1;
    log.error({ err: error, entryId: entry[0], deadLetterStream }, 'ingest entry failed on its own; parked');
  }

  async function drainOwnPending(): Promise<void> {
    for (;;) {
      const read0 = await read('0', false);
      if (read0.length === 0) return;
      // An entry trimmed from the stream while pending comes back without fields: nothing left to project.
      const gone = read0.filter((e) => !Array.isArray(e[1])).map(([id]) => id);
      if (gone.length > 0) {
        await redis.xack(stream, group, ...gone);
        log.warn({ count: gone.length }, 'pending ingest entries were trimmed before projection');
      }
      const entries = read0.filter((e) => Array.isArray(e[1]));
      if (entries.length === 0) continue;
      try {
        await handle(entries);
      } catch {
        await handleOneByOne(entries);
      }
    }
  }

  async function claimAbandoned(): Promise<void> {
    const [, entries] = (await redis.xautoclaim(stream, group, consumer, claimIdleMs, '0-0', 'COUNT', count)) as [
      string,
      RawEntries,
    ];
    const live = entries.filter((e) => e && Array.isArray(e[1]));
    if (live.length > 0) {
      log.info({ count: live.length }, 'claimed entries abandoned by another consumer');
      counts.claimed += live.length;
      await handle(live);
    }
  }

  async function run(): Promise<void> {
    let lastClaim = 0;
    // After any failure (Redis away, a projection that threw) this consumer's own delivered-but-unacknowledged
    // entries are re-read before new ones; the flag clears only when that re-read succeeded, so an outage that
    // outlasts the retry cannot leave entries pending until XAUTOCLAIM's idle time passes.
    let ownPending = false;
    while (running) {
      try {
        if (ownPending) {
          await drainOwnPending();
          ownPending = false;
        }
        if (Date.now() - lastClaim > claimIdleMs / 2) {
          lastClaim = Date.now();
          await claimAbandoned();
        }
        await handle(await read('>', true));
      } catch (error) {
        if (!running) return;
        log.warn({ err: error }, 'rules worker error; retrying');
        ownPending = true;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  return {
    /** This consumer's name in the group. */
    consumer,

    /** What this consumer has done since it was created (for tests, benchmarks and operators). */
    counts(): { projected: number; claimed: number; deadLettered: number } {
      return { ...counts };
    },

    async start(): Promise<void> {
      await ensureGroup();
      await drainOwnPending();
      running = true;
      loop = run();
    },

    /** Stop after the current read returns (at most `blockMs`). Unacknowledged entries stay pending for the next start. */
    async stop(): Promise<void> {
      running = false;
      await loop;
      loop = null;
    },
  };
}
export type RulesWorker = ReturnType<typeof createRulesWorker>;
