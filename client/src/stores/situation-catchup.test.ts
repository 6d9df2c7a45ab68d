import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { Snapshot, Unit } from '@beacon/shared';
import { compareStreamIds, useSituationStore } from './situation.ts';
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

const snapshot = (over: Partial<Snapshot> = {}): Snapshot => ({
  serverTime: Date.now(),
  demoNotice: null,
  units: [unit],
  incidents: [],
  weatherAlerts: [],
  alarms: [],
  ...over,
});

describe('situation store: catch-up after a reconnect', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('orders stream ids by time, then sequence', () => {
    expect(compareStreamIds('1700000000000-2', '1700000000000-10')).toBeLessThan(0);
    expect(compareStreamIds('1700000000001-0', '1700000000000-10')).toBeGreaterThan(0);
    expect(compareStreamIds('5-5', '5-5')).toBe(0);
  });

  it('keeps the newest event id, drops an id seen twice, and forgets the id on a snapshot', () => {
    const store = useSituationStore();
    store.applySnapshot(snapshot());
    expect(store.applyEvent('incident:created', makeIncident({ id: 'A' }), '100-0')).toBe(true);
    expect(store.applyEvent('incident:created', makeIncident({ id: 'A' }), '100-0')).toBe(false);
    store.applyEvent('unit:updated', { ...unit, status: 'dispatched' }, '99-5');
    expect(store.lastEventId).toBe('100-0');
    expect(store.units['BJ-01']?.status).toBe('dispatched');
    store.applySnapshot(snapshot());
    expect(store.lastEventId).toBeNull();
  });

  it('applies a catch-up in order, skips what already arrived live, takes the units as they are now', () => {
    const store = useSituationStore();
    store.applySnapshot(snapshot());
    const arrived: string[] = [];
    store.onIncidentChanged((incident) => arrived.push(`${incident.id}:${incident.state}`));
    const created = makeIncident({ id: 'B', updatedAt: 1 });
    // Live first (the screen joined its room before the catch-up was read) …
    store.applyEvent('incident:created', created, '200-0');
    // … then the catch-up holds the same event and a later one, and an order change for another store.
    const others = store.applyCatchup({
      serverTime: Date.now(),
      after: '150-0',
      events: [
        { id: '200-0', type: 'incident:created', payload: created },
        { id: '201-0', type: 'incident:updated', payload: { ...created, state: 'assessed', updatedAt: 2 } },
        { id: '202-0', type: 'order:changed', payload: { order: {}, notify: [] } },
      ],
      units: [{ ...unit, status: 'on_scene' }],
      lastEventId: '202-0',
    });
    expect(arrived).toEqual(['B:received', 'B:assessed']);
    expect(store.incidents.B?.state).toBe('assessed');
    expect(store.units['BJ-01']?.status).toBe('on_scene');
    expect(store.lastEventId).toBe('202-0');
    expect(others.map((e) => e.id)).toEqual(['202-0']);
  });

  it('shows drill data only on a wall of that drill', () => {
    const store = useSituationStore();
    const live = makeIncident({ id: 'LIVE' });
    const drill = makeIncident({ id: 'DRILL', drillId: 'D-1' });
    store.applySnapshot(snapshot({ incidents: [live, drill] }));
    expect(Object.keys(store.incidents)).toEqual(['LIVE']);
    expect(store.drillId).toBeNull();
    store.applySnapshot(snapshot({ drillId: 'D-1', incidents: [live, drill] }));
    expect(Object.keys(store.incidents)).toEqual(['DRILL']);
    expect(store.drillId).toBe('D-1');
    store.applyEvent('incident:created', makeIncident({ id: 'OTHER', drillId: 'D-2' }), '1-0');
    expect(store.incidents.OTHER).toBeUndefined();
  });
});
