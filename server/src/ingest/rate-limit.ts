import type { Clock } from '@beacon/shared';

/**
 * Token buckets per device: `ratePerS` events a second on average, bursts up to `burst`.
 * Kept in each server's memory, so with N servers a device may send up to N× the rate; that is
 * protection against a runaway device, not accounting.
 */
export function createRateLimiter({ clock, ratePerS, burst }: { clock: Clock; ratePerS: number; burst: number }) {
  const buckets = new Map<string, { tokens: number; at: number }>();

  return {
    /** Take `count` tokens for `key`; false (and nothing taken) when the bucket does not hold them. */
    take(key: string, count: number): boolean {
      const now = clock.now();
      const bucket = buckets.get(key) ?? { tokens: burst, at: now };
      bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * ratePerS);
      bucket.at = now;
      buckets.set(key, bucket);
      if (bucket.tokens < count) return false;
      bucket.tokens -= count;
      return true;
    },

    forget(key: string): void {
      buckets.delete(key);
    },
  };
}
export type RateLimiter = ReturnType<typeof createRateLimiter>;
