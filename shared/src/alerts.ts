import { z } from 'zod';
import { WeatherObserved } from './ingest.ts';

/**
 * Road-weather alerts: the rule table (data, so a deployment can load its own from JSON), the per-station
 * alert state kept between readings (stored as JSON, validated when read back), and what a change says.
 * The rules themselves are plain functions in `server/src/alerts/`; the numbers and their sources are in
 * `docs/RULES.md`.
 */

/** China's meteorological warning-signal colours, least to most severe (一般, 较重, 严重, 特别严重). */
export const SIGNAL_LEVELS = ['blue', 'yellow', 'orange', 'red'] as const;
export const SignalLevel = z.enum(SIGNAL_LEVELS);
export type SignalLevel = z.output<typeof SignalLevel>;

/** The road-weather hazards Beacon judges from roadside stations. */
export const WEATHER_HAZARDS = ['fog', 'ice', 'gale', 'rainstorm'] as const;
export const WeatherHazard = z.enum(WEATHER_HAZARDS);
export type WeatherHazard = z.output<typeof WeatherHazard>;

/** What a station reports about its road surface (the same enum as `weather:observed`). */
export const RoadSurfaceState = WeatherObserved.shape.roadSurfaceState.unwrap();
export type RoadSurfaceState = z.output<typeof RoadSurfaceState>;

/**
 * The numbers a rule can compare. The reading's own fields, except that `precipitationMm` is the rain
 * attributed to the interval that ends at the reading (see `rainfall-window.ts`), and the rain summed over
 * the 3, 6 and 12 hours that end at the reading.
 */
export const OBSERVED_METRICS = [
  'visibilityM',
  'roadSurfaceTempC',
  'airTempC',
  'windSpeedMs',
  'precipitationMm',
  'rain3hMm',
  'rain6hMm',
  'rain12hMm',
] as const;
export const ObservedMetric = z.enum(OBSERVED_METRICS);
export type ObservedMetric = z.output<typeof ObservedMetric>;

export const Comparison = z.enum(['lt', 'le', 'gt', 'ge']);
export type Comparison = z.output<typeof Comparison>;

/** One metric against a threshold, e.g. `{ metric: 'visibilityM', op: 'lt', value: 500 }`. */
export const ThresholdCondition = z.strictObject({
  metric: ObservedMetric,
  op: Comparison,
  value: z.number().finite(),
});
export type ThresholdCondition = z.output<typeof ThresholdCondition>;

/** The road surface is in one of these states. */
export const SurfaceCondition = z.strictObject({ surfaceIn: z.array(RoadSurfaceState).min(1) });
export type SurfaceCondition = z.output<typeof SurfaceCondition>;

/** A rule's condition: a threshold, a surface state, or all / any of other conditions. */
export type RuleCondition = ThresholdCondition | SurfaceCondition | { all: RuleCondition[] } | { any: RuleCondition[] };

export const RuleCondition: z.ZodType<RuleCondition> = z.lazy(() =>
  z.union([
    ThresholdCondition,
    SurfaceCondition,
    z.strictObject({ all: z.array(RuleCondition).min(1) }),
    z.strictObject({ any: z.array(RuleCondition).min(1) }),
  ]),
);

/**
 * How far past a threshold a value must go before a level can clear: the larger of `relative` × |threshold|
 * and `absolute` (in the metric's unit). Fog at 500 m with `{ relative: 0.2, absolute: 50 }` clears at 600 m.
 */
export const ClearMargin = z.strictObject({
  relative: z.number().min(0).max(10).default(0),
  absolute: z.number().min(0).default(0),
});
export type ClearMargin = z.output<typeof ClearMargin>;

/**
 * How long a condition must hold before the level moves: `minReadings` consecutive readings and/or
 * `minDurationMs` of device time from the first to the newest of them (`combine`).
 */
export const Persistence = z.strictObject({
  minReadings: z.number().int().min(1).max(1000),
  minDurationMs: z
    .number()
    .int()
    .min(0)
    .max(24 * 3_600_000),
  combine: z.enum(['and', 'or']),
});
export type Persistence = z.output<typeof Persistence>;

/** The expressway traffic-control measure a stage suggests. */
export const TrafficControlMeasure = z.strictObject({
  /** Highest speed allowed on the section, km/h; null: no limit beyond the posted one. */
  speedLimitKmh: z.number().positive().max(200).nullable(),
  /** Smallest gap to the vehicle ahead in the same lane, metres; null: no requirement. */
  minGapM: z.number().positive().max(1000).nullable(),
  /** Vehicles on the section leave at the nearest exit. */
  leaveAtNextExit: z.boolean(),
  /** The section is closed to traffic (entrances shut). */
  closeSection: z.boolean(),
  textZh: z.string().min(1),
  textEn: z.string().min(1),
});
export type TrafficControlMeasure = z.output<typeof TrafficControlMeasure>;

/**
 * One step of a hazard, ordered by severity within the hazard. Usually one stage per signal colour; a
 * colour may have more than one stage when the measure changes inside it (fog: orange covers 50–200 m, but
 * the speed rule changes at 100 m).
 */
export const RuleStage = z.strictObject({
  id: z.string().trim().min(1).max(32),
  level: SignalLevel,
  when: RuleCondition,
  measure: TrafficControlMeasure,
  /** Where the threshold and the measure come from (shown in docs/RULES.md). */
  thresholdSource: z.string().min(1),
  measureSource: z.string().min(1),
});
export type RuleStage = z.output<typeof RuleStage>;

