import { describe, expect, it } from 'vitest';
import type { RuleCondition } from '@beacon/shared';
import {
  allOf,
  anyOf,
  clearingThreshold,
  describeClearing,
  describeCondition,
  evaluateCondition,
  not,
} from './rule-conditions.ts';

const TS = Date.parse('2026-11-25T06:00:00+08:00');

const icing: RuleCondition = {
  all: [
    { metric: 'roadSurfaceTempC', op: 'le', value: 0 },
    { any: [{ metric: 'precipitationMm', op: 'gt', value: 0 }, { surfaceIn: ['wet', 'snow', 'ice'] }] },
  ],
};

describe('three-valued conditions', () => {
  it('follows Kleene logic', () => {
    expect(allOf([true, null])).toBeNull();
    expect(allOf([false, null])).toBe(false);
    expect(allOf([true, true])).toBe(true);
    expect(anyOf([false, null])).toBeNull();
    expect(anyOf([true, null])).toBe(true);
    expect(anyOf([false, false])).toBe(false);
    expect(not(null)).toBeNull();
    expect(not(true)).toBe(false);
  });

  it('is unknown only when the answer depends on a missing field', () => {
    expect(evaluateCondition(icing, { ts: TS })).toBeNull();
    expect(evaluateCondition(icing, { ts: TS, roadSurfaceTempC: 2 })).toBe(false);
    expect(evaluateCondition(icing, { ts: TS, roadSurfaceTempC: -2 })).toBeNull();
    expect(evaluateCondition(icing, { ts: TS, roadSurfaceTempC: -2, roadSurfaceState: 'ice' })).toBe(true);
    expect(evaluateCondition(icing, { ts: TS, roadSurfaceTempC: -2, precipitationMm: 0.2 })).toBe(true);
    expect(
      evaluateCondition(icing, { ts: TS, roadSurfaceTempC: -2, precipitationMm: 0, roadSurfaceState: 'dry' }),
    ).toBe(false);
  });

  it('compares with each direction at the threshold', () => {
    const at = (op: 'lt' | 'le' | 'gt' | 'ge', v: number) =>
      evaluateCondition({ metric: 'windSpeedMs', op, value: 10 }, { ts: TS, windSpeedMs: v });
    expect([at('lt', 10), at('le', 10), at('gt', 10), at('ge', 10)]).toEqual([false, true, false, true]);
  });
});

describe('clear margins', () => {
  it('moves the threshold away from the alert by the larger of the relative and absolute margin', () => {
    const fog = { relative: 0.2, absolute: 50 };
    expect(clearingThreshold('lt', 500, fog)).toBe(600);
    expect(clearingThreshold('lt', 200, fog)).toBe(250);
    expect(clearingThreshold('lt', 50, fog)).toBe(100);
    expect(clearingThreshold('ge', 10.8, { relative: 0, absolute: 1.5 })).toBe(9.3);
    expect(clearingThreshold('ge', 50, { relative: 0.1, absolute: 0 })).toBe(45);
    expect(clearingThreshold('le', 0, { relative: 0.5, absolute: 1 })).toBe(1);
    expect(clearingThreshold('lt', 500, undefined)).toBe(500);
  });

  it('judges whether a condition still holds inside its band', () => {
    const margins = { roadSurfaceTempC: { relative: 0, absolute: 1 } };
    expect(evaluateCondition(icing, { ts: TS, roadSurfaceTempC: 0.9, roadSurfaceState: 'wet' }, margins)).toBe(true);
    expect(evaluateCondition(icing, { ts: TS, roadSurfaceTempC: 1.1, roadSurfaceState: 'wet' }, margins)).toBe(false);
  });

  it('describes raising and clearing', () => {
    const margins = { roadSurfaceTempC: { relative: 0, absolute: 1 } };
    expect(describeCondition(icing)).toBe(
      'roadSurfaceTempC ≤ 0 and (precipitationMm > 0 or roadSurfaceState ∈ {wet, snow, ice})',
    );
    expect(
      describeClearing(
        { metric: 'visibilityM', op: 'lt', value: 500 },
        { visibilityM: { relative: 0.2, absolute: 50 } },
      ),
    ).toBe('visibilityM ≥ 600');
    expect(describeClearing(icing, margins)).toBe(
      'not (roadSurfaceTempC ≤ 1 and (precipitationMm > 0 or roadSurfaceState ∈ {wet, snow, ice}))',
    );
  });
});
