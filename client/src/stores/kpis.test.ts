import { describe, expect, it } from 'vitest';
import type { Incident, Unit } from '@beacon/shared';
import { computeKpis, startOfLocalDay } from './kpis.ts';
import { makeIncident } from '../testing/incident.ts';

const NOW = Date.parse('2026-11-25T10:00:00+08:00');

function incident(overrides: Partial<Incident>): Incident {
  return makeIncident(overrides, NOW - 60_000);
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
        incident({ id: 'b', priority: 'P2', state: 'handling' }),
        incident({ id: 'p4', priority: 'P4', state: 'assessed' }),
        incident({ id: 'c', state: 'closed', closedAt: NOW - 1000 }),
        incident({ id: 'f', state: 'feedback', closedAt: NOW - 3000, feedbackAt: NOW - 2000 }),
        incident({ id: 'd', state: 'closed', createdAt: NOW - 2 * 86_400_000, closedAt: NOW - 5000 }),
        // Cancelled: not open and needed no closing; merged: lives on in its target; drills never count.
        incident({ id: 'x', state: 'cancelled', endedAt: NOW - 1000 }),
        incident({ id: 'm', state: 'merged', endedAt: NOW - 1000, mergedInto: 'a' }),
        incident({ id: 'drill', drillId: 'D-1' }),
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
    expect(kpis.openByPriority).toEqual({ P1: 1, P2: 1, P3: 0, P4: 1 });
    expect(kpis.openTotal).toBe(3);
    expect(kpis.unitsByStatus.available).toBe(2);
    expect(kpis.unitsByStatus.dispatched).toBe(1);
    expect(kpis.unitsByStatus.off_duty).toBe(1);
    expect(kpis.unitsFree).toBe(3);
    expect(kpis.unitsDispatched).toBe(2);
    // Created today: a, b, p4, c, f, x → 6, of which 1 cancelled; closed (c, f) → 2 / 5.
    expect(kpis.createdToday).toBe(6);
    expect(kpis.closedToday).toBe(3);
    expect(kpis.closureRateToday).toBeCloseTo(2 / 5);
  });

  it('has no closure rate on a day without incidents', () => {
    expect(computeKpis([], [], NOW).closureRateToday).toBeNull();
  });
});
