import { describe, expect, it } from 'vitest';
import { manualClock, type WeatherObserved } from '@beacon/shared';
import type { AlertChange, HazardRuleInput, StationAlertState, WeatherHazard, WeatherRuleTable } from '@beacon/shared';
import type { Observation } from './rule-conditions.ts';
import {
  emptyHazardState,
  emptyStationState,
  evaluate,
  evaluateStation,
  meetsPersistence,
  parseStationState,
} from './station-state.ts';
import { DEFAULT_WEATHER_RULE_TABLE, loadWeatherRuleTable } from './weather-rule-table.ts';

const T0 = Date.parse('2026-11-25T05:00:00+08:00');
const MIN = 60_000;

type Fields = Omit<Partial<WeatherObserved>, 'eventId' | 'ts' | 'stationId'>;

/**
 * One weather station on its own manual clock: each `read` moves the clock (one minute by default) and
 * folds a reading taken at that moment into the station's state.
 */
function station(table: WeatherRuleTable = DEFAULT_WEATHER_RULE_TABLE, stationId = 'WS-01') {
  const clock = manualClock(T0);
  let state: StationAlertState | null = null;
  let seq = 0;
  const all: AlertChange[] = [];
  return {
    clock,
    /** Read at the clock's time after advancing it by `stepMs`; returns this reading's changes. */
    read(fields: Fields, stepMs = MIN): AlertChange[] {
      if (seq > 0) clock.advance(stepMs);
      return this.readAt(clock.now(), fields);
    },
    /** Read with an explicit device timestamp (the clock does not move). */
    readAt(ts: number, fields: Fields): AlertChange[] {
      seq += 1;
      const reading: WeatherObserved = { eventId: `e-${seq}`, ts, stationId, ...fields };
      const result = evaluateStation(state, reading, table, clock.now());
      state = result.state;
      all.push(...result.changes);
      return result.changes;
    },
    /** Read `count` identical readings one step apart. */
    repeat(count: number, fields: Fields, stepMs = MIN): AlertChange[] {
      const changes: AlertChange[] = [];
      for (let i = 0; i < count; i += 1) changes.push(...this.read(fields, stepMs));
      return changes;
    },
    stage(hazard: WeatherHazard): string | null {
      return state?.hazards[hazard]?.stage ?? null;
    },
    get state(): StationAlertState {
      if (!state) throw new Error('no reading yet');
      return state;
    },
    changes: all,
  };
}

/** The stage a hazard settles on after two identical readings at a fresh station. */
function settle(fields: Fields, hazard: WeatherHazard): string | null {
  const s = station();
  s.repeat(2, fields);
  return s.stage(hazard);
}

/** A table whose rule for `hazard` is changed by `patch`. */
function tableWith(hazard: WeatherHazard, patch: Partial<HazardRuleInput>): WeatherRuleTable {
  return loadWeatherRuleTable({
    ...DEFAULT_WEATHER_RULE_TABLE,
    hazards: DEFAULT_WEATHER_RULE_TABLE.hazards.map((rule) => (rule.hazard === hazard ? { ...rule, ...patch } : rule)),
  });
}

