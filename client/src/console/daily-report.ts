import type { IncidentStatistics, OrderStats } from '@beacon/shared';
import { apiRequest } from '../auth/api.ts';
import type { Ack } from '@beacon/shared';

/**
 * The answer of `GET /api/v1/reports/daily` (server/src/stats/daily-report.ts, `DailyReport`). Typed here
 * because the server keeps the type to itself; it belongs in shared/ beside `IncidentStatistics`.
 */
export interface DailyReport {
  jurisdiction: { adcode: string; name_zh: string; name_en: string; generated: boolean };
  /** `2026-11-25` (Beijing). */
  date: string;
  generatedAt: number;
  incidents: IncidentStatistics;
  overdue: { id: string; type: string; state: string; missed: string[]; overdueMs: number }[];
  orders: { self: OrderStats; children: OrderStats[] };
  weatherWarnings: { stationId: string; hazard: string; level: string | null; firstSeenAt: number; count: number }[];
}

/** The daily report of a jurisdiction (default the caller's) for a Beijing day (default today). */
export function fetchDailyReport(
  token: string | null,
  jurisdiction?: string,
  date?: string,
): Promise<Ack<DailyReport>> {
  const query = new URLSearchParams();
  if (jurisdiction) query.set('jurisdiction', jurisdiction);
  if (date) query.set('date', date);
  const qs = query.toString();
  return apiRequest<DailyReport>(`/api/v1/reports/daily${qs ? `?${qs}` : ''}`, { token });
}

/** `4.5 分` / `4.5 min` style minutes of a mean duration, or — when there is none. */
export function minutesOf(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? '—' : (ms / 60_000).toFixed(1);
}

/** `87.5 %`, or — when nothing counts. */
export function percentOf(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(1)} %`;
}
