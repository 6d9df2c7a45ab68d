import { parseStake, type ActiveWeatherAlert, type Incident, type Stake } from '@beacon/shared';

export interface CorrelationRules {
  /** Detections on the same expressway within this many metres of stake are one section. */
  sectionM: number;
  /** Off the expressway (no stake): detections within this radius. */
  radiusM: number;
  /** A detection joins an incident only if the incident saw one within this window (device time). */
  windowMs: number;
}

/**
 * The open pedestrian incident a new detection belongs to, if any: same drill (or both live), seen within
 * the window, and on the same road section (same expressway, stakes within `sectionM`, either carriageway:
 * a person on foot crosses the median) — or, off the expressway, within `radiusM`. The closest wins.
 * `candidates` come from a GEO search around the detection; `distanceM` measures a candidate's distance.
 */
export function correlatePedestrian(
  detection: { ts: number; stake: string | null; drillId: string | null },
  candidates: readonly Incident[],
  rules: CorrelationRules,
  distanceM: (incident: Incident) => number,
): Incident | null {
  const here = detection.stake ? parseStake(detection.stake) : null;
  let best: { incident: Incident; gap: number } | null = null;
  for (const incident of candidates) {
    if (incident.type !== 'pedestrian' || incident.drillId !== detection.drillId) continue;
    if (Math.abs(detection.ts - incident.lastDetectedAt) > rules.windowMs) continue;
    const there = incident.stake ? parseStake(incident.stake) : null;
    let gap: number;
    if (here && there) {
      if (here.ref !== there.ref) continue;
      gap = Math.abs(here.m - there.m);
      if (gap > rules.sectionM) continue;
    } else {
      gap = distanceM(incident);
      if (gap > rules.radiusM) continue;
    }
    if (!best || gap < best.gap) best = { incident, gap };
  }
  return best?.incident ?? null;
}

/** Whether a stake lies in a section under a red fog warning (visibility < 50 m). */
export function inRedFog(stake: Stake | null, alerts: readonly ActiveWeatherAlert[]): boolean {
  if (!stake) return false;
  return alerts.some(
    (alert) =>
      alert.segment !== null &&
      alert.segment.ref === stake.ref &&
      stake.m >= alert.segment.fromStakeM &&
      stake.m <= alert.segment.toStakeM &&
      alert.stages.some((s) => s.hazard === 'fog' && s.level === 'red'),
  );
}
