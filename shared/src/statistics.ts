import { z } from 'zod';
import { IncidentType, Priority } from './lifecycle.ts';
import type { Incident } from './domain.ts';

/**
 * The statistics report the seed centers are judged by: closure rate, response times, SLA breaches, per type,
 * priority and county. Computed by the server (server/src/stats/statistics.ts, definitions in
 * docs/STATISTICS.md); this is its wire shape.
 */

const MINUTE_MS = 60_000;

/** Which incidents a report covers, by creation time in Beijing local days, up to `now`. */
export const STATISTICS_WINDOWS = ['today', '7d', '30d'] as const;
export const StatisticsWindow = z.enum(STATISTICS_WINDOWS);
export type StatisticsWindow = z.output<typeof StatisticsWindow>;

/** How many local days (today included) each window spans. */
export const WINDOW_DAYS: Record<StatisticsWindow, number> = { today: 1, '7d': 7, '30d': 30 };

/** Upper bounds of the response-time histogram buckets; a bucket holds (previous bound, bound], the first [0, 1 min]. */
export const RESPONSE_TIME_BUCKETS = [
  { label: '0–1 min', toMs: 1 * MINUTE_MS },
  { label: '1–3 min', toMs: 3 * MINUTE_MS },
  { label: '3–5 min', toMs: 5 * MINUTE_MS },
  { label: '5–10 min', toMs: 10 * MINUTE_MS },
  { label: '10–20 min', toMs: 20 * MINUTE_MS },
  { label: '20–30 min', toMs: 30 * MINUTE_MS },
  { label: '30–60 min', toMs: 60 * MINUTE_MS },
  { label: '> 60 min', toMs: null },
] as const;

const Count = z.number().int().min(0);

export const HistogramBucket = z.object({
  label: z.string(),
  /** Exclusive lower bound (0, inclusive, for the first bucket). */
  fromMs: z.number(),
  /** Inclusive upper bound; null for the open last bucket. */
  toMs: z.number().nullable(),
  count: Count,
});
export type HistogramBucket = z.output<typeof HistogramBucket>;

/** A distribution of durations, ms; the summary figures are null when there are none. */
export const ResponseTimeStats = z.object({
  count: Count,
  /** Arithmetic mean, rounded to whole ms. */
  meanMs: z.number().nullable(),
  /** Nearest-rank percentiles: the value at rank ⌈p/100 × count⌉ of the durations sorted ascending. */
  p50Ms: z.number().nullable(),
  p90Ms: z.number().nullable(),
  maxMs: z.number().nullable(),
  histogram: z.array(HistogramBucket),
});
export type ResponseTimeStats = z.output<typeof ResponseTimeStats>;

/** Counts of one set of incidents. `total` = closed + cancelled + open. */
export const GroupStats = z.object({
  total: Count,
  /** Closed or closed and visited (办结 / 回访). */
  closed: Count,
  cancelled: Count,
  open: Count,
  /** closed / (total − cancelled); null when that is 0. */
  closureRate: z.number().nullable(),
  /** Open incidents with at least one SLA timer breached at `now`. */
  overdue: Count,
});
export type GroupStats = z.output<typeof GroupStats>;

const PerTimer = <T extends z.ZodType>(schema: T) => z.object({ dispatch: schema, arrival: schema, closure: schema });

/** The statistics report, shared by the HTTP route and the wall/console charts. Plain JSON. */
export const IncidentStatistics = GroupStats.extend({
  window: StatisticsWindow,
  /** Local midnight (UTC+8) starting the window, epoch ms. */
  from: z.number(),
  /** `now`, epoch ms: the end of the window and the moment timers were read. */
  to: z.number(),
  /** `closed / (total − cancelled) = rate`, e.g. `27 216 / 27 291 = 99.7 %`; `0 / 0 = —` when empty. */
  closureRateText: z.string(),
  /** createdAt → assignedAt, createdAt → arrivedAt, createdAt → closedAt, of the incidents that have the step. */
  responseTimes: PerTimer(ResponseTimeStats),
  /** Incidents whose timer of each kind is breached at `now` (cancelled ones only if breached before they ended). */
  slaBreaches: PerTimer(Count),
  byType: z.record(IncidentType, GroupStats),
  byPriority: z.record(Priority, GroupStats),
  /** By jurisdiction adcode, ascending; `unknown` (no jurisdiction) last. */
  byCounty: z.record(z.string(), GroupStats),
  /** Incidents received per local hour 0–23, whatever the window: today, and the mean of the 7 days before. */
  hourly: z.object({
    today: z.array(Count).length(24),
    previous7DayAverage: z.array(z.number()).length(24),
  }),
});
export type IncidentStatistics = z.output<typeof IncidentStatistics>;

/** An open incident past a deadline of the 09:00 / 21:00 daily cycle (docs/STATISTICS.md). */
export interface OverdueItem {
  incident: Incident;
  /** Each deadline missed: `daily_assign` (09:00) and/or `daily_close` (21:00), when it fell due, by how much. */
  missed: { kind: 'daily_assign' | 'daily_close'; dueAt: number; overdueMs: number }[];
  overdueMs: number;
}
