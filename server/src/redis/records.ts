import { BeaconError } from '@beacon/shared';
import type { z } from 'zod';
import type { BeaconRedis } from './scripts.ts';

/** Attempts of a compare-and-set before giving up (only under heavy contention on one record). */
const MAX_ATTEMPTS = 8;

/**
 * Records kept as one JSON document per hash (`rev`, `json`) and changed by compare-and-set: read, decide,
 * write if nobody wrote in between, else read again. For entities whose every change is a whole new version
 * (work orders, broadcasts); validated with their schema on the way out of Redis.
 */
export function createRecordStore<T extends { rev: number }>({
  redis,
  schema,
  keyOf,
  what,
}: {
  redis: BeaconRedis;
  schema: z.ZodType<T>;
  keyOf: (id: string) => string;
  what: string;
}) {
  async function get(id: string): Promise<T | null> {
    const json = await redis.hget(keyOf(id), 'json');
    if (!json) return null;
    try {
      const parsed = schema.safeParse(JSON.parse(json));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  return {
    get,

    async getMany(ids: string[]): Promise<T[]> {
      if (ids.length === 0) return [];
      const pipeline = redis.pipeline();
      for (const id of ids) pipeline.hget(keyOf(id), 'json');
      const out: T[] = [];
      for (const [error, json] of (await pipeline.exec()) ?? []) {
        if (error || typeof json !== 'string') continue;
        try {
          const parsed = schema.safeParse(JSON.parse(json));
          if (parsed.success) out.push(parsed.data);
        } catch {
          // A damaged record is skipped, never invented.
        }
      }
      return out;
    },

    /** Store a new record (rev 0 → 1); false if the id exists. */
    async create(id: string, record: T): Promise<boolean> {
      return Number(await redis.casRecord(keyOf(id), '0', JSON.stringify({ ...record, rev: 1 }))) === 1;
    },

    /** Change a record from what it is now; `decide` may throw a BeaconError to refuse, or return null for no change. */
    async update(id: string, decide: (current: T) => T | null): Promise<T> {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
        const current = await get(id);
        if (!current) throw new BeaconError('NOT_FOUND', `${what} ${id} does not exist`);
        const next = decide(current);
        if (!next) return current;
        const stored = { ...next, rev: current.rev + 1 };
        if (Number(await redis.casRecord(keyOf(id), String(current.rev), JSON.stringify(stored))) === 1) return stored;
      }
      throw new BeaconError('CONFLICT', `${what} ${id} is being changed by others; try again`);
    },
  };
}
