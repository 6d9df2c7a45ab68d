import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { DeviceHealth, FeedHealthSummary } from '@beacon/shared';
import { concernsFirst, deviceFlags, useFeedHealthStore } from './feed-health.ts';

const device = (deviceId: string, patch: Partial<DeviceHealth> = {}): DeviceHealth => ({
  deviceId,
  kind: 'patrol',
  revoked: false,
  lastSeenAt: 1000,
  accepted: 10,
  eventsLastMinute: 10,
  rejectsLastMinute: 0,
  rejected: {},
  lastRejectAt: null,
  lastRejectCode: null,
  quiet: false,
  ...patch,
});

const summary = (generatedAt: number, devicesOnline: number): FeedHealthSummary => ({
  generatedAt,
  devicesTotal: 3,
  devicesOnline,
  devicesQuiet: 3 - devicesOnline,
  stationsStuck: 0,
  unitsLostSignal: 0,
  unitsJumpFlagged: 0,
  eventsLastMinute: 0,
  rejectsLastMinute: 0,
  thresholds: { quietAfterMs: 1, lostSignalAfterMs: 1, stuckAfterMs: 1, implausibleSpeedKmh: 250, jumpFlagMs: 1 },
});

describe('feed health on screens', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('lists devices with concerns first and revoked ones last', () => {
    const rows = [
      device('a-ok'),
      device('b-revoked', { revoked: true }),
      device('c-quiet', { quiet: true }),
      device('d-both', { quiet: true, rejectsLastMinute: 2 }),
    ];
    expect(deviceFlags(rows[3]!)).toEqual(['quiet', 'rejecting']);
    expect(concernsFirst(rows, deviceFlags, (d) => d.deviceId).map((d) => d.deviceId)).toEqual([
      'd-both',
      'c-quiet',
      'a-ok',
      'b-revoked',
    ]);
  });

  it('keeps the newest summary, also from a full report', () => {
    const store = useFeedHealthStore();
    store.applySummary(summary(2000, 2));
    store.applySummary(summary(1000, 1));
    expect(store.summary?.devicesOnline).toBe(2);
    store.applyReport({ summary: summary(3000, 3), devices: [], stations: [], units: [] });
    expect(store.summary?.devicesOnline).toBe(3);
  });
});
