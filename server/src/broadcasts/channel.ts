import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/** A residents' group reachable through a channel. */
export interface ResidentGroup {
  groupId: string;
  name: string;
  cell: string;
}

/** A group's answer to a notice: confirmed read (delivered) or given up on by the gateway (failed). */
export interface Receipt {
  broadcastId: string;
  groupId: string;
  at: number;
  ok: boolean;
  error?: string;
}

/**
 * How notices reach residents' groups. A real messaging gateway (a WeChat Work / DingTalk bot, SMS) implements
 * this and is passed to the server in place of the demo channel:
 * - `groupsIn(cells)`: the groups registered for these grid cells;
 * - `send(...)`: hand one notice to one group; resolves once the gateway accepted it (not when it was read);
 * - `poll(now)`: the receipts that arrived since the last poll, each exactly once (several servers may poll).
 */
export interface BroadcastChannel {
  name: string;
  groupsIn(cells: string[]): Promise<ResidentGroup[]>;
  send(
    broadcastId: string,
    group: ResidentGroup,
    text: string,
    now: number,
  ): Promise<{ accepted: boolean; error?: string }>;
  poll(now: number): Promise<Receipt[]>;
}

/** A number in [0, 1) from a string, the same every time: the demo's delays are reproducible. */
function unit(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0) / 2 ** 32;
}

/**
 * The demo channel: two to four simulated residents' groups per grid cell (named as simulated) that confirm
 * a notice after a realistic delay — most within a few minutes, some after the 10-minute target, about one
 * in twenty never (the gateway reports a failure after 15 minutes). Pending confirmations are kept in a Redis
 * sorted set by due time, so any server may poll and each receipt is taken once (ZREM decides).
 */
export function createDemoChannel({ redis, key }: { redis: Redis; key: string }): BroadcastChannel {
  return {
    name: 'demo',
    async groupsIn(cells) {
      return cells.flatMap((cell) => {
        const count = 2 + Math.floor(unit(`groups:${cell}`) * 3);
        return Array.from({ length: count }, (_, i) => ({
          groupId: `${cell}-${i + 1}`,
          name: `网格${cell}居民群${i + 1}（模拟）`,
          cell,
        }));
      });
    },
    async send(broadcastId, group, _text, now) {
      const r = unit(`${broadcastId}:${group.groupId}`);
      const receipt: Receipt =
        r < 0.05
          ? {
              broadcastId,
              groupId: group.groupId,
              at: now + 15 * 60_000,
              ok: false,
              error: 'no confirmation from the group',
            }
          : {
              broadcastId,
              groupId: group.groupId,
              at: now + Math.round(30_000 + (r - 0.05) * 12.5 * 60_000),
              ok: true,
            };
      await redis.zadd(key, receipt.at, JSON.stringify(receipt));
      return { accepted: true };
    },
    async poll(now) {
      const due = await redis.zrangebyscore(key, '-inf', now, 'LIMIT', 0, 1000);
      const out: Receipt[] = [];
      for (const member of due) {
        if ((await redis.zrem(key, member)) === 1) out.push(JSON.parse(member) as Receipt);
      }
      return out;
    },
  };
}
