import type { EChartsCoreOption } from 'echarts/core';
import { UNIT_STATUSES, type HistogramBucket, type UnitStatus } from '@beacon/shared';
import { translate, type Locale } from '../../i18n/index.ts';
import { UNIT_STATUS_COLORS } from '../../map/theme.ts';

/** Canvas text does not inherit CSS: name the bundled CJK font explicitly. */
export const CHART_FONT = "'Noto Sans SC', sans-serif";

/** Donut of units per status; a pure function so it is tested without a browser. */
export function unitStatusOption(
  counts: Record<UnitStatus, number>,
  locale: Locale,
  rootFontPx = 16,
): EChartsCoreOption {
  const total = UNIT_STATUSES.reduce((sum, s) => sum + counts[s], 0);
  return {
    animation: false,
    textStyle: { fontFamily: CHART_FONT },
    tooltip: { show: false },
    legend: { show: false },
    title: {
      text: String(total),
      left: 'center',
      top: 'middle',
      textAlign: 'center',
      textVerticalAlign: 'middle',
      textStyle: { color: '#ffffff', fontSize: rootFontPx * 2.2, fontWeight: 700 },
    },
    series: [
      {
        type: 'pie',
        radius: ['55%', '80%'],
        center: ['50%', '50%'],
        label: { show: false },
        itemStyle: { borderColor: '#030914', borderWidth: 2 },
        data: UNIT_STATUSES.map((s) => ({
          name: translate(`unit.status.${s}`, {}, locale),
          value: counts[s],
          itemStyle: { color: UNIT_STATUS_COLORS[s] },
        })),
      },
    ],
  };
}

export function countByStatus(statuses: UnitStatus[]): Record<UnitStatus, number> {
  const counts = Object.fromEntries(UNIT_STATUSES.map((s) => [s, 0])) as Record<UnitStatus, number>;
  for (const s of statuses) counts[s] += 1;
  return counts;
}

const AXIS_TEXT = '#9fb6d3';
const GRID_LINE = 'rgb(56 189 248 / 12%)';

/** Shared look of the wall's axis charts: large type in rem-scaled pixels, faint grid, no animation. */
function axisBase(rootFontPx: number) {
  const size = Math.round(rootFontPx * 0.85);
  return {
    animation: false,
    textStyle: { fontFamily: CHART_FONT, fontSize: size, color: AXIS_TEXT },
    tooltip: { show: false },
    axisLabel: { color: AXIS_TEXT, fontSize: size, fontFamily: CHART_FONT },
    splitLine: { lineStyle: { color: GRID_LINE } },
  };
}

/**
 * Incidents received per hour today (bars, up to the current hour) against the mean of the 7 days before
 * (line), from `IncidentStatistics.hourly`.
 */
export function hourlyOption(
  today: readonly number[],
  previous7DayAverage: readonly number[],
  currentHour: number,
  locale: Locale,
  rootFontPx = 16,
): EChartsCoreOption {
  const base = axisBase(rootFontPx);
  const hours = Array.from({ length: 24 }, (_, h) => String(h));
  return {
    animation: false,
    textStyle: base.textStyle,
    tooltip: base.tooltip,
    legend: { show: false },
    grid: { left: rootFontPx * 2.2, right: rootFontPx * 0.8, top: rootFontPx * 0.9, bottom: rootFontPx * 1.6 },
    xAxis: {
      type: 'category',
      data: hours,
      axisLabel: { ...base.axisLabel, interval: 3 },
      axisLine: { lineStyle: { color: '#2a4d72' } },
      axisTick: { show: false },
    },
    yAxis: { type: 'value', minInterval: 1, axisLabel: base.axisLabel, splitLine: base.splitLine },
    series: [
      {
        name: translate('chart.today', {}, locale),
        type: 'bar',
        barWidth: '62%',
        data: hours.map((_, h) => (h <= currentHour ? (today[h] ?? 0) : null)),
        itemStyle: {
          color: '#38bdf8',
          borderRadius: [rootFontPx * 0.15, rootFontPx * 0.15, 0, 0],
        },
      },
      {
        name: translate('chart.avg7d', {}, locale),
        type: 'line',
        data: hours.map((_, h) => Math.round((previous7DayAverage[h] ?? 0) * 10) / 10),
        symbol: 'none',
        smooth: true,
        lineStyle: { color: '#fbbf24', width: Math.max(2, rootFontPx * 0.15), type: 'dashed' },
        itemStyle: { color: '#fbbf24' },
      },
    ],
  };
}

