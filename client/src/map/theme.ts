import type { IncidentState, Priority, UnitStatus } from '@beacon/shared';

/** Colours shared by the map, the panels and the charts, so a status reads the same everywhere. */
export const UNIT_STATUS_COLORS: Record<UnitStatus, string> = {
  available: '#22c55e',
  dispatched: '#f59e0b',
  acknowledged: '#fbbf24',
  en_route: '#38bdf8',
  on_scene: '#c084fc',
  returning: '#a3e635',
  off_duty: '#64748b',
};

export const PRIORITY_COLORS: Record<Priority, string> = {
  P1: '#ef4444',
  P2: '#f97316',
  P3: '#eab308',
  P4: '#3b82f6',
};

/** Awaiting work in reds, a unit on the job in the unit colours, ended in greys. */
export const INCIDENT_STATE_COLORS: Record<IncidentState, string> = {
  received: '#ef4444',
  assessed: '#fb923c',
  dispatched: '#f59e0b',
  en_route: '#38bdf8',
  on_scene: '#c084fc',
  handling: '#e879f9',
  closed: '#64748b',
  feedback: '#94a3b8',
  cancelled: '#a8a29e',
  merged: '#cbd5e1',
};

/** China's warning-signal colours (蓝/黄/橙/红), brightened for a dark wall. */
export const SIGNAL_LEVEL_COLORS = {
  blue: '#3b82f6',
  yellow: '#facc15',
  orange: '#f97316',
  red: '#ef4444',
} as const;

export const MAP_COLORS = {
  background: '#050d1a',
  contextFill: '#0a1626',
  contextLine: '#1b2d45',
  countyFill: '#0d2138',
  countyLine: '#2f6ea3',
  cityLine: '#5cc8ff',
  roadCasing: '#03070d',
  road: '#e8a33d',
  roadMinor: '#6b7c93',
  interchange: '#f8fafc',
  serviceArea: '#60a5fa',
  station: '#2dd4bf',
  camera: '#94a3b8',
  route: '#22d3ee',
};
