import { describe, expect, it } from 'vitest';
import { assignmentFromHash } from './assignment-store.ts';

const stored = {
  incidentId: 'INC-20261125-0001',
  unitId: 'BJ-07',
  computedAt: '1764079800000',
  driveTimeS: '72',
  roadDistanceM: '2000',
  approximate: '0',
  reason: 'same_carriageway',
  via: '',
  extraS: '0',
  route: '[[105.1,27.2],[105.11,27.21]]',
};

describe('assignment routes read back from Redis', () => {
  it('parses a stored route', () => {
    expect(assignmentFromHash(stored)).toEqual({
      incidentId: 'INC-20261125-0001',
      unitId: 'BJ-07',
      computedAt: 1764079800000,
      driveTimeS: 72,
      roadDistanceM: 2000,
      approximate: false,
      reason: 'same_carriageway',
      via: null,
      extraS: 0,
      route: [
        [105.1, 27.2],
        [105.11, 27.21],
      ],
    });
    expect(assignmentFromHash({ ...stored, route: '', driveTimeS: '', reason: 'no_route' })).toMatchObject({
      route: null,
      driveTimeS: null,
    });
  });

  it('drops missing and damaged records', () => {
    expect(assignmentFromHash({})).toBeNull();
    expect(assignmentFromHash({ ...stored, route: '[[105.1' })).toBeNull();
    expect(assignmentFromHash({ ...stored, route: '[[500,27]]' })).toBeNull();
    expect(assignmentFromHash({ ...stored, reason: 'teleport' })).toBeNull();
  });
});