/** The response-time histogram of today: dispatch (派单) and arrival (到场) durations, bucket by bucket. */
export function responseTimeOption(
  dispatch: readonly HistogramBucket[],
  arrival: readonly HistogramBucket[],
  locale: Locale,
  rootFontPx = 16,
): EChartsCoreOption {
  const base = axisBase(rootFontPx);
  const labels = dispatch.map((b) => b.label.replace(' min', '').replace('> 60', '>60'));
  const dispatchName = translate('chart.dispatch', {}, locale);
  const arrivalName = translate('chart.arrival', {}, locale);
  return {
    animation: false,
    textStyle: base.textStyle,
    tooltip: base.tooltip,
    legend: { show: false },
    grid: { left: rootFontPx * 2.2, right: rootFontPx * 0.8, top: rootFontPx * 0.9, bottom: rootFontPx * 2.9 },
    xAxis: {
      type: 'category',
      data: labels,
      name: translate('chart.minutes', {}, locale),
      nameLocation: 'middle',
      nameGap: rootFontPx * 1.7,
      nameTextStyle: { color: AXIS_TEXT, fontSize: base.axisLabel.fontSize },
      axisLabel: { ...base.axisLabel, interval: 0 },
      axisLine: { lineStyle: { color: '#2a4d72' } },
      axisTick: { show: false },
    },
    yAxis: { type: 'value', minInterval: 1, axisLabel: base.axisLabel, splitLine: base.splitLine },
    series: [
      { name: dispatchName, type: 'bar', data: dispatch.map((b) => b.count), itemStyle: { color: '#f59e0b' } },
      { name: arrivalName, type: 'bar', data: arrival.map((b) => b.count), itemStyle: { color: '#c084fc' } },
    ],
  };
}

/** One county's closure figures for the per-county chart. */
export interface CountyClosure {
  name: string;
  closed: number;
  /** total − cancelled: what had to be closed. */
  closable: number;
  closureRate: number | null;
}

/**
 * Closure rate per county today as horizontal bars (green at or above the target, amber below), with the
 * target as a line; counties with nothing to close show an empty bar.
 */
export function countyClosureOption(
  counties: readonly CountyClosure[],
  target: number,
  locale: Locale,
  rootFontPx = 16,
): EChartsCoreOption {
  const base = axisBase(rootFontPx);
  const rows = [...counties].reverse();
  return {
    animation: false,
    textStyle: base.textStyle,
    tooltip: base.tooltip,
    grid: {
      left: rootFontPx * 0.5,
      right: rootFontPx * 4.2,
      top: rootFontPx * 0.6,
      bottom: rootFontPx * 1.4,
      containLabel: true,
    },
    xAxis: {
      type: 'value',
      min: 0,
      max: 100,
      interval: 25,
      axisLabel: { ...base.axisLabel, formatter: '{value}%' },
      splitLine: base.splitLine,
    },
    yAxis: {
      type: 'category',
      data: rows.map((c) => c.name),
      axisLabel: { ...base.axisLabel, color: '#cfe3ff' },
      axisLine: { lineStyle: { color: '#2a4d72' } },
      axisTick: { show: false },
    },
    series: [
      {
        type: 'bar',
        barWidth: '58%',
        data: rows.map((c) => ({
          value: c.closureRate === null ? 0 : Math.round(c.closureRate * 1000) / 10,
          itemStyle: { color: c.closureRate !== null && c.closureRate >= target ? '#22c55e' : '#f59e0b' },
          label: {
            show: true,
            position: 'right',
            color: '#e6f0ff',
            fontSize: base.axisLabel.fontSize,
            fontFamily: CHART_FONT,
            formatter: c.closable === 0 ? '—' : `${c.closed}/${c.closable}`,
          },
        })),
        markLine: {
          silent: true,
          symbol: 'none',
          lineStyle: { color: '#f8fafc', type: 'dashed', width: 2 },
          // The target's value is in the panel title: a label at the line's end would be cut by the grid.
          label: { show: false },
          data: [{ xAxis: Math.round(target * 1000) / 10 }],
        },
      },
    ],
  };
}

/** One station's readings for the trend chart, oldest first (`weather:history`). */
export interface StationTrend {
  stationId: string;
  readings: readonly { ts: number; visibilityM: number | null; roadSurfaceTempC: number | null }[];
}

