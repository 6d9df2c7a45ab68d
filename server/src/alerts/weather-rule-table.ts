import {
  WeatherRuleTable,
  type HazardRule,
  type RuleStage,
  type WeatherHazard,
  type WeatherRuleTableInput,
} from '@beacon/shared';

/**
 * Beacon's default road-weather rule table. Thresholds follow China's meteorological warning signals
 * (中国气象局《气象灾害预警信号及防御指南》); fog measures follow Article 81 of the Road Traffic Safety Law's
 * implementing regulations (《道路交通安全法实施条例》第八十一条). Where a number is Beacon's own choice its
 * `…Source` says so. docs/RULES.md shows the same table and a test keeps the two in step.
 */

const MINUTE = 60_000;

/** Two consecutive readings raise a level (the "2 consecutive readings"). */
const RAISE = { minReadings: 2, minDurationMs: 0, combine: 'and' } as const;
/** Clearing needs five consecutive clear readings spanning at least ten minutes. */
const LOWER = { minReadings: 5, minDurationMs: 10 * MINUTE, combine: 'and' } as const;
/** A gap of more than 20 minutes between readings breaks a run. */
const MAX_GAP_MS = 20 * MINUTE;

const CMA = '中国气象局预警信号';
const RTSL81 = '《道路交通安全法实施条例》第81条';

