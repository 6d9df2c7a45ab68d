import type { DomainEventName, StoredEvent } from '@beacon/shared';
import type { Keys } from '../redis/keys.ts';
import type { BeaconRedis } from '../redis/scripts.ts';
import type { FanoutRouting } from './fanout.ts';
import { areaRoom } from '../auth/areas.ts';

const STREAM_ID = /^\d{1,20}-\d{1,20}$/;
/** Entries read per XRANGE. */
const PAGE = 2000;

/** Whether `a` comes before `b` in stream order. */
function idBefore(a: string, b: string): boolean {
  const [am, as] = a.split('-').map(BigInt) as [bigint, bigint];
  const [bm, bs] = b.split('-').map(BigInt) as [bigint, bigint];
  return am < bm || (am === bm && as < bs);
}

/**
 * Replay of the events stream for a screen that reconnects after a gap: everything after the last event it
 * saw, in stream order, limited to its area. Returns null when that is not possible — the id is malformed,
 * older than the stream's oldest entry (trimmed: events may be missing) or the gap holds more than
 * `maxEvents` entries — and the screen is sent a fresh snapshot instead.
 */
export function createCatchup({
  redis,
  keys,
  routing,
  maxEvents,
}: {
  redis: BeaconRedis;
  keys: Keys;
  routing: FanoutRouting;
  maxEvents: number;
}) {
  return {
    async replay(after: string, area: string): Promise<{ events: StoredEvent[]; lastEventId: string } | null> {
      if (!STREAM_ID.test(after)) return null;
      const first = (await redis.xrange(keys.eventsStream, '-', '+', 'COUNT', 1))[0]?.[0];
      // The entry the screen saw must still be there (or be the newest trimmed one's successor): else a gap.
      if (first && idBefore(after, first)) {
        const seen = await redis.xrange(keys.eventsStream, after, after);
        if (seen.length === 0) return null;
      }
      const room = areaRoom(area);
      const events: StoredEvent[] = [];
      let lastEventId = after;
      let read = 0;
      for (;;) {
        const page = (await redis.xrange(keys.eventsStream, `(${lastEventId}`, '+', 'COUNT', PAGE)) as [
          string,
          string[],
        ][];
        for (const [id, flat] of page) {
          read += 1;
          lastEventId = id;
          const fields: Record<string, string> = {};
          for (let i = 0; i + 1 < flat.length; i += 2) fields[flat[i]!] = flat[i + 1]!;
          const type = fields.type as DomainEventName;
          let payload: unknown;
          try {
            payload = JSON.parse(fields.payload ?? 'null');
          } catch {
            continue;
          }
          if (routing.roomsOf(type, payload as never).includes(room)) events.push({ id, type, payload });
        }
        if (read > maxEvents) return null;
        if (page.length < PAGE) break;
      }
      return { events, lastEventId };
    },
  };
}
export type Catchup = ReturnType<typeof createCatchup>;
