import {
  SIGNAL_LEVELS,
  StationAlertState,
  type AlertChange,
  type HazardAlertState,
  type HazardRule,
  type Persistence,
  type PrecipitationInterpretation,
  type RuleStage,
  type StationAlertChange,
  type Streak,
  type WeatherHazard,
  type WeatherObserved,
  type WeatherRuleTable,
} from '@beacon/shared';
import {
  addRainfallSample,
  emptyRainfallWindow,
  rainfallAt,
  rainfallSums,
  type RainfallOptions,
} from './rainfall-window.ts';
import { allOf, anyOf, evaluateCondition, not, type Observation, type Truth } from './rule-conditions.ts';
import { hazardRule, stageOf } from './weather-rule-table.ts';

/**
 * The alert state machine of one hazard at one station, as plain functions over plain JSON data.
 *
 * A hazard's stages are ordered by severity. At each reading, for every stage above the active one Beacon
 * counts the readings in a row at which that stage (or a higher one) held — its *raising* run — and for
 * the active stage and every stage below it the readings in a row at which that stage and every higher one
 * had cleared *with the margin* — its *lowering* run. The stage rises to the highest stage whose raising
 * run meets the table's `raise` persistence; otherwise it falls below every stage whose lowering run meets
 * the (longer) `lower` persistence. A reading that holds inside the margin band breaks a lowering run; one
 * that does not reach the threshold breaks a raising run. So one spike never raises, and readings that
 * alternate around a threshold never move the level either way.
 *
 * A reading missing the fields a stage depends on neither extends nor breaks that stage's runs. Readings
 * at or before the newest applied one (device time) are ignored. Two readings further apart than the
 * rule's `maxGapMs` do not count as consecutive: the run starts again.
 */

/** A hazard with no alert and no runs. */
export function emptyHazardState(hazard: WeatherHazard): HazardAlertState {
  return { hazard, stage: null, level: null, since: null, changedAt: null, lastTs: null, raising: {}, lowering: {} };
}

/** What one reading did to one hazard. */
export interface HazardEvaluation {
  state: HazardAlertState;
  change: AlertChange | null;
}

/** Whether a run is long enough for the given persistence. */
export function meetsPersistence(streak: Streak | undefined, persistence: Persistence): boolean {
  if (!streak) return false;
  const enoughReadings = streak.readings >= persistence.minReadings;
  const enoughTime = streak.lastTs - streak.since >= persistence.minDurationMs;
  return persistence.combine === 'and' ? enoughReadings && enoughTime : enoughReadings || enoughTime;
}

/** Extend a run with a reading at `ts`, or start a new one after a gap. */
function extend(streak: Streak | undefined, ts: number, maxGapMs: number): Streak {
  if (!streak || ts - streak.lastTs > maxGapMs) return { since: ts, lastTs: ts, readings: 1 };
  return { since: streak.since, lastTs: ts, readings: streak.readings + 1 };
}

/** A run after one verdict: true extends it, false ends it, unknown leaves it as it is. */
function nextRun(run: Streak | undefined, verdict: Truth, ts: number, maxGapMs: number): Streak | undefined {
  if (verdict === null) return run;
  return verdict ? extend(run, ts, maxGapMs) : undefined;
}

/**
 * The active stage of a stored state under `rule`. A stage id the table no longer has (the table was
 * replaced) maps to the most severe stage of the same colour, else to the most severe stage below it.
 */
function activeIndex(rule: HazardRule, state: HazardAlertState): number {
  const found = stageOf(rule, state.stage);
  if (found) return found.index;
  if (state.level === null) return -1;
  const rank = SIGNAL_LEVELS.indexOf(state.level);
  for (let i = rule.stages.length - 1; i >= 0; i -= 1) {
    if (SIGNAL_LEVELS.indexOf(rule.stages[i]!.level) <= rank) return i;
  }
  return -1;
}

/**
 * Fold one observation into one hazard's state. `now` (server time) stamps a change; persistence is
 * measured in device time, so a replay gives the same result.
 */
export function evaluate(
  state: HazardAlertState,
  observation: Observation,
  table: WeatherRuleTable,
  now: number,
): HazardEvaluation {
  const rule = hazardRule(table, state.hazard);
  if (!rule) return { state, change: null };
  if (state.lastTs !== null && observation.ts <= state.lastTs) return { state, change: null };

  const { stages, maxGapMs } = rule;
  const active = activeIndex(rule, state);
  const holds = stages.map((stage) => evaluateCondition(stage.when, observation));
  const holdsWithMargin = stages.map((stage) => evaluateCondition(stage.when, observation, rule.clearMargins));

  const raising: Record<string, Streak> = {};
  const lowering: Record<string, Streak> = {};
  stages.forEach((stage, i) => {
    const run =
      i > active
        ? nextRun(state.raising[stage.id], anyOf(holds.slice(i)), observation.ts, maxGapMs)
        : nextRun(state.lowering[stage.id], allOf(holdsWithMargin.slice(i).map(not)), observation.ts, maxGapMs);
    if (run) (i > active ? raising : lowering)[stage.id] = run;
  });

  let next = active;
  for (let i = stages.length - 1; i > active; i -= 1) {
    if (meetsPersistence(raising[stages[i]!.id], rule.raise)) {
      next = i;
      break;
    }
  }
  if (next === active) {
    while (next >= 0 && meetsPersistence(lowering[stages[next]!.id], rule.lower)) next -= 1;
  }

  const to: RuleStage | null = stages[next] ?? null;
  const base = { ...state, lastTs: observation.ts };
  // A stored stage id the table no longer has moves to the stage it maps to, as a change.
  if ((to?.id ?? null) === state.stage) return { state: { ...base, raising, lowering }, change: null };

  const moved: HazardAlertState = {
    ...base,
    stage: to?.id ?? null,
    level: to?.level ?? null,
    since: observation.ts,
    changedAt: now,
    // Raising runs count only above the new stage, lowering runs only at or below it.
    raising: runsOf(raising, stages.slice(next + 1)),
    lowering: runsOf(lowering, stages.slice(0, next + 1)),
  };
  return {
    state: moved,
    change: {
      hazard: state.hazard,
      from: state.level,
      to: to?.level ?? null,
      fromStage: state.stage,
      toStage: to?.id ?? null,
      measure: to?.measure ?? null,
      readingTs: observation.ts,
      at: now,
    },
  };
}

