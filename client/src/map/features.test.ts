import { describe, expect, it } from 'vitest';
import type { Unit } from '@beacon/shared';
import { incidentsToGeoJSON, unitsToGeoJSON, PULSE_MS } from './features.ts';
import { LOST_SIGNAL_MS } from '../stores/situation.ts';
import { makeIncident } from '../testing/incident.ts';

const NOW = 1_800_000_000_000;

describe('map features', () => {
  it('marks units whose last fix is too old as lost', () => {
    const base: Unit = {
      id: 'a',
      callsign: 'A',
      status: 'available',
      lon: 105,
      lat: 27,
      speedKmh: null,
      headingDeg: null,
      lastFixAt: NOW,
      incidentId: null,
      stake: null,
      statusSince: NOW,
    };
    const fc = unitsToGeoJSON([base, { ...base, id: 'b', lastFixAt: NOW - LOST_SIGNAL_MS - 1, headingDeg: 45 }], NOW);
    expect(fc.features.map((f) => [f.properties?.id, f.properties?.lost, f.properties?.hasHeading])).toEqual([
      ['a', false, false],
      ['b', true, true],
    ]);
  });

  it('drops ended incidents and pulses only new P1s still awaiting dispatch', () => {
    const base = makeIncident({ createdAt: NOW - 1000, updatedAt: NOW, lastDetectedAt: NOW });
    const fc = incidentsToGeoJSON(
      [
        { ...base, id: 'new' },
        { ...base, id: 'assessed', state: 'assessed' },
        { ...base, id: 'old', createdAt: NOW - PULSE_MS - 1 },
        { ...base, id: 'p2', priority: 'P2' },
        { ...base, id: 'dispatched', state: 'dispatched' },
        { ...base, id: 'handling', state: 'handling' },
        { ...base, id: 'closed', state: 'closed' },
        { ...base, id: 'feedback', state: 'feedback' },
        { ...base, id: 'cancelled', state: 'cancelled' },
        { ...base, id: 'merged', state: 'merged' },
      ],
      NOW,
      'old',
    );
    expect(fc.features.map((f) => [f.properties?.id, f.properties?.pulse, f.properties?.selected])).toEqual([
      ['new', true, false],
      ['assessed', true, false],
      ['old', false, true],
      ['p2', false, false],
      ['dispatched', false, false],
      ['handling', false, false],
    ]);
  });
});
