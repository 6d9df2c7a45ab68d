import { z } from 'zod';
import { DEFAULT_SLA_POLICY, SLA_TARGET_FIELDS, SlaPolicy, describeZodError } from '@beacon/shared';

const PartialTargets = z.strictObject(SLA_TARGET_FIELDS).partial();
const SlaPolicyOverride = z.strictObject({
  P1: PartialTargets.optional(),
  P2: PartialTargets.optional(),
  P3: PartialTargets.optional(),
  P4: PartialTargets.optional(),
});
type SlaPolicyOverride = z.output<typeof SlaPolicyOverride>;

function mergeOverride(base: SlaPolicy, override: SlaPolicyOverride): SlaPolicy {
  return {
    P1: { ...base.P1, ...override.P1 },
    P2: { ...base.P2, ...override.P2 },
    P3: { ...base.P3, ...override.P3 },
    P4: { ...base.P4, ...override.P4 },
  };
}

/**
 * Read the `BEACON_SLA_POLICY` environment variable: a JSON object of partial overrides merged field by
 * field over {@link DEFAULT_SLA_POLICY}, e.g. `{"P1":{"arrivalMs":900000},"P4":{"arrivalMs":7200000}}`.
 * Unset or blank gives the defaults. Throws an Error naming the variable and the offending field on
 * malformed JSON, unknown keys, non-positive or fractional durations, or targets out of order.
 */
export function parseSlaPolicy(json: string | undefined): SlaPolicy {
  if (json === undefined || json.trim() === '') return DEFAULT_SLA_POLICY;
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new Error(`BEACON_SLA_POLICY is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  const override = SlaPolicyOverride.safeParse(raw);
  if (!override.success) throw new Error(`invalid BEACON_SLA_POLICY: ${describeZodError(override.error)}`);
  const merged = SlaPolicy.safeParse(mergeOverride(DEFAULT_SLA_POLICY, override.data));
  if (!merged.success) throw new Error(`invalid BEACON_SLA_POLICY: ${describeZodError(merged.error)}`);
  return merged.data;
}
