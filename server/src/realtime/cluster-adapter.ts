import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Redis } from 'ioredis';
import type { Keys } from '../redis/keys.ts';

/**
 * Broadcast entries kept in the adapter's stream. A node that stalls for longer than this many broadcasts
 * misses the oldest ones; a `units:moved` of 2 000 units is about 250 kB, so this also bounds memory.
 */
export const ADAPTER_STREAM_MAXLEN = 2000;

/**
 * The Socket.IO adapter that makes every `io.of(…).emit` reach the screens of every server node, through
 * the Redis stream `keys.adapterStream` (`@socket.io/redis-streams-adapter`, no home-made relay).
 *
 * `redis` must be a connection of its own: the adapter publishes on it and duplicates it for its blocking
 * XREAD and its pub/sub subscriber. The caller closes `redis`; the duplicates close with `io.close()`.
 */
export function createClusterAdapter({ redis, keys, blockMs }: { redis: Redis; keys: Keys; blockMs: number }) {
  return createAdapter(redis, {
    streamName: keys.adapterStream,
    channelPrefix: keys.adapterChannelPrefix,
    maxLen: ADAPTER_STREAM_MAXLEN,
    readCount: 500,
    // Also bounds how long the adapter's reading connection outlives io.close().
    blockTimeInMs: blockMs,
    // Every Beacon payload is JSON: skip the adapter's search for binary attachments.
    onlyPlaintext: true,
  });
}
