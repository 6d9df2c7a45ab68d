import type { Redis } from 'ioredis';

/**
 * Whether a connection is known to be down: it was ready once and has lost Redis since (reconnecting, or
 * closed). Device ingest checks it before each write and answers `UNAVAILABLE` at once instead of letting
 * reports pile up in ioredis' offline queue; devices resend, and de-duplication makes that safe.
 * A connection that never connected yet (lazy) is not "down": its first command connects it.
 */
export function watchRedisAvailability(redis: Pick<Redis, 'status' | 'on'>): { isDown(): boolean } {
  let wasReady = redis.status === 'ready';
  redis.on('ready', () => {
    wasReady = true;
  });
  return {
    isDown(): boolean {
      return wasReady && redis.status !== 'ready';
    },
  };
}