/** Line colours of the stations on the trend chart, in the warning list's order (most severe first). */
export const TREND_COLORS = ['#38bdf8', '#f472b6', '#a3e635'] as const;
/** The visibility thresholds of the fog warnings (m), in the signal colours. */
export const VISIBILITY_THRESHOLDS = [
  { m: 500, color: '#facc15' },
  { m: 200, color: '#f97316' },
  { m: 50, color: '#ef4444' },
] as const;
/** Visibility is drawn on a log axis (50 m and 10 km on one chart); readings below this sit on its floor. */
const VISIBILITY_FLOOR_M = 10;

/**
 * Visibility (m, log axis on the left, solid lines, the 500 / 200 / 50 m thresholds marked) and road-surface
 * temperature (°C, right axis, dashed) of the stations under warning over the last `windowMs`, one colour
 * per station.
 */
export function weatherTrendOption(
  stations: readonly StationTrend[],
  nowMs: number,
  windowMs: number,
  locale: Locale,
  rootFontPx = 16,
): EChartsCoreOption {
  const base = axisBase(rootFontPx);
  const width = Math.max(2, rootFontPx * 0.16);
  const since = nowMs - windowMs;
  const series = stations.slice(0, TREND_COLORS.length).flatMap((station, i) => {
    const color = TREND_COLORS[i]!;
    const recent = station.readings.filter((r) => r.ts >= since);
    return [
      {
        name: `${station.stationId} ${translate('trend.visibility', {}, locale)}`,
        type: 'line',
        yAxisIndex: 0,
        symbol: 'none',
        connectNulls: false,
        data: recent.map((r) => [r.ts, r.visibilityM === null ? null : Math.max(VISIBILITY_FLOOR_M, r.visibilityM)]),
        lineStyle: { color, width },
        itemStyle: { color },
        ...(i === 0
          ? {
              markLine: {
                silent: true,
                symbol: 'none',
                data: VISIBILITY_THRESHOLDS.map((t) => ({
                  yAxis: t.m,
                  lineStyle: { color: t.color, type: 'dashed', width: Math.max(1, rootFontPx * 0.08), opacity: 0.8 },
                  label: {
                    formatter: `${t.m} m`,
                    position: 'insideStartTop',
                    color: t.color,
                    fontSize: Math.round(rootFontPx * 0.75),
                    fontFamily: CHART_FONT,
                  },
                })),
              },
            }
          : {}),
      },
      {
        name: `${station.stationId} ${translate('trend.roadTemp', {}, locale)}`,
        type: 'line',
        yAxisIndex: 1,
        symbol: 'none',
        connectNulls: false,
        data: recent.map((r) => [r.ts, r.roadSurfaceTempC]),
        lineStyle: { color, width: Math.max(1.5, width * 0.75), type: 'dashed', opacity: 0.85 },
        itemStyle: { color },
      },
    ];
  });
  return {
    animation: false,
    textStyle: base.textStyle,
    tooltip: base.tooltip,
    legend: { show: false },
    grid: { left: rootFontPx * 3.2, right: rootFontPx * 2.6, top: rootFontPx * 1.6, bottom: rootFontPx * 1.6 },
    xAxis: {
      type: 'time',
      min: since,
      max: nowMs,
      splitNumber: 6,
      axisLabel: { ...base.axisLabel, formatter: '{HH}:{mm}', hideOverlap: true },
      axisLine: { lineStyle: { color: '#2a4d72' } },
      axisTick: { show: false },
      splitLine: { show: false },
    },
    yAxis: [
      {
        type: 'log',
        logBase: 10,
        min: VISIBILITY_FLOOR_M,
        max: (extent: { max: number }) => Math.max(1000, 10 ** Math.ceil(Math.log10(Math.max(extent.max, 1)))),
        name: translate('trend.visibilityAxis', {}, locale),
        nameTextStyle: { color: AXIS_TEXT, fontSize: Math.round(rootFontPx * 0.8), align: 'left' },
        axisLabel: {
          ...base.axisLabel,
          formatter: (v: number) => (v >= 1000 ? `${v / 1000}k` : String(v)),
        },
        splitLine: base.splitLine,
      },
      {
        type: 'value',
        name: translate('trend.roadTempAxis', {}, locale),
        nameTextStyle: { color: AXIS_TEXT, fontSize: Math.round(rootFontPx * 0.8), align: 'right' },
        axisLabel: base.axisLabel,
        splitLine: { show: false },
        splitNumber: 3,
        minInterval: 1,
        scale: true,
      },
    ],
    series,
  };
}
