import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { Unit } from '@beacon/shared';
import { useSituationStore } from './situation.ts';

const unit: Unit = {
  id: 'BJ-01',
  callsign: 'BJ-01',
  status: 'available',
  lon: 105,
  lat: 27,
  speedKmh: 60,
  headingDeg: 90,
  lastFixAt: 1000,
  incidentId: null,
  stake: null,
  statusSince: 1000,
};

describe('situation store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('replaces state from a snapshot, then merges positions by id and ignores older fixes', () => {
    const store = useSituationStore();
    store.applySnapshot({ serverTime: Date.now(), demoNotice: null, units: [unit], incidents: [], weatherAlerts: [] });
    store.applyPositions([
      { id: 'BJ-01', lon: 105.1, lat: 27, speedKmh: 70, headingDeg: 95, lastFixAt: 2000, stake: null },
    ]);
    store.applyPositions([
      { id: 'BJ-01', lon: 999, lat: 27, speedKmh: 70, headingDeg: 95, lastFixAt: 1500, stake: null },
    ]);
    store.applyPositions([
      { id: 'UNKNOWN', lon: 1, lat: 1, speedKmh: null, headingDeg: null, lastFixAt: 3000, stake: null },
    ]);
    expect(store.units['BJ-01']?.lon).toBe(105.1);
    expect(store.units.UNKNOWN).toBeUndefined();
  });

  it('puts status changes in the ticker feed, newest first', () => {
    const store = useSituationStore();
    store.applySnapshot({ serverTime: Date.now(), demoNotice: null, units: [unit], incidents: [], weatherAlerts: [] });
    store.applyUnit({ ...unit, status: 'dispatched' });
    store.applyUnit({ ...unit, status: 'acknowledged' });
    expect(store.feed.map((e) => e.kind === 'unit_status' && e.unit.status)).toEqual(['acknowledged', 'dispatched']);
  });

  it('keeps the weather warnings by station, most severe first, and drops a cleared one', () => {
    const store = useSituationStore();
    const alert = (stationId: string, level: 'yellow' | 'red') => ({
      stationId,
      lon: 105,
      lat: 27,
      ref: 'SX1',
      stakeM: 1000,
      stages: [{ hazard: 'fog' as const, level, stageId: level, since: 0 }],
      measure: null,
      controlLevel: '二级' as const,
      segment: null,
    });
    store.applySnapshot({
      serverTime: Date.now(),
      demoNotice: null,
      units: [],
      incidents: [],
      weatherAlerts: [alert('WS-01', 'yellow')],
    });
    const change = {
      stationId: 'WS-02',
      hazard: 'fog' as const,
      from: null,
      to: 'red' as const,
      fromStage: null,
      toStage: 'red',
      measure: null,
      readingTs: 0,
      at: 0,
    };
    store.applyWeatherAlert({ stationId: 'WS-02', change, alert: alert('WS-02', 'red') });
    expect(store.weatherAlertList.map((a) => a.stationId)).toEqual(['WS-02', 'WS-01']);
    store.applyWeatherAlert({ stationId: 'WS-01', change: { ...change, stationId: 'WS-01' }, alert: null });
    expect(store.weatherAlertList.map((a) => a.stationId)).toEqual(['WS-02']);
    expect(store.feed[0]?.kind).toBe('weather_alert');
  });

  it('forgets incidents closed more than a day ago, so a wall can run for weeks', () => {
    const store = useSituationStore();
    const now = Date.parse('2026-11-25T12:00:00Z');
    const closed = {
      id: 'old',
      type: 'pedestrian',
      priority: 'P1',
      state: 'closed',
      lon: 105,
      lat: 27,
      createdAt: now - 30 * 3600_000,
      updatedAt: now - 26 * 3600_000,
      detections: 1,
      lastDetectedAt: now - 30 * 3600_000,
      cameraId: null,
      direction: null,
      confidence: 0.9,
      stake: null,
      unitId: null,
      assignedAt: null,
      closedAt: now - 25 * 3600_000,
    } as const;
    store.applySnapshot({
      serverTime: now,
      demoNotice: null,
      units: [],
      incidents: [
        closed,
        { ...closed, id: 'recent', closedAt: now - 3600_000 },
        { ...closed, id: 'open', state: 'open', closedAt: null },
      ],
      weatherAlerts: [],
    });
    expect(store.pruneClosed(now)).toBe(1);
    expect(Object.keys(store.incidents).sort()).toEqual(['open', 'recent']);
  });
});
