import type { EChartsCoreOption } from 'echarts/core';
import { UNIT_STATUSES, type UnitStatus } from '@beacon/shared';
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
