import { describe, expect, it } from 'vitest';
import { BatchItem, GpsReported, PedestrianDetected } from './ingest.ts';
import { describeZodError, parseOrThrow, BeaconError } from './ack.ts';

describe('device schemas', () => {
  it('accepts epoch milliseconds and ISO timestamps with an offset, normalising to ms', () => {
    const base = { eventId: 'e', unitId: 'u', lon: 105, lat: 27 };
    expect(GpsReported.parse({ ...base, ts: 1_800_000_000_000 }).ts).toBe(1_800_000_000_000);
    expect(GpsReported.parse({ ...base, ts: '2026-11-25T22:00:00+08:00' }).ts).toBe(Date.parse('2026-11-25T14:00:00Z'));
    expect(GpsReported.safeParse({ ...base, ts: '2026-11-25 22:00' }).success).toBe(false);
    expect(GpsReported.safeParse({ ...base, ts: 1234 }).success).toBe(false);
  });

  it('rejects unknown fields so a typo is not silently dropped', () => {
    const result = PedestrianDetected.safeParse({
      eventId: 'e',
      ts: 1_800_000_000_000,
      lon: 1,
      lat: 1,
      confidence: 1,
      confidance: 1,
    });
    expect(result.success).toBe(false);
    if (!result.success) expect(describeZodError(result.error)).toMatch(/confidance/);
  });

  it('discriminates batch items by kind', () => {
    expect(
      BatchItem.safeParse({ kind: 'gps', eventId: 'e', ts: 1_800_000_000_000, unitId: 'u', lon: 1, lat: 1 }).success,
    ).toBe(true);
    expect(BatchItem.safeParse({ kind: 'radar', eventId: 'e' }).success).toBe(false);
  });

  it('throws a BeaconError carrying the batch index', () => {
    try {
      parseOrThrow(GpsReported, {}, 3);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(BeaconError);
      expect(error).toMatchObject({ code: 'INVALID', index: 3 });
    }
  });
});
