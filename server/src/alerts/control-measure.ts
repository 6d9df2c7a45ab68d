import type {
  ControlLevel,
  SignalLevel,
  StationAlertState,
  TrafficControlMeasure,
  WeatherHazard,
  WeatherRuleTable,
} from '@beacon/shared';
import { activeStages, type ActiveStage } from './station-state.ts';

/**
 * Traffic control from the alerts: the one measure a station's section gets when several hazards are up,
 * the control grade by the length of road affected, and the speed the dispatch graph should use.
 */

/** The strictest measure of several hazards, and which stages it came from (most severe first). */
export interface CombinedMeasure extends TrafficControlMeasure {
  level: SignalLevel;
  sources: { hazard: WeatherHazard; stage: string; level: SignalLevel }[];
}

const SIGNAL_RANK: Record<SignalLevel, number> = { blue: 0, yellow: 1, orange: 2, red: 3 };
const SIGNAL_ZH: Record<SignalLevel, string> = { blue: '蓝色', yellow: '黄色', orange: '橙色', red: '红色' };

/**
 * Combine the active stages into one measure: the lowest speed limit, the largest gap, and closing or
 * leaving the road if any stage says so. The texts are the stages' own, most severe first, each headed by
 * its hazard and colour. Null when nothing is active.
 */
export function combineMeasures(active: readonly ActiveStage[]): CombinedMeasure | null {
  if (active.length === 0) return null;
  const ordered = [...active].sort(
    (a, b) =>
      Number(b.stage.measure.closeSection) - Number(a.stage.measure.closeSection) ||
      SIGNAL_RANK[b.stage.level] - SIGNAL_RANK[a.stage.level],
  );
  const measures = ordered.map((a) => a.stage.measure);
  const limits = measures.flatMap((m) => (m.speedLimitKmh === null ? [] : [m.speedLimitKmh]));
  const gaps = measures.flatMap((m) => (m.minGapM === null ? [] : [m.minGapM]));
  const level = ordered.reduce<SignalLevel>(
    (top, a) => (SIGNAL_RANK[a.stage.level] > SIGNAL_RANK[top] ? a.stage.level : top),
    'blue',
  );
  return {
    level,
    speedLimitKmh: limits.length > 0 ? Math.min(...limits) : null,
    minGapM: gaps.length > 0 ? Math.max(...gaps) : null,
    leaveAtNextExit: measures.some((m) => m.leaveAtNextExit),
    closeSection: measures.some((m) => m.closeSection),
    textZh: ordered.map((a) => `${a.nameZh}${SIGNAL_ZH[a.stage.level]}预警：${a.stage.measure.textZh}`).join('；'),
    textEn: ordered.map((a) => `${a.nameEn} ${a.stage.level} warning: ${a.stage.measure.textEn}`).join('; '),
    sources: ordered.map((a) => ({ hazard: a.hazard, stage: a.stage.id, level: a.stage.level })),
  };
}

/** The one measure for a station's section, from every hazard up at the station; null when none is. */
export function stationMeasure(state: StationAlertState, table: WeatherRuleTable): CombinedMeasure | null {
  return combineMeasures(activeStages(state, table));
}

/**
 * Where the control grade changes with the length of road affected (Beacon's choice, see docs/RULES.md):
 * below `secondFromKm` is 三级, up to and including `firstAboveKm` is 二级, longer is 一级.
 */
export interface ControlExtentThresholds {
  secondFromKm: number;
  firstAboveKm: number;
}

export const DEFAULT_CONTROL_EXTENT: ControlExtentThresholds = { secondFromKm: 10, firstAboveKm: 50 };

/** The control grade for `affectedKm` of controlled road: 三级 < 10 km ≤ 二级 ≤ 50 km < 一级 by default. */
export function controlLevelForExtent(
  affectedKm: number,
  thresholds: ControlExtentThresholds = DEFAULT_CONTROL_EXTENT,
): ControlLevel {
  if (!Number.isFinite(affectedKm) || affectedKm < 0) {
    throw new RangeError(`affected length must be a finite number of km ≥ 0, got ${affectedKm}`);
  }
  if (!(thresholds.secondFromKm <= thresholds.firstAboveKm)) {
    throw new RangeError('secondFromKm must not exceed firstAboveKm');
  }
  if (affectedKm < thresholds.secondFromKm) return '三级';
  return affectedKm <= thresholds.firstAboveKm ? '二级' : '一级';
}

/** How a measure changes driving on a segment. */
export interface SegmentSpeed {
  /** The speed to drive the segment at: the lower of the limit and the free-flow speed. */
  speedKmh: number;
  /** The section is closed to traffic. */
  closed: boolean;
  /**
   * Multiply the free-flow travel time by this: ≥ 1, and Infinity on a closed section. Patrols may still
   * drive a closed section (they close it): a caller routing patrols can use `speedKmh` and ignore it.
   */
  travelTimeFactor: number;
}

/** The speed the dispatch graph should use on a segment under `measure` (null: no measure). */
export function speedFactorForMeasure(
  measure: Pick<TrafficControlMeasure, 'speedLimitKmh' | 'closeSection'> | null,
  freeFlowKmh: number,
): SegmentSpeed {
  if (!(freeFlowKmh > 0) || !Number.isFinite(freeFlowKmh)) {
    throw new RangeError(`free-flow speed must be a positive number of km/h, got ${freeFlowKmh}`);
  }
  const speedKmh = Math.min(measure?.speedLimitKmh ?? freeFlowKmh, freeFlowKmh);
  const closed = measure?.closeSection ?? false;
  return { speedKmh, closed, travelTimeFactor: closed ? Infinity : freeFlowKmh / speedKmh };
}
