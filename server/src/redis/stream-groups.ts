import type { Redis } from 'ioredis';

/** One consumer group of a stream, as XINFO GROUPS reports it (Redis ≥ 7). */
export interface StreamGroupInfo {
  name: string;
  pending: number;
  lastDeliveredId: string;
  /** Null when Redis cannot tell (e.g. after deletions). */
  entriesRead: number | null;
  lag: number | null;
}

/** The consumer groups of a stream; none when the stream does not exist. */
export async function readStreamGroups(redis: Redis, stream: string): Promise<StreamGroupInfo[]> {
  const rows = (await redis.xinfo('GROUPS', stream).catch(() => [])) as unknown[][];
  return rows.map((row) => {
    const field = (name: string) => row[row.indexOf(name) + 1];
    const count = (value: unknown) => (value === null || value === undefined ? null : Number(value));
    return {
      name: String(field('name')),
      pending: Number(field('pending')),
      lastDeliveredId: String(field('last-delivered-id')),
      entriesRead: count(field('entries-read')),
      lag: count(field('lag')),
    };
  });
}

/**
 * Whether `group` has been handed every entry of `stream` and acknowledged them all (true for an
 * empty stream without the group).
 */
export async function groupCaughtUp(redis: Redis, stream: string, group: string): Promise<boolean> {
  const info = (await redis.xinfo('STREAM', stream).catch(() => null)) as unknown[] | null;
  const lastId = info ? String(info[info.indexOf('last-generated-id') + 1]) : '0-0';
  const found = (await readStreamGroups(redis, stream)).find((g) => g.name === group);
  if (!found) return lastId === '0-0';
  return found.pending === 0 && found.lastDeliveredId === lastId;
}
