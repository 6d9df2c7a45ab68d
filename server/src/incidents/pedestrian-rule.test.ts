import { describe, expect, it } from 'vitest';
import type { Incident, PedestrianDetected } from '@beacon/shared';
import { isSameWalkOn } from './pedestrian-rule.ts';

const T = 1_800_000_000_000;
const incident = { state: 'open', lastDetectedAt: T } as Incident;
const detection = (ts: number) => ({ ts }) as PedestrianDetected;

describe('pedestrian walk-on merging', () => {
  it('merges detections inside the window', () => {
    expect(isSameWalkOn(incident, detection(T + 60_000), 600_000)).toBe(true);
  });
  it('opens a new incident after the window or once closed', () => {
    expect(isSameWalkOn(incident, detection(T + 600_001), 600_000)).toBe(false);
    expect(isSameWalkOn({ ...incident, state: 'closed' }, detection(T), 600_000)).toBe(false);
  });
});
