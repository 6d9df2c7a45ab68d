import type { IncidentState, IncidentType, OrderState } from '@beacon/shared';

/** Chinese labels for exports (CSV opened by people in Excel); the screens have their own i18n. */
export const TYPE_ZH: Record<IncidentType, string> = {
  pedestrian: '高速行人闯入',
  severe_weather: '恶劣天气',
  traffic_accident: '交通事故',
  illegal_operation: '非法营运',
  road_hazard: '道路险情',
  work_order: '工单',
};

export const STATE_ZH: Record<IncidentState, string> = {
  received: '已受理',
  assessed: '已研判',
  dispatched: '已派单',
  en_route: '出警途中',
  on_scene: '已到场',
  handling: '处置中',
  closed: '已办结',
  feedback: '已回访',
  cancelled: '已撤销',
  merged: '已并案',
};

export const ORDER_STATE_ZH: Record<OrderState, string> = {
  pending: '待签收',
  accepted: '已签收',
  returned: '已退回',
  completed: '已办结',
  cancelled: '已撤销',
};

/** `2026-11-25 22:10:05` in Beijing time, or '' for null. */
export function beijingTime(ms: number | null): string {
  if (ms === null) return '';
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}