describe('level boundaries', () => {
  it.each([
    [600, null],
    [500, null],
    [499.9, 'yellow'],
    [200, 'yellow'],
    [199.9, 'orange'],
    [100, 'orange'],
    [99.9, 'orange-100m'],
    [50, 'orange-100m'],
    [49.9, 'red'],
    [0, 'red'],
  ])('fog at visibility %d m → %s', (visibilityM, stage) => {
    expect(settle({ visibilityM }, 'fog')).toBe(stage);
  });

  it.each([
    [10.7, null],
    [10.8, 'blue'],
    [17.1, 'blue'],
    [17.2, 'yellow'],
    [24.4, 'yellow'],
    [24.5, 'orange'],
    [32.6, 'orange'],
    [32.7, 'red'],
  ])('gale at mean wind %d m/s → %s', (windSpeedMs, stage) => {
    expect(settle({ windSpeedMs }, 'gale')).toBe(stage);
  });

  it.each<[string, Fields, string | null]>([
    ['0 °C with rain', { roadSurfaceTempC: 0, precipitationMm: 0.1 }, 'red'],
    ['0.1 °C with rain', { roadSurfaceTempC: 0.1, precipitationMm: 2 }, null],
    ['−1 °C, dry and no rain', { roadSurfaceTempC: -1, precipitationMm: 0, roadSurfaceState: 'dry' }, null],
    ['−1 °C on a wet surface', { roadSurfaceTempC: -1, roadSurfaceState: 'wet' }, 'red'],
    ['−1 °C on snow', { roadSurfaceTempC: -1, roadSurfaceState: 'snow' }, 'red'],
    ['−1 °C on ice', { roadSurfaceTempC: -1, roadSurfaceState: 'ice' }, 'red'],
    ['an icy surface at +3 °C', { roadSurfaceTempC: 3, roadSurfaceState: 'ice' }, null],
    ['−5 °C and nothing else known', { roadSurfaceTempC: -5 }, null],
    ['a wet surface, temperature unknown', { roadSurfaceState: 'wet', precipitationMm: 1 }, null],
  ])('road icing: %s', (_label, fields, stage) => {
    expect(settle(fields, 'ice')).toBe(stage);
  });

  /** Two observations of the rain sums, one minute apart, straight into the hazard's state machine. */
  function rainstormStage(sums: { rain3hMm: number; rain6hMm: number; rain12hMm: number }): string | null {
    let state = emptyHazardState('rainstorm');
    for (const ts of [T0, T0 + MIN]) {
      state = evaluate(state, { ts, precipitationMm: 0, ...sums }, DEFAULT_WEATHER_RULE_TABLE, ts).state;
    }
    return state.stage;
  }

  it.each([
    [0, 0, 49.9, null],
    [0, 0, 50, 'blue'],
    [0, 49.9, 60, 'blue'],
    [0, 50, 60, 'yellow'],
    [49.9, 60, 60, 'yellow'],
    [50, 60, 60, 'orange'],
    [99.9, 99.9, 99.9, 'orange'],
    [100, 100, 100, 'red'],
  ])('rainstorm with 3 h %d mm, 6 h %d mm, 12 h %d mm → %s', (rain3hMm, rain6hMm, rain12hMm, stage) => {
    expect(rainstormStage({ rain3hMm, rain6hMm, rain12hMm })).toBe(stage);
  });
});

describe('raising needs the condition to persist', () => {
  it('does not raise on one reading, raises on the second in a row (default table)', () => {
    const s = station();
    expect(s.read({ visibilityM: 150 })).toEqual([]);
    expect(s.stage('fog')).toBeNull();
    const [change] = s.read({ visibilityM: 150 });
    expect(change).toEqual({
      stationId: 'WS-01',
      hazard: 'fog',
      from: null,
      to: 'orange',
      fromStage: null,
      toStage: 'orange',
      measure: expect.objectContaining({ speedLimitKmh: 60, minGapM: 100, closeSection: false }),
      readingTs: T0 + MIN,
      at: T0 + MIN,
    });
  });

  it('with "2 readings and 5 min", two readings a minute apart are not enough but five minutes are', () => {
    const s = station(tableWith('fog', { raise: { minReadings: 2, minDurationMs: 5 * MIN, combine: 'and' } }));
    s.repeat(5, { visibilityM: 300 });
    expect(s.stage('fog')).toBeNull();
    expect(s.read({ visibilityM: 300 })).toMatchObject([{ to: 'yellow', readingTs: T0 + 5 * MIN }]);
  });

  it('with "3 readings or 5 min", a fast station needs three readings and a slow one two', () => {
    const table = tableWith('fog', { raise: { minReadings: 3, minDurationMs: 5 * MIN, combine: 'or' } });
    const fast = station(table);
    fast.repeat(2, { visibilityM: 300 });
    expect(fast.stage('fog')).toBeNull();
    fast.read({ visibilityM: 300 });
    expect(fast.stage('fog')).toBe('yellow');

    const slow = station(table);
    slow.read({ visibilityM: 300 });
    expect(slow.stage('fog')).toBeNull();
    slow.read({ visibilityM: 300 }, 10 * MIN);
    expect(slow.stage('fog')).toBe('yellow');
  });

  it('rises to the highest stage that persisted, one stage at a time as each persists', () => {
    const s = station();
    s.read({ visibilityM: 450 });
    s.read({ visibilityM: 40 });
    // Both readings were below 500, only one below 50.
    expect(s.stage('fog')).toBe('yellow');
    expect(s.read({ visibilityM: 40 })).toMatchObject([{ from: 'yellow', to: 'red', toStage: 'red' }]);
    expect(s.state.hazards.fog?.raising).toEqual({});
  });

  it('does not count two readings further apart than maxGapMs as consecutive', () => {
    const s = station();
    s.read({ visibilityM: 300 });
    s.read({ visibilityM: 300 }, 25 * MIN);
    expect(s.stage('fog')).toBeNull();
    s.read({ visibilityM: 300 }, 5 * MIN);
    expect(s.stage('fog')).toBe('yellow');
  });
});