function runsOf(runs: Record<string, Streak>, stages: readonly RuleStage[]): Record<string, Streak> {
  return Object.fromEntries(stages.flatMap((stage) => (runs[stage.id] ? [[stage.id, runs[stage.id]!]] : [])));
}

/** A station before its first reading. */
export function emptyStationState(
  stationId: string,
  table: WeatherRuleTable,
  interpretation: PrecipitationInterpretation = 'increment',
): StationAlertState {
  return {
    stationId,
    tableVersion: table.version,
    lastTs: null,
    hazards: Object.fromEntries(table.hazards.map((rule) => [rule.hazard, emptyHazardState(rule.hazard)])),
    rain: emptyRainfallWindow(interpretation),
  };
}

export interface StationEvaluationOptions {
  /**
   * How the station's `precipitationMm` is read; default: as the stored state says, `increment` for a new
   * station. A different value than the stored one restarts the rainfall window.
   */
  interpretation?: PrecipitationInterpretation;
  rainfall?: Partial<RainfallOptions>;
}

/** What one reading did to a station: its new state and the hazards whose stage moved. */
export interface StationEvaluation {
  state: StationAlertState;
  changes: StationAlertChange[];
}

/** The observation the rules see at a reading: its fields plus the rain attributed to it and the sums. */
export function observationOf(
  reading: WeatherObserved,
  rain: StationAlertState['rain'],
  options: Partial<RainfallOptions> = {},
): Observation {
  const observation: Observation = {
    ts: reading.ts,
    visibilityM: reading.visibilityM,
    roadSurfaceTempC: reading.roadSurfaceTempC,
    airTempC: reading.airTempC,
    windSpeedMs: reading.windSpeedMs,
    roadSurfaceState: reading.roadSurfaceState,
  };
  // Rain is judged only from readings that report it: a station without a rain gauge says nothing.
  if (reading.precipitationMm === undefined) return observation;
  return {
    ...observation,
    precipitationMm: rainfallAt(rain, reading.ts, options),
    ...rainfallSums(rain, reading.ts, options),
  };
}

/**
 * Fold one reading into a station's state: the rainfall window first (a late reading still fills in its
 * rain), then every hazard of the table. A reading at or before the newest applied one changes nothing but
 * the rainfall window.
 */
export function evaluateStation(
  state: StationAlertState | null,
  reading: WeatherObserved,
  table: WeatherRuleTable,
  now: number,
  options: StationEvaluationOptions = {},
): StationEvaluation {
  if (state && state.stationId !== reading.stationId) {
    throw new Error(`reading of station ${reading.stationId} applied to the state of ${state.stationId}`);
  }
  const current = state ?? emptyStationState(reading.stationId, table, options.interpretation);
  // A changed interpretation makes the kept values meaningless: start the window again.
  const kept =
    options.interpretation && options.interpretation !== current.rain.interpretation
      ? emptyRainfallWindow(options.interpretation)
      : current.rain;
  const rain =
    reading.precipitationMm === undefined
      ? kept
      : addRainfallSample(kept, { ts: reading.ts, precipitationMm: reading.precipitationMm }, options.rainfall).window;
  if (current.lastTs !== null && reading.ts <= current.lastTs) {
    return { state: rain === current.rain ? current : { ...current, rain }, changes: [] };
  }

  const observation = observationOf(reading, rain, options.rainfall);
  const hazards: StationAlertState['hazards'] = {};
  const changes: StationAlertChange[] = [];
  for (const rule of table.hazards) {
    const result = evaluate(current.hazards[rule.hazard] ?? emptyHazardState(rule.hazard), observation, table, now);
    hazards[rule.hazard] = result.state;
    if (result.change) changes.push({ stationId: current.stationId, ...result.change });
  }
  return {
    state: { ...current, tableVersion: table.version, lastTs: reading.ts, hazards, rain },
    changes,
  };
}

/**
 * Read a stored station state back (e.g. from Redis): validated with the shared schema; null when it is
 * damaged, so the caller starts the station afresh and logs it.
 */
export function parseStationState(json: unknown): StationAlertState | null {
  const parsed = StationAlertState.safeParse(typeof json === 'string' ? safeJson(json) : json);
  return parsed.success ? parsed.data : null;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A hazard with an alert up, and its active stage. */
export interface ActiveStage {
  hazard: WeatherHazard;
  nameZh: string;
  nameEn: string;
  stage: RuleStage;
}

/** The active stage of every hazard with an alert up at a station, in table order. */
export function activeStages(state: StationAlertState, table: WeatherRuleTable): ActiveStage[] {
  const active: ActiveStage[] = [];
  for (const rule of table.hazards) {
    const hazardState = state.hazards[rule.hazard];
    if (!hazardState || hazardState.stage === null) continue;
    const index = activeIndex(rule, hazardState);
    if (index >= 0)
      active.push({ hazard: rule.hazard, nameZh: rule.nameZh, nameEn: rule.nameEn, stage: rule.stages[index]! });
  }
  return active;
}
