import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { WEATHER_HAZARDS, type WeatherRuleTableInput } from '@beacon/shared';
import { DEFAULT_WEATHER_RULE_TABLE, hazardRule, loadWeatherRuleTable, stageOf } from './weather-rule-table.ts';

/** A deep copy of the default table as plain JSON, as a deployment would write it. */
const asJson = (): WeatherRuleTableInput =>
  JSON.parse(JSON.stringify(DEFAULT_WEATHER_RULE_TABLE)) as WeatherRuleTableInput;

describe('the default rule table', () => {
  it('judges every hazard, with the signal colours of China’s warning signals', () => {
    expect(DEFAULT_WEATHER_RULE_TABLE.hazards.map((r) => r.hazard)).toEqual([...WEATHER_HAZARDS]);
    const levels = (hazard: (typeof WEATHER_HAZARDS)[number]) =>
      hazardRule(DEFAULT_WEATHER_RULE_TABLE, hazard)!.stages.map((s) => s.level);
    expect(levels('fog')).toEqual(['yellow', 'orange', 'orange', 'red']);
    expect(levels('gale')).toEqual(['blue', 'yellow', 'orange', 'red']);
    expect(levels('rainstorm')).toEqual(['blue', 'yellow', 'orange', 'red']);
    expect(levels('ice')).toEqual(['red']);
  });

  it('follows the issue’s fog measures: 60/100 below 200 m, 40/50 below 100 m, 20 and leave below 50 m', () => {
    const fog = hazardRule(DEFAULT_WEATHER_RULE_TABLE, 'fog')!;
    const measure = (id: string) => stageOf(fog, id)!.stage.measure;
    expect(measure('orange')).toMatchObject({ speedLimitKmh: 60, minGapM: 100, closeSection: false });
    expect(measure('orange-100m')).toMatchObject({ speedLimitKmh: 40, minGapM: 50, closeSection: false });
    expect(measure('red')).toMatchObject({ speedLimitKmh: 20, leaveAtNextExit: true, closeSection: true });
    expect(hazardRule(DEFAULT_WEATHER_RULE_TABLE, 'ice')!.stages[0]!.measure.closeSection).toBe(true);
  });

  it('lowers more slowly than it raises', () => {
    for (const rule of DEFAULT_WEATHER_RULE_TABLE.hazards) {
      expect(rule.lower.minReadings).toBeGreaterThan(rule.raise.minReadings);
      expect(rule.lower.minDurationMs).toBeGreaterThan(rule.raise.minDurationMs);
    }
  });

  it('loads back from JSON unchanged', () => {
    expect(loadWeatherRuleTable(asJson())).toEqual(DEFAULT_WEATHER_RULE_TABLE);
  });
});

describe('loading a deployment’s table', () => {
  const invalid = (edit: (t: WeatherRuleTableInput) => void) => {
    const table = asJson();
    edit(table);
    return () => loadWeatherRuleTable(table);
  };

  it('accepts a table with fewer hazards and margins filled in by default', () => {
    const table = asJson();
    table.hazards = table.hazards.filter((r) => r.hazard === 'gale');
    table.hazards[0]!.clearMargins = { windSpeedMs: { absolute: 2 } };
    const loaded = loadWeatherRuleTable(table);
    expect(loaded.hazards[0]!.clearMargins).toEqual({ windSpeedMs: { relative: 0, absolute: 2 } });
    expect(hazardRule(loaded, 'fog')).toBeUndefined();
  });

  it.each<[string, (t: WeatherRuleTableInput) => void]>([
    ['a hazard twice', (t) => t.hazards.push(t.hazards[0]!)],
    ['stages out of order', (t) => t.hazards[2]!.stages.reverse()],
    ['a duplicate stage id', (t) => (t.hazards[2]!.stages[1]!.id = 'blue')],
    [
      'lowering faster than raising',
      (t) => (t.hazards[0]!.lower = { minReadings: 1, minDurationMs: 0, combine: 'and' }),
    ],
    ['a negative margin', (t) => (t.hazards[2]!.clearMargins = { windSpeedMs: { absolute: -1 } })],
    [
      'an unknown metric',
      (t) => (t.hazards[0]!.stages[0]!.when = { metric: 'humidity', op: 'gt', value: 90 } as never),
    ],
    [
      'an unknown comparison',
      (t) => (t.hazards[0]!.stages[0]!.when = { metric: 'visibilityM', op: 'eq', value: 1 } as never),
    ],
    ['an empty any', (t) => (t.hazards[1]!.stages[0]!.when = { any: [] })],
    ['an unknown field', (t) => Object.assign(t.hazards[0]!, { colour: 'grey' })],
    ['a zero speed limit', (t) => (t.hazards[0]!.stages[1]!.measure.speedLimitKmh = 0)],
  ])('rejects %s', (_label, edit) => {
    expect(invalid(edit)).toThrow(ZodError);
  });
});
