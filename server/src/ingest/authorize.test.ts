import { describe, expect, it } from 'vitest';
import type { DeviceInfo } from '@beacon/shared';
import { crewReportForbiddenReason, forbiddenReason } from './authorize.ts';

const device = (kind: DeviceInfo['kind'], unitId: string | null = null): DeviceInfo => ({
  deviceId: 'D-1',
  kind,
  unitId,
  stationId: null,
  createdAt: 0,
  revokedAt: null,
});

describe('what a device may report', () => {
  it('lets a patrol device send GPS for its own unit only, and a gateway for any', () => {
    expect(forbiddenReason(device('patrol', 'BJ-01'), { kind: 'gps', unitId: 'BJ-01' })).toBeNull();
    expect(forbiddenReason(device('patrol', 'BJ-01'), { kind: 'gps', unitId: 'BJ-02' })).toMatch(/not BJ-02/);
    expect(forbiddenReason(device('patrol'), { kind: 'gps', unitId: 'BJ-02' })).toBeNull();
  });

  it("lets only a unit's own terminal report its crew's status", () => {
    expect(crewReportForbiddenReason(device('patrol', 'BJ-01'), 'BJ-01')).toBeNull();
    expect(crewReportForbiddenReason(device('patrol', 'BJ-01'), 'BJ-02')).toMatch(/reports for unit BJ-01, not BJ-02/);
    expect(crewReportForbiddenReason(device('patrol'), 'BJ-01')).toMatch(/not bound to a unit/);
    expect(crewReportForbiddenReason(device('camera'), 'BJ-01')).toMatch(/camera device/);
    expect(crewReportForbiddenReason(device('weather'), 'BJ-01')).toMatch(/weather device/);
  });
});
