import { describe, expect, it } from 'vitest';
import type { Incident, Unit } from '@beacon/shared';
import { incidentsToGeoJSON, unitsToGeoJSON, PULSE_MS } from './features.ts';
import { LOST_SIGNAL_MS } from '../stores/situation.ts';

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

  it('drops closed incidents and pulses only new open P1s', () => {
    const base = {
      type: 'pedestrian',
      priority: 'P1',
      state: 'open',
      lon: 105,
      lat: 27,
      createdAt: NOW - 1000,
      updatedAt: NOW,
      detections: 1,
      lastDetectedAt: NOW,
      cameraId: null,
      direction: null,
      confidence: 0.9,
      stake: null,
      unitId: null,
      assignedAt: null,
      closedAt: null,
    } satisfies Omit<Incident, 'id'>;
    const fc = incidentsToGeoJSON(
      [
        { ...base, id: 'new' },
        { ...base, id: 'old', createdAt: NOW - PULSE_MS - 1 },
        { ...base, id: 'assigned', state: 'assigned' },
        { ...base, id: 'closed', state: 'closed' },
      ],
      NOW,
      'old',
    );
    expect(fc.features.map((f) => [f.properties?.id, f.properties?.pulse, f.properties?.selected])).toEqual([
      ['new', true, false],
      ['old', false, true],
      ['assigned', false, false],
    ]);
  });
});