describe('lowering needs the margin and longer persistence', () => {
  function foggedIn(visibilityM: number) {
    const s = station();
    s.repeat(2, { visibilityM });
    return s;
  }

  it('holds yellow for as long as visibility stays inside the margin band (500–600 m)', () => {
    const s = foggedIn(400);
    expect(s.repeat(120, { visibilityM: 590 })).toEqual([]);
    expect(s.stage('fog')).toBe('yellow');
  });

  it('clears after five readings over ten minutes beyond the margin, not before', () => {
    const s = foggedIn(400);
    // Ten minutes of clear readings: the first at +1 min, the eleventh at +11 min.
    expect(s.repeat(10, { visibilityM: 600 })).toEqual([]);
    expect(s.stage('fog')).toBe('yellow');
    expect(s.read({ visibilityM: 600 })).toEqual([
      expect.objectContaining({ from: 'yellow', to: null, fromStage: 'yellow', toStage: null, measure: null }),
    ]);
  });

  it('with readings every 5 minutes, still needs five of them', () => {
    const s = foggedIn(400);
    expect(s.repeat(4, { visibilityM: 2000 }, 5 * MIN)).toEqual([]);
    expect(s.read({ visibilityM: 2000 }, 5 * MIN)).toMatchObject([{ to: null }]);
  });

  it('lowers red to the stage that still holds, and from red straight to nothing when all clear', () => {
    const partly = foggedIn(30);
    partly.repeat(10, { visibilityM: 180 });
    expect(partly.stage('fog')).toBe('red');
    expect(partly.read({ visibilityM: 180 })).toMatchObject([
      { from: 'red', to: 'orange', toStage: 'orange', measure: { speedLimitKmh: 60 } },
    ]);

    const fully = foggedIn(30);
    const changes = fully.repeat(11, { visibilityM: 5000 });
    expect(changes).toMatchObject([{ from: 'red', to: null }]);
    expect(fully.state.hazards.fog).toMatchObject({ stage: null, level: null, raising: {}, lowering: {} });
  });

  it('applies the wind margin: gale yellow clears below 15.7 m/s, not at 16', () => {
    const s = station();
    s.repeat(2, { windSpeedMs: 18 });
    s.repeat(30, { windSpeedMs: 16 });
    expect(s.stage('gale')).toBe('yellow');
    s.repeat(11, { windSpeedMs: 15.6 });
    expect(s.stage('gale')).toBe('blue');
  });

  it('keeps a road closed for icing until the surface has been above +1 °C for 30 minutes', () => {
    const s = station();
    s.repeat(2, { roadSurfaceTempC: -2, roadSurfaceState: 'ice' });
    expect(s.stage('ice')).toBe('red');
    s.repeat(60, { roadSurfaceTempC: 0.8, roadSurfaceState: 'wet' });
    expect(s.stage('ice')).toBe('red');
    s.repeat(30, { roadSurfaceTempC: 1.2, roadSurfaceState: 'wet' });
    expect(s.stage('ice')).toBe('red');
    expect(s.read({ roadSurfaceTempC: 1.2, roadSurfaceState: 'wet' })).toMatchObject([{ hazard: 'ice', to: null }]);
  });
});

describe('a noisy sensor', () => {
  it('never raises on a single spike', () => {
    const s = station();
    for (let i = 0; i < 60; i += 1)
      s.read({ visibilityM: i % 10 === 5 ? 20 : 8000, windSpeedMs: i % 7 === 3 ? 40 : 3 });
    expect(s.changes).toEqual([]);
  });

  it('never moves the level when readings alternate around a threshold', () => {
    const s = station();
    s.repeat(2, { visibilityM: 5000 });
    for (let i = 0; i < 240; i += 1) s.read({ visibilityM: i % 2 === 0 ? 480 : 520 });
    expect(s.changes).toEqual([]);

    s.repeat(2, { visibilityM: 450 });
    expect(s.stage('fog')).toBe('yellow');
    // Now alternating around the clearing threshold, far beyond the lowering time.
    for (let i = 0; i < 240; i += 1) s.read({ visibilityM: i % 2 === 0 ? 450 : 650 });
    expect(s.changes).toHaveLength(1);
  });

  it('restarts the lowering run after a single bad reading', () => {
    const s = station();
    s.repeat(2, { visibilityM: 30 });
    s.repeat(9, { visibilityM: 5000 });
    s.read({ visibilityM: 40 });
    s.repeat(10, { visibilityM: 5000 });
    expect(s.stage('fog')).toBe('red');
    expect(s.read({ visibilityM: 5000 })).toMatchObject([{ from: 'red', to: null }]);
  });

  it('never oscillates the wind level on gusty readings across 17.2 m/s', () => {
    const s = station();
    s.repeat(2, { windSpeedMs: 18 });
    for (let i = 0; i < 120; i += 1) s.read({ windSpeedMs: i % 2 === 0 ? 15 : 18 });
    expect(s.changes).toMatchObject([{ hazard: 'gale', to: 'yellow' }]);
  });
});