/** Everything Beacon needs to judge one hazard. */
export const HazardRule = z
  .strictObject({
    hazard: WeatherHazard,
    nameZh: z.string().min(1),
    nameEn: z.string().min(1),
    /** Least to most severe. */
    stages: z.array(RuleStage).min(1),
    /** Margin per metric when clearing; a metric without one clears at its threshold. */
    clearMargins: z.partialRecord(ObservedMetric, ClearMargin).default({}),
    raise: Persistence,
    lower: Persistence,
    /** Two readings further apart than this (device time) do not count as consecutive. */
    maxGapMs: z.number().int().positive(),
  })
  .superRefine((rule, ctx) => {
    const ids = new Set<string>();
    rule.stages.forEach((stage, i) => {
      if (ids.has(stage.id)) ctx.addIssue({ code: 'custom', path: ['stages', i, 'id'], message: 'duplicate stage id' });
      ids.add(stage.id);
      const previous = rule.stages[i - 1];
      if (previous && SIGNAL_LEVELS.indexOf(stage.level) < SIGNAL_LEVELS.indexOf(previous.level)) {
        ctx.addIssue({ code: 'custom', path: ['stages', i, 'level'], message: 'stages must be ordered by level' });
      }
    });
    if (rule.lower.minReadings < rule.raise.minReadings || rule.lower.minDurationMs < rule.raise.minDurationMs) {
      ctx.addIssue({ code: 'custom', path: ['lower'], message: 'lowering must take at least as long as raising' });
    }
  });
export type HazardRule = z.output<typeof HazardRule>;
export type HazardRuleInput = z.input<typeof HazardRule>;

/** The whole rule table: one rule per hazard. */
export const WeatherRuleTable = z
  .strictObject({
    version: z.string().min(1).max(64),
    hazards: z.array(HazardRule).min(1),
  })
  .superRefine((table, ctx) => {
    const seen = new Set<WeatherHazard>();
    table.hazards.forEach((rule, i) => {
      if (seen.has(rule.hazard)) ctx.addIssue({ code: 'custom', path: ['hazards', i], message: 'duplicate hazard' });
      seen.add(rule.hazard);
    });
  });
export type WeatherRuleTable = z.output<typeof WeatherRuleTable>;
export type WeatherRuleTableInput = z.input<typeof WeatherRuleTable>;

/** A run of consecutive readings that agree, in device time. */
export const Streak = z.strictObject({
  since: z.number().int(),
  lastTs: z.number().int(),
  readings: z.number().int().min(1),
});
export type Streak = z.output<typeof Streak>;

/** One hazard at one station: the active stage and the runs that may move it. */
export const HazardAlertState = z.strictObject({
  hazard: WeatherHazard,
  /** Active stage id, null when no alert is up. */
  stage: z.string().nullable(),
  level: SignalLevel.nullable(),
  /** Device time of the reading that moved the stage last; null before the first move. */
  since: z.number().int().nullable(),
  /** Server time of that move. */
  changedAt: z.number().int().nullable(),
  /** Device time of the newest reading applied; readings at or before it are ignored. */
  lastTs: z.number().int().nullable(),
  /** Per stage above the active one: readings in a row at which that stage or a higher one held. */
  raising: z.record(z.string(), Streak),
  /** Per stage at or below the active one: readings in a row at which it and every higher stage had cleared. */
  lowering: z.record(z.string(), Streak),
});
export type HazardAlertState = z.output<typeof HazardAlertState>;

/**
 * How a station's `precipitationMm` is read: the amount since the station's previous reading
 * (`increment`), the total since local midnight (`cumulativeSinceMidnight`), or the current rate in mm/h
 * (`ratePerHour`).
 */
export const PrecipitationInterpretation = z.enum(['increment', 'cumulativeSinceMidnight', 'ratePerHour']);
export type PrecipitationInterpretation = z.output<typeof PrecipitationInterpretation>;

/** A station's precipitation values as reported, `[ts, precipitationMm]`, oldest first, one per timestamp. */
export const RainfallWindowState = z.strictObject({
  interpretation: PrecipitationInterpretation,
  samples: z.array(z.tuple([z.number().int(), z.number().min(0)])),
});
export type RainfallWindowState = z.output<typeof RainfallWindowState>;

/** Everything the alert rules keep about one station between readings (stored as JSON). */
export const StationAlertState = z.strictObject({
  stationId: z.string().min(1),
  /** Version of the rule table the state was built with. */
  tableVersion: z.string(),
  lastTs: z.number().int().nullable(),
  hazards: z.partialRecord(WeatherHazard, HazardAlertState),
  rain: RainfallWindowState,
});
export type StationAlertState = z.output<typeof StationAlertState>;

/** A hazard's stage moved at a station: raised, lowered, or cleared (`to` null). */
export interface AlertChange {
  hazard: WeatherHazard;
  from: SignalLevel | null;
  to: SignalLevel | null;
  fromStage: string | null;
  toStage: string | null;
  /** The measure of the new stage; null when the hazard cleared. */
  measure: TrafficControlMeasure | null;
  /** Device time of the reading that moved it. */
  readingTs: number;
  /** Server time of the move. */
  at: number;
}

/** An alert change at one station, as the pipeline publishes it. */
export interface StationAlertChange extends AlertChange {
  stationId: string;
}

/** Expressway traffic-control grade, by the extent of the section affected: 一级 is the widest. */
export const CONTROL_LEVELS = ['三级', '二级', '一级'] as const;
export const ControlLevel = z.enum(CONTROL_LEVELS);
export type ControlLevel = z.output<typeof ControlLevel>;
