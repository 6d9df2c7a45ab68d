import type { Incident, PedestrianDetected } from '@beacon/shared';

/**
 * Whether a new detection belongs to an existing open incident: same walk-on if it is near
 * (the caller found it within the merge radius) and the incident saw a detection within the window.
 */
export function isSameWalkOn(incident: Incident, detection: PedestrianDetected, windowMs: number): boolean {
  if (incident.state === 'closed') return false;
  return Math.abs(detection.ts - incident.lastDetectedAt) <= windowMs;
}
