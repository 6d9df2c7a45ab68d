import { describe, expect, it } from 'vitest';
import { localHour, localMidnight } from './beijing-time.ts';

const at = (iso: string) => Date.parse(iso);

describe('Beijing local time', () => {
  it('starts the local day at 00:00 UTC+8 (16:00 UTC the day before)', () => {
    expect(localMidnight(at('2026-11-25T00:00:00+08:00'))).toBe(at('2026-11-24T16:00:00Z'));
    expect(localMidnight(at('2026-11-25T23:59:59.999+08:00'))).toBe(at('2026-11-25T00:00:00+08:00'));
    expect(localMidnight(at('2026-11-24T23:59:59.999+08:00'))).toBe(at('2026-11-24T00:00:00+08:00'));
  });

  it('reads the local hour, not the UTC one', () => {
    expect(localHour(at('2026-11-25T00:59:59Z'))).toBe(8);
    expect(localHour(at('2026-11-25T01:00:00Z'))).toBe(9);
    expect(localHour(at('2026-11-25T00:00:00+08:00'))).toBe(0);
    expect(localHour(at('2026-11-25T23:59:59.999+08:00'))).toBe(23);
  });

  it('crosses the year like any other night', () => {
    expect(localMidnight(at('2027-01-01T07:00:00+08:00'))).toBe(at('2027-01-01T00:00:00+08:00'));
    expect(localMidnight(at('2026-12-31T23:00:00+08:00'))).toBe(at('2026-12-31T00:00:00+08:00'));
  });
});