describe('missing fields', () => {
  it('does not clear fog on readings without visibility', () => {
    const s = station();
    s.repeat(2, { visibilityM: 80 });
    s.repeat(120, { windSpeedMs: 3, roadSurfaceTempC: 8 });
    expect(s.stage('fog')).toBe('orange-100m');
  });

  it('neither extends nor breaks a run on a reading without the field', () => {
    const s = station();
    s.read({ visibilityM: 400 });
    s.read({ windSpeedMs: 3 });
    expect(s.stage('fog')).toBeNull();
    s.read({ visibilityM: 400 });
    expect(s.stage('fog')).toBe('yellow');
  });

  it('does not clear icing when only the temperature is known and still freezing, but does once it thaws', () => {
    const s = station();
    s.repeat(2, { roadSurfaceTempC: -2, roadSurfaceState: 'snow' });
    s.repeat(60, { roadSurfaceTempC: -2 });
    expect(s.stage('ice')).toBe('red');
    s.repeat(30, { roadSurfaceTempC: 4 });
    expect(s.stage('ice')).toBe('red');
    s.read({ roadSurfaceTempC: 4 });
    expect(s.stage('ice')).toBeNull();
  });

  it('does not judge rainstorms from a station without a rain gauge', () => {
    const s = station();
    s.repeat(20, { visibilityM: 8000 });
    expect(s.state.hazards.rainstorm).toMatchObject({ stage: null, raising: {}, lowering: {} });
    expect(s.state.rain.samples).toEqual([]);
  });
});

describe('out-of-order and repeated readings', () => {
  it('ignores a reading at or before the newest applied one', () => {
    const s = station();
    s.repeat(3, { visibilityM: 5000 });
    const before = s.state;
    expect(s.readAt(T0 + MIN, { visibilityM: 20 })).toEqual([]);
    expect(s.readAt(T0 + 2 * MIN, { visibilityM: 20 })).toEqual([]);
    expect(s.state).toBe(before);
    s.read({ visibilityM: 20 });
    expect(s.stage('fog')).toBeNull();
  });

  it('still fills a late reading into the rain windows, without judging it', () => {
    const withLate = station();
    const without = station();
    for (const s of [withLate, without]) {
      s.read({ precipitationMm: 10 });
      s.read({ precipitationMm: 10 }, 20 * MIN);
    }
    withLate.readAt(T0 + 10 * MIN, { precipitationMm: 10 });
    expect(withLate.state.lastTs).toBe(T0 + 20 * MIN);
    expect(withLate.state.rain.samples).toHaveLength(3);
    // 10 mm every 10 minutes: with the late reading the 3 h sum reaches 50 mm at +40 and 60 mm at +50 min.
    for (const s of [withLate, without]) s.repeat(3, { precipitationMm: 10 }, 10 * MIN);
    expect(withLate.stage('rainstorm')).toBe('orange');
    expect(without.stage('rainstorm')).toBeNull();
  });

  it('refuses to apply a reading to another station’s state', () => {
    const s = station();
    s.read({ visibilityM: 300 });
    const other: WeatherObserved = { eventId: 'x', ts: T0 + MIN, stationId: 'WS-02', visibilityM: 300 };
    expect(() => evaluateStation(s.state, other, DEFAULT_WEATHER_RULE_TABLE, T0 + MIN)).toThrow(/WS-02/);
  });

  it('judges a state machine alone the same way: a stale observation changes nothing', () => {
    const table = DEFAULT_WEATHER_RULE_TABLE;
    const first = evaluate(emptyHazardState('fog'), { ts: T0, visibilityM: 100 }, table, T0).state;
    const stale: Observation = { ts: T0 - 1, visibilityM: 10 };
    expect(evaluate(first, stale, table, T0 + 1)).toEqual({ state: first, change: null });
  });
});

