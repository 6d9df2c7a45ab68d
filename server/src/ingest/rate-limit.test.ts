import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limit.ts';

describe('rate limiter', () => {
  it('allows a burst, refuses beyond it, and refills with time', () => {
    let now = 0;
    const limiter = createRateLimiter({ clock: { now: () => now }, ratePerS: 100, burst: 200 });
    expect(limiter.take('d', 150)).toBe(true);
    expect(limiter.take('d', 100)).toBe(false);
    expect(limiter.take('d', 50)).toBe(true);
    now += 500;
    expect(limiter.take('d', 50)).toBe(true);
    expect(limiter.take('d', 1)).toBe(false);
    expect(limiter.take('other', 200)).toBe(true);
  });
});
