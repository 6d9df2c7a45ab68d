import { describe, expect, it } from 'vitest';
import { manualClock, type StationAlertState, type WeatherObserved } from '@beacon/shared';
import { combineMeasures, controlLevelForExtent, speedFactorForMeasure, stationMeasure } from './control-measure.ts';
import { evaluateStation, type ActiveStage } from './station-state.ts';
import { DEFAULT_WEATHER_RULE_TABLE, hazardRule, stageOf } from './weather-rule-table.ts';

function active(hazard: 'fog' | 'ice' | 'gale' | 'rainstorm', stageId: string): ActiveStage {
  const rule = hazardRule(DEFAULT_WEATHER_RULE_TABLE, hazard)!;
  return { hazard, nameZh: rule.nameZh, nameEn: rule.nameEn, stage: stageOf(rule, stageId)!.stage };
}

describe('combining measures', () => {
  it('is nothing when no hazard is up', () => {
    expect(combineMeasures([])).toBeNull();
  });

  it('takes the lowest limit and the largest gap', () => {
    const combined = combineMeasures([
      active('gale', 'yellow'),
      active('fog', 'orange-100m'),
      active('rainstorm', 'orange'),
    ]);
    expect(combined).toMatchObject({
      level: 'orange',
      speedLimitKmh: 40,
      minGapM: 100,
      leaveAtNextExit: false,
      closeSection: false,
    });
    expect(combined!.sources.map((s) => `${s.hazard}:${s.stage}`)).toEqual([
      'fog:orange-100m',
      'rainstorm:orange',
      'gale:yellow',
    ]);
    expect(combined!.textZh.startsWith('大雾橙色预警：限速40公里/小时')).toBe(true);
    expect(combined!.textEn).toContain('; Gale yellow warning: Limit 80 km/h');
  });

  it('lets closure win and puts the closing hazard first, even below a lower limit', () => {
    const combined = combineMeasures([active('fog', 'red'), active('ice', 'red'), active('gale', 'blue')]);
    expect(combined).toMatchObject({ level: 'red', speedLimitKmh: 20, closeSection: true, leaveAtNextExit: true });
    const closure = combineMeasures([active('rainstorm', 'red'), active('ice', 'red')])!;
    expect(closure).toMatchObject({ speedLimitKmh: 30, minGapM: 50, closeSection: true });
    expect(closure.sources[0]!.hazard).toBe('ice');
  });

  it('keeps an advisory with no limit as no limit', () => {
    expect(combineMeasures([active('fog', 'yellow'), active('gale', 'blue')])).toMatchObject({
      level: 'yellow',
      speedLimitKmh: null,
      minGapM: null,
      closeSection: false,
    });
  });

  it('reads the active stages of a station', () => {
    const clock = manualClock();
    let state: StationAlertState | null = null;
    for (let i = 0; i < 2; i += 1) {
      const reading: WeatherObserved = {
        eventId: `e${i}`,
        ts: clock.now(),
        stationId: 'WS-07',
        visibilityM: 150,
        windSpeedMs: 25,
      };
      state = evaluateStation(state, reading, DEFAULT_WEATHER_RULE_TABLE, clock.now()).state;
      clock.advance(60_000);
    }
    expect(stationMeasure(state!, DEFAULT_WEATHER_RULE_TABLE)).toMatchObject({
      level: 'orange',
      speedLimitKmh: 60,
      minGapM: 100,
      sources: [
        { hazard: 'fog', stage: 'orange' },
        { hazard: 'gale', stage: 'orange' },
      ],
    });
  });
});

describe('control level by the extent of road affected', () => {
  it.each([
    [0, '三级'],
    [9.99, '三级'],
    [10, '二级'],
    [50, '二级'],
    [50.01, '一级'],
    [400, '一级'],
  ])('%d km → %s', (km, level) => {
    expect(controlLevelForExtent(km)).toBe(level);
  });

  it('takes other thresholds and rejects nonsense', () => {
    expect(controlLevelForExtent(20, { secondFromKm: 5, firstAboveKm: 15 })).toBe('一级');
    expect(() => controlLevelForExtent(-1)).toThrow(RangeError);
    expect(() => controlLevelForExtent(Number.NaN)).toThrow(RangeError);
    expect(() => controlLevelForExtent(5, { secondFromKm: 20, firstAboveKm: 10 })).toThrow(RangeError);
  });
});

describe('the speed the dispatch graph uses', () => {
  it('is the free-flow speed without a measure or a limit', () => {
    expect(speedFactorForMeasure(null, 100)).toEqual({ speedKmh: 100, closed: false, travelTimeFactor: 1 });
    expect(speedFactorForMeasure(active('fog', 'yellow').stage.measure, 100)).toEqual({
      speedKmh: 100,
      closed: false,
      travelTimeFactor: 1,
    });
  });

  it('is the limit when it is lower, never higher than free flow', () => {
    expect(speedFactorForMeasure(active('fog', 'orange').stage.measure, 120)).toEqual({
      speedKmh: 60,
      closed: false,
      travelTimeFactor: 2,
    });
    expect(speedFactorForMeasure({ speedLimitKmh: 80, closeSection: false }, 40).speedKmh).toBe(40);
  });

  it('flags a closed section with an infinite travel time, keeping the limit for patrols', () => {
    expect(speedFactorForMeasure(active('ice', 'red').stage.measure, 100)).toEqual({
      speedKmh: 30,
      closed: true,
      travelTimeFactor: Infinity,
    });
  });

  it('rejects a free-flow speed that is not positive', () => {
    expect(() => speedFactorForMeasure(null, 0)).toThrow(RangeError);
    expect(() => speedFactorForMeasure(null, Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});
