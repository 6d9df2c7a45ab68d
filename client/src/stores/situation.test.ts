import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { Alarm, Unit } from '@beacon/shared';
import { useSituationStore } from './situation.ts';
import { makeIncident } from '../testing/incident.ts';

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
    store.applySnapshot({
      serverTime: Date.now(),
      demoNotice: null,
      units: [unit],
      incidents: [],
      weatherAlerts: [],
      alarms: [],
    });
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
    store.applySnapshot({
      serverTime: Date.now(),
      demoNotice: null,
      units: [unit],
      incidents: [],
      weatherAlerts: [],
      alarms: [],
    });
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
      alarms: [],
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

  it('forgets incidents that ended more than a day ago, so a wall can run for weeks', () => {
    const store = useSituationStore();
    const now = Date.parse('2026-11-25T12:00:00Z');
    const base = makeIncident({ state: 'closed', closedAt: now - 25 * 3600_000 }, now - 30 * 3600_000);
    store.applySnapshot({
      serverTime: now,
      demoNotice: null,
      units: [],
      incidents: [
        { ...base, id: 'old' },
        { ...base, id: 'recent', closedAt: now - 3600_000 },
        { ...base, id: 'visited', state: 'feedback', feedbackAt: now - 25 * 3600_000 },
        { ...base, id: 'visitedLate', state: 'feedback', feedbackAt: now - 3600_000 },
        { ...base, id: 'cancelled', state: 'cancelled', closedAt: null, endedAt: now - 25 * 3600_000 },
        { ...base, id: 'merged', state: 'merged', closedAt: null, endedAt: now - 25 * 3600_000 },
        { ...base, id: 'open', state: 'handling', closedAt: null },
      ],
      weatherAlerts: [],
      alarms: [],
    });
    expect(store.pruneEnded(now)).toBe(4);
    expect(Object.keys(store.incidents).sort()).toEqual(['open', 'recent', 'visitedLate']);
  });

  it('queues open incidents only, most urgent first, and never shows a drill', () => {
    const store = useSituationStore();
    const base = makeIncident();
    store.applySnapshot({
      serverTime: Date.now(),
      demoNotice: null,
      units: [],
      incidents: [
        { ...base, id: 'p4', priority: 'P4' },
        { ...base, id: 'p1-late', createdAt: base.createdAt + 1000 },
        { ...base, id: 'p1', state: 'on_scene' },
        { ...base, id: 'gone', state: 'cancelled' },
        { ...base, id: 'drill', drillId: 'D-1' },
      ],
      weatherAlerts: [],
      alarms: [],
    });
    store.applyIncident({ ...base, id: 'drill-2', drillId: 'D-1' });
    expect(store.activeIncidents.map((i) => i.id)).toEqual(['p1', 'p1-late', 'p4']);
    expect(store.incidents['drill-2']).toBeUndefined();
  });

  it('keeps open and acknowledged alarms and lets a closed one go', () => {
    const store = useSituationStore();
    const alarm: Alarm = {
      id: 'ALM-1',
      source: 'camera:CAM-1',
      type: 'pedestrian',
      state: 'open',
      count: 1,
      firstSeenAt: 1000,
      lastSeenAt: 1000,
      lon: 105,
      lat: 27,
      level: null,
      incidentId: 'INC-1',
      acknowledgedAt: null,
      acknowledgedBy: null,
      closedAt: null,
      closedBy: null,
      drillId: null,
    };
    store.applySnapshot({
      serverTime: Date.now(),
      demoNotice: null,
      units: [],
      incidents: [],
      weatherAlerts: [],
      alarms: [alarm],
    });
    store.applyAlarm({ ...alarm, id: 'ALM-2', lastSeenAt: 2000 });
    expect(store.alarmList.map((a) => a.id)).toEqual(['ALM-2', 'ALM-1']);
    expect(store.feed[0]).toMatchObject({ kind: 'alarm_raised', alarm: { id: 'ALM-2' } });
    store.applyAlarm({ ...alarm, state: 'acknowledged', acknowledgedAt: 1500, acknowledgedBy: 'console' });
    expect(store.alarms['ALM-1']?.state).toBe('acknowledged');
    store.applyAlarm({ ...alarm, state: 'closed', closedAt: 3000, closedBy: 'console' });
    expect(store.alarmList.map((a) => a.id)).toEqual(['ALM-2']);
  });
});
