import { describe, expect, it } from 'vitest';
import type { Incident, Unit } from '@beacon/shared';
import { computeKpis, startOfLocalDay } from './kpis.ts';

const NOW = Date.parse('2026-11-25T10:00:00+08:00');

function incident(overrides: Partial<Incident>): Incident {
  return {
    id: 'INC-1',
    type: 'pedestrian',
    priority: 'P1',
    state: 'open',
    lon: 105,
    lat: 27,
    createdAt: NOW - 60_000,
    updatedAt: NOW - 60_000,
    detections: 1,
    lastDetectedAt: NOW - 60_000,
    cameraId: null,
    direction: null,
    confidence: 0.9,
    stake: null,
    unitId: null,
    assignedAt: null,
    closedAt: null,
    ...overrides,
  };
}

function unit(id: string, status: Unit['status']): Unit {
  return {
    id,
    callsign: id,
    status,
    lon: 105,
    lat: 27,
    speedKmh: null,
    headingDeg: null,
    lastFixAt: NOW,
    incidentId: null,
    stake: null,
    statusSince: NOW,
  };
}

describe('wall KPIs', () => {
  it('starts the day at Beijing midnight', () => {
    expect(new Date(startOfLocalDay(NOW)).toISOString()).toBe('2026-11-24T16:00:00.000Z');
  });

  it('counts open incidents by priority, units by status and today’s closure rate', () => {
    const kpis = computeKpis(
      [
        incident({ id: 'a' }),
        incident({ id: 'b', priority: 'P2' }),
        incident({ id: 'c', state: 'closed', closedAt: NOW - 1000 }),
        incident({ id: 'd', state: 'closed', createdAt: NOW - 2 * 86_400_000, closedAt: NOW - 5000 }),
      ],
      [
        unit('u1', 'available'),
        unit('u2', 'dispatched'),
        unit('u3', 'available'),
        unit('u4', 'returning'),
        unit('u5', 'off_duty'),
        unit('u6', 'en_route'),
      ],
      NOW,
    );
    expect(kpis.openByPriority).toEqual({ P1: 1, P2: 1, P3: 0 });
    expect(kpis.openTotal).toBe(2);
    expect(kpis.unitsByStatus.available).toBe(2);
    expect(kpis.unitsByStatus.dispatched).toBe(1);
    expect(kpis.unitsByStatus.off_duty).toBe(1);
    expect(kpis.unitsFree).toBe(3);
    expect(kpis.unitsDispatched).toBe(2);
    expect(kpis.createdToday).toBe(3);
    expect(kpis.closedToday).toBe(2);
    expect(kpis.closureRateToday).toBeCloseTo(1 / 3);
  });

  it('has no closure rate on a day without incidents', () => {
    expect(computeKpis([], [], NOW).closureRateToday).toBeNull();
  });
});
