import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SLA_POLICY, PRIORITIES, SlaPolicy } from '@beacon/shared';
import { parseSlaPolicy } from './sla-policy.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;

describe('default SLA policy', () => {
  it('holds the documented targets', () => {
    expect(DEFAULT_SLA_POLICY).toEqual({
      P1: { dispatchMs: 1 * MIN, arrivalMs: 10 * MIN, closureMs: 60 * MIN },
      P2: { dispatchMs: 3 * MIN, arrivalMs: 20 * MIN, closureMs: 2 * HOUR },
      P3: { dispatchMs: 10 * MIN, arrivalMs: 45 * MIN, closureMs: 8 * HOUR },
      P4: { dispatchMs: 60 * MIN, arrivalMs: null, closureMs: 24 * HOUR },
    });
  });
  it('is valid against its own schema', () => {
    expect(SlaPolicy.parse(DEFAULT_SLA_POLICY)).toEqual(DEFAULT_SLA_POLICY);
  });
});

describe('parseSlaPolicy (BEACON_SLA_POLICY)', () => {
  it('gives the defaults when the variable is unset or blank', () => {
    expect(parseSlaPolicy(undefined)).toEqual(DEFAULT_SLA_POLICY);
    expect(parseSlaPolicy('')).toEqual(DEFAULT_SLA_POLICY);
    expect(parseSlaPolicy('  ')).toEqual(DEFAULT_SLA_POLICY);
    expect(parseSlaPolicy('{}')).toEqual(DEFAULT_SLA_POLICY);
  });

  it('merges a partial override field by field over the defaults', () => {
    const policy = parseSlaPolicy('{"P1":{"arrivalMs":900000},"P4":{"arrivalMs":7200000}}');
    expect(policy.P1).toEqual({ dispatchMs: 1 * MIN, arrivalMs: 15 * MIN, closureMs: 60 * MIN });
    expect(policy.P4).toEqual({ dispatchMs: 60 * MIN, arrivalMs: 2 * HOUR, closureMs: 24 * HOUR });
    expect(policy.P2).toEqual(DEFAULT_SLA_POLICY.P2);
    expect(policy.P3).toEqual(DEFAULT_SLA_POLICY.P3);
  });

  it('lets an override switch an arrival timer off with null', () => {
    expect(parseSlaPolicy('{"P3":{"arrivalMs":null}}').P3.arrivalMs).toBeNull();
  });

  it('does not change the defaults it merges over', () => {
    parseSlaPolicy('{"P1":{"dispatchMs":120000}}');
    expect(DEFAULT_SLA_POLICY.P1.dispatchMs).toBe(1 * MIN);
  });

  it('refuses malformed JSON, naming the variable', () => {
    expect(() => parseSlaPolicy('{P1:')).toThrow(/^BEACON_SLA_POLICY is not valid JSON/);
  });

  it('refuses a value that is not an object of priorities', () => {
    expect(() => parseSlaPolicy('[]')).toThrow(/invalid BEACON_SLA_POLICY/);
    expect(() => parseSlaPolicy('60000')).toThrow(/invalid BEACON_SLA_POLICY/);
  });

  it('refuses unknown priorities and fields, naming them', () => {
    expect(() => parseSlaPolicy('{"P5":{"dispatchMs":1000}}')).toThrow(/P5/);
    expect(() => parseSlaPolicy('{"p1":{"dispatchMs":1000}}')).toThrow(/p1/);
    expect(() => parseSlaPolicy('{"P1":{"dispatch":1000}}')).toThrow(/dispatch/);
  });

  it('refuses durations that are not positive whole milliseconds, naming the field', () => {
    expect(() => parseSlaPolicy('{"P2":{"closureMs":0}}')).toThrow(/P2\.closureMs/);
    expect(() => parseSlaPolicy('{"P2":{"closureMs":-5}}')).toThrow(/P2\.closureMs/);
    expect(() => parseSlaPolicy('{"P2":{"dispatchMs":1.5}}')).toThrow(/P2\.dispatchMs/);
    expect(() => parseSlaPolicy('{"P2":{"dispatchMs":"3 min"}}')).toThrow(/P2\.dispatchMs/);
    expect(() => parseSlaPolicy('{"P1":{"dispatchMs":null}}')).toThrow(/P1\.dispatchMs/);
  });

  it('refuses targets out of order once merged with the defaults', () => {
    // P1 arrival 10 min by default: a dispatch target of 15 min would come after it.
    expect(() => parseSlaPolicy('{"P1":{"dispatchMs":900000}}')).toThrow(/P1: targets must run dispatchMs/);
    expect(() => parseSlaPolicy('{"P4":{"closureMs":60000}}')).toThrow(/P4/);
  });
});

describe('docs/STATISTICS.md', () => {
  it('shows the default targets as they are', () => {
    const doc = readFileSync(new URL('../../../docs/STATISTICS.md', import.meta.url), 'utf8');
    const table = doc.split('<!-- sla:defaults -->')[1]?.split('<!-- /sla:defaults -->')[0] ?? '';
    const rows = table
      .split('\n')
      .filter((line) => /^\|\s*P\d/.test(line))
      .map((line) =>
        line
          .split('|')
          .slice(1, -1)
          .map((cell) => cell.trim()),
      );
    const shown = (ms: number | null) =>
      ms === null ? '—' : ms % HOUR === 0 && ms >= 2 * HOUR ? `${ms / HOUR} h` : `${ms / MIN} min`;
    expect(rows).toEqual(
      PRIORITIES.map((p) => {
        const t = DEFAULT_SLA_POLICY[p];
        return [p, shown(t.dispatchMs), shown(t.arrivalMs), shown(t.closureMs)];
      }),
    );
  });
});