const DEFAULT_TABLE: WeatherRuleTableInput = {
  version: 'beacon-default-1',
  hazards: [
    {
      hazard: 'fog',
      nameZh: '大雾',
      nameEn: 'Fog',
      stages: [
        {
          id: 'yellow',
          level: 'yellow',
          when: { metric: 'visibilityM', op: 'lt', value: 500 },
          measure: {
            speedLimitKmh: null,
            minGapM: null,
            leaveAtNextExit: false,
            closeSection: false,
            textZh: '情报板发布雾情提示；开启雾灯、近光灯、示廓灯和前后位灯，谨慎驾驶',
            textEn:
              'Fog warning on message signs; fog lights, dipped headlights and position lamps on, drive with care',
          },
          thresholdSource: `${CMA} 大雾黄色`,
          measureSource: 'Beacon (Art. 81 starts at 200 m)',
        },
        {
          id: 'orange',
          level: 'orange',
          when: { metric: 'visibilityM', op: 'lt', value: 200 },
          measure: {
            speedLimitKmh: 60,
            minGapM: 100,
            leaveAtNextExit: false,
            closeSection: false,
            textZh: '限速60公里/小时，与同车道前车保持100米以上距离；开启雾灯、近光灯、示廓灯和前后位灯',
            textEn:
              'Limit 60 km/h, keep 100 m from the vehicle ahead; fog lights, dipped headlights, position lamps on',
          },
          thresholdSource: `${CMA} 大雾橙色`,
          measureSource: `${RTSL81}(一)`,
        },
        {
          id: 'orange-100m',
          level: 'orange',
          when: { metric: 'visibilityM', op: 'lt', value: 100 },
          measure: {
            speedLimitKmh: 40,
            minGapM: 50,
            leaveAtNextExit: false,
            closeSection: false,
            textZh: '限速40公里/小时，与同车道前车保持50米以上距离；加开危险报警闪光灯',
            textEn: 'Limit 40 km/h, keep 50 m from the vehicle ahead; hazard warning lights on as well',
          },
          thresholdSource: `${RTSL81}(二)`,
          measureSource: `${RTSL81}(二)`,
        },
        {
          id: 'red',
          level: 'red',
          when: { metric: 'visibilityM', op: 'lt', value: 50 },
          measure: {
            speedLimitKmh: 20,
            minGapM: null,
            leaveAtNextExit: true,
            closeSection: true,
            textZh: '封闭路段；路段内车辆限速20公里/小时，开启危险报警闪光灯，从最近出口尽快驶离',
            textEn: 'Close the section; vehicles on it at most 20 km/h with hazard lights, leave at the nearest exit',
          },
          thresholdSource: `${CMA} 大雾红色; ${RTSL81}(三)`,
          measureSource: `${RTSL81}(三); closure: Beacon issue, CMA 大雾红色防御指南`,
        },
      ],
      clearMargins: { visibilityM: { relative: 0.2, absolute: 50 } },
      raise: RAISE,
      lower: LOWER,
      maxGapMs: MAX_GAP_MS,
    },
    {
      hazard: 'ice',
      nameZh: '道路结冰',
      nameEn: 'Road icing',
      stages: [
        {
          id: 'red',
          level: 'red',
          when: {
            all: [
              { metric: 'roadSurfaceTempC', op: 'le', value: 0 },
              { any: [{ metric: 'precipitationMm', op: 'gt', value: 0 }, { surfaceIn: ['wet', 'snow', 'ice'] }] },
            ],
          },
          measure: {
            speedLimitKmh: 30,
            minGapM: null,
            leaveAtNextExit: true,
            closeSection: true,
            textZh: '封闭结冰路段，撒布融雪剂；路段内车辆限速30公里/小时，从最近出口驶离',
            textEn: 'Close the icy section and grit it; vehicles on it at most 30 km/h, leave at the nearest exit',
          },
          thresholdSource: `Beacon issue (≤ 0 °C); ${CMA} 道路结冰 (< 0 °C with precipitation)`,
          measureSource: 'closure: Beacon issue; 30 km/h: 《道路交通安全法实施条例》第46条',
        },
      ],
      clearMargins: { roadSurfaceTempC: { absolute: 1 } },
      raise: RAISE,
      lower: { minReadings: 5, minDurationMs: 30 * MINUTE, combine: 'and' },
      maxGapMs: MAX_GAP_MS,
    },
    {
      hazard: 'gale',
      nameZh: '大风',
      nameEn: 'Gale',
      stages: [
        {
          id: 'blue',
          level: 'blue',
          when: { metric: 'windSpeedMs', op: 'ge', value: 10.8 },
          measure: {
            speedLimitKmh: null,
            minGapM: null,
            leaveAtNextExit: false,
            closeSection: false,
            textZh: '情报板提示横风；握稳方向盘，高边车辆谨慎驾驶',
            textEn: 'Crosswind warning on message signs; high-sided vehicles drive with care',
          },
          thresholdSource: `${CMA} 大风蓝色 (Beaufort 6)`,
          measureSource: 'Beacon',
        },
        {
          id: 'yellow',
          level: 'yellow',
          when: { metric: 'windSpeedMs', op: 'ge', value: 17.2 },
          measure: {
            speedLimitKmh: 80,
            minGapM: null,
            leaveAtNextExit: false,
            closeSection: false,
            textZh: '限速80公里/小时；高边车辆谨慎驾驶',
            textEn: 'Limit 80 km/h; high-sided vehicles drive with care',
          },
          thresholdSource: `${CMA} 大风黄色 (Beaufort 8)`,
          measureSource: 'Beacon',
        },
        {
          id: 'orange',
          level: 'orange',
          when: { metric: 'windSpeedMs', op: 'ge', value: 24.5 },
          measure: {
            speedLimitKmh: 60,
            minGapM: null,
            leaveAtNextExit: false,
            closeSection: false,
            textZh: '限速60公里/小时；禁止空载货车、高栏货车、集装箱车等高边车辆通行',
            textEn: 'Limit 60 km/h; empty lorries, high-sided and container vehicles may not use the section',
          },
          thresholdSource: `${CMA} 大风橙色 (Beaufort 10)`,
          measureSource: 'Beacon',
        },
        {
          id: 'red',
          level: 'red',
          when: { metric: 'windSpeedMs', op: 'ge', value: 32.7 },
          measure: {
            speedLimitKmh: 40,
            minGapM: null,
            leaveAtNextExit: true,
            closeSection: true,
            textZh: '封闭路段；路段内车辆限速40公里/小时，从最近出口驶离',
            textEn: 'Close the section; vehicles on it at most 40 km/h, leave at the nearest exit',
          },
          thresholdSource: `${CMA} 大风红色 (Beaufort 12)`,
          measureSource: 'Beacon',
        },
      ],
      clearMargins: { windSpeedMs: { absolute: 1.5 } },
      raise: RAISE,
      lower: LOWER,
      maxGapMs: MAX_GAP_MS,
    },
    {
      hazard: 'rainstorm',
      nameZh: '暴雨',
      nameEn: 'Rainstorm',
      stages: [
        {
          id: 'blue',
          level: 'blue',
          when: { metric: 'rain12hMm', op: 'ge', value: 50 },
          measure: {
            speedLimitKmh: null,
            minGapM: null,
            leaveAtNextExit: false,
            closeSection: false,
            textZh: '情报板提示降雨；开启近光灯、示廓灯，注意积水',
            textEn: 'Rain warning on message signs; dipped headlights on, watch for standing water',
          },
          thresholdSource: `${CMA} 暴雨蓝色`,
          measureSource: 'Beacon',
        },
        {
          id: 'yellow',
          level: 'yellow',
          when: { metric: 'rain6hMm', op: 'ge', value: 50 },
          measure: {
            speedLimitKmh: 80,
            minGapM: null,
            leaveAtNextExit: false,
            closeSection: false,
            textZh: '限速80公里/小时；注意积水，巡查易积水路段',
            textEn: 'Limit 80 km/h; watch for standing water, patrol low spots',
          },
          thresholdSource: `${CMA} 暴雨黄色`,
          measureSource: 'Beacon',
        },
        {
          id: 'orange',
          level: 'orange',
          when: { metric: 'rain3hMm', op: 'ge', value: 50 },
          measure: {
            speedLimitKmh: 60,
            minGapM: 100,
            leaveAtNextExit: false,
            closeSection: false,
            textZh: '限速60公里/小时，与同车道前车保持100米以上距离；巡查积水、边坡',
            textEn: 'Limit 60 km/h, keep 100 m from the vehicle ahead; patrol standing water and slopes',
          },
          thresholdSource: `${CMA} 暴雨橙色`,
          measureSource: 'Beacon (as Art. 81 at < 200 m)',
        },
        {
          id: 'red',
          level: 'red',
          when: { metric: 'rain3hMm', op: 'ge', value: 100 },
          measure: {
            speedLimitKmh: 40,
            minGapM: 50,
            leaveAtNextExit: false,
            closeSection: false,
            textZh: '限速40公里/小时，与同车道前车保持50米以上距离；积水、塌方处视情封闭',
            textEn: 'Limit 40 km/h, keep 50 m from the vehicle ahead; close where water or landslides block the road',
          },
          thresholdSource: `${CMA} 暴雨红色`,
          measureSource: 'Beacon (as Art. 81 at < 100 m)',
        },
      ],
      clearMargins: {
        rain3hMm: { relative: 0.1 },
        rain6hMm: { relative: 0.1 },
        rain12hMm: { relative: 0.1 },
      },
      raise: RAISE,
      lower: LOWER,
      maxGapMs: MAX_GAP_MS,
    },
  ],
};

/** The table Beacon uses unless a deployment loads its own; validated when this module loads. */
export const DEFAULT_WEATHER_RULE_TABLE: WeatherRuleTable = WeatherRuleTable.parse(DEFAULT_TABLE);

/** Parse a rule table read from JSON (a deployment's own); throws a ZodError naming what is wrong. */
export function loadWeatherRuleTable(json: unknown): WeatherRuleTable {
  return WeatherRuleTable.parse(json);
}

/** The rule for one hazard, or undefined when the table does not judge it. */
export function hazardRule(table: WeatherRuleTable, hazard: WeatherHazard): HazardRule | undefined {
  return table.hazards.find((rule) => rule.hazard === hazard);
}

/** A hazard's stage by id, with its position (0 = least severe). */
export function stageOf(rule: HazardRule, id: string | null): { stage: RuleStage; index: number } | null {
  if (id === null) return null;
  const index = rule.stages.findIndex((stage) => stage.id === id);
  return index < 0 ? null : { stage: rule.stages[index]!, index };
}
