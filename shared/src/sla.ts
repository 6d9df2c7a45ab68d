import { z } from 'zod';

/**
 * SLA targets per priority: the policy the server judges incidents by (`BEACON_SLA_POLICY` overrides the
 * defaults, server/src/sla/sla-policy.ts) and screens count down against (`Snapshot.slaPolicy`).
 */

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

const DurationMs = z.number().int('must be whole milliseconds').positive('must be more than 0 ms');

/** The fields of one priority's targets (the server's partial overrides reuse them). */
export const SLA_TARGET_FIELDS = {
  /** From received (createdAt) to a unit dispatched (assignedAt). */
  dispatchMs: DurationMs,
  /** From received to a unit on scene (arrivedAt); null when the priority needs no trip (P4 work orders). */
  arrivalMs: DurationMs.nullable(),
  /** From received to closed (办结, closedAt). */
  closureMs: DurationMs,
};

/** A deadline that comes before the one it leads to (dispatch ≤ arrival ≤ closure) is a typo, not a policy. */
function inOrder(t: { dispatchMs: number; arrivalMs: number | null; closureMs: number }): boolean {
  const steps = [t.dispatchMs, t.arrivalMs, t.closureMs].filter((ms): ms is number => ms !== null);
  return steps.every((ms, i) => i === 0 || steps[i - 1]! <= ms);
}

/** The three SLA targets of one priority, in milliseconds from the incident's creation. */
export const SlaTargets = z
  .strictObject(SLA_TARGET_FIELDS)
  .refine(inOrder, { message: 'targets must run dispatchMs ≤ arrivalMs ≤ closureMs' });
export type SlaTargets = z.output<typeof SlaTargets>;

/** SLA targets for every priority. */
export const SlaPolicy = z.strictObject({ P1: SlaTargets, P2: SlaTargets, P3: SlaTargets, P4: SlaTargets });
export type SlaPolicy = z.output<typeof SlaPolicy>;

/**
 * The default targets (docs/STATISTICS.md):
 * | priority | dispatch | arrival | closure |
 * | P1       | 1 min    | 10 min  | 60 min  |
 * | P2       | 3 min    | 20 min  | 2 h     |
 * | P3       | 10 min   | 45 min  | 8 h     |
 * | P4       | 60 min   | —       | 24 h    |
 */
export const DEFAULT_SLA_POLICY: SlaPolicy = {
  P1: { dispatchMs: 1 * MINUTE_MS, arrivalMs: 10 * MINUTE_MS, closureMs: 60 * MINUTE_MS },
  P2: { dispatchMs: 3 * MINUTE_MS, arrivalMs: 20 * MINUTE_MS, closureMs: 2 * HOUR_MS },
  P3: { dispatchMs: 10 * MINUTE_MS, arrivalMs: 45 * MINUTE_MS, closureMs: 8 * HOUR_MS },
  P4: { dispatchMs: 60 * MINUTE_MS, arrivalMs: null, closureMs: 24 * HOUR_MS },
};