describe('a rainstorm from increments', () => {
  it('rises with the 3 h sum and falls stage by stage as the rain leaves the 3, 6 and 12 h windows', () => {
    const s = station();
    const timeline: [number, string | null, string | null][] = [];
    // 25 mm every 10 minutes for 40 minutes, then dry readings every 10 minutes for 14 hours.
    for (let k = 0; k < 90; k += 1) {
      const changes = s.read({ precipitationMm: k < 5 ? 25 : 0 }, 10 * MIN);
      for (const c of changes) timeline.push([k * 10, c.fromStage, c.toStage]);
    }
    expect(timeline).toEqual([
      [20, null, 'orange'],
      [40, 'orange', 'red'],
      // 3 h sum 75 mm at 190 (red cleared below 90), lowering needs 40 min at this rate.
      [230, 'red', 'orange'],
      // 3 h sum 25 mm at 210 (orange cleared below 45); the 6 h sum still holds yellow.
      [250, 'orange', 'yellow'],
      [430, 'yellow', 'blue'],
      [790, 'blue', null],
    ]);
  });
});

describe('state as JSON', () => {
  it('round-trips through JSON and the shared schema, and carries on the same from the copy', () => {
    const s = station();
    s.repeat(2, { visibilityM: 150, windSpeedMs: 19, precipitationMm: 4, roadSurfaceTempC: 2 });
    s.repeat(3, { visibilityM: 700, windSpeedMs: 11, precipitationMm: 0, roadSurfaceTempC: 2 });
    const stored = JSON.stringify(s.state);
    const copy = parseStationState(stored);
    expect(copy).toEqual(s.state);

    const next: WeatherObserved = { eventId: 'n', ts: T0 + 30 * MIN, stationId: 'WS-01', visibilityM: 700 };
    expect(evaluateStation(copy, next, DEFAULT_WEATHER_RULE_TABLE, T0 + 30 * MIN)).toEqual(
      evaluateStation(s.state, next, DEFAULT_WEATHER_RULE_TABLE, T0 + 30 * MIN),
    );
  });

  it('rejects a damaged state so the caller can start the station afresh', () => {
    const state = emptyStationState('WS-01', DEFAULT_WEATHER_RULE_TABLE);
    expect(parseStationState(state)).toEqual(state);
    expect(parseStationState('{not json')).toBeNull();
    expect(parseStationState({ ...state, lastTs: 'yesterday' })).toBeNull();
    expect(parseStationState({ ...state, hazards: { fog: { ...state.hazards.fog, level: 'purple' } } })).toBeNull();
    expect(parseStationState({ ...state, extra: true })).toBeNull();
  });

  it('moves a stage the table no longer has to the most severe stage of the same colour, as a change', () => {
    const s = station();
    s.repeat(2, { visibilityM: 80 });
    const renamed = JSON.parse(JSON.stringify(s.state).replaceAll('orange-100m', 'orange-dense')) as unknown;
    const state = parseStationState(renamed)!;
    expect(state.hazards.fog).toMatchObject({ stage: 'orange-dense', level: 'orange' });
    const next: WeatherObserved = { eventId: 'n', ts: T0 + 2 * MIN, stationId: 'WS-01', visibilityM: 80 };
    const result = evaluateStation(state, next, DEFAULT_WEATHER_RULE_TABLE, T0 + 2 * MIN);
    expect(result.changes).toMatchObject([
      {
        from: 'orange',
        to: 'orange',
        fromStage: 'orange-dense',
        toStage: 'orange-100m',
        measure: { speedLimitKmh: 40 },
      },
    ]);
    expect(result.state.hazards.fog).toMatchObject({ stage: 'orange-100m', level: 'orange' });
  });
});

describe('persistence', () => {
  it('combines readings and duration with and/or', () => {
    const run = { since: 0, lastTs: 4 * MIN, readings: 2 };
    expect(meetsPersistence(run, { minReadings: 2, minDurationMs: 5 * MIN, combine: 'and' })).toBe(false);
    expect(meetsPersistence(run, { minReadings: 2, minDurationMs: 5 * MIN, combine: 'or' })).toBe(true);
    expect(meetsPersistence(run, { minReadings: 3, minDurationMs: 4 * MIN, combine: 'or' })).toBe(true);
    expect(meetsPersistence(undefined, { minReadings: 1, minDurationMs: 0, combine: 'or' })).toBe(false);
  });
});
