import { describe, expect, it } from 'vitest';
import { DEFAULT_SLA_POLICY, IncidentStatistics, type IncidentType, type Priority } from '@beacon/shared';
import {
  computeStatistics,
  formatClosureRate,
  formatCount,
  nearestRankPercentile,
  windowStart,
  type StatisticsSubject,
} from './statistics.ts';

const at = (iso: string) => Date.parse(iso);
const MIN = 60_000;
const NOW = at('2026-11-25T00:30:00+08:00');

function incident(createdAt: number, fields: Partial<StatisticsSubject> = {}): StatisticsSubject {
  return {
    type: 'traffic_accident' as IncidentType,
    priority: 'P2' as Priority,
    state: 'closed',
    jurisdiction: '520502',
    drillId: null,
    createdAt,
    assignedAt: createdAt + MIN,
    arrivedAt: createdAt + 10 * MIN,
    closedAt: createdAt + 20 * MIN,
    endedAt: null,
    ...fields,
  };
}

const stats = (incidents: StatisticsSubject[], window: 'today' | '7d' | '30d', now = NOW) =>
  computeStatistics(incidents, { now, window, policy: DEFAULT_SLA_POLICY });

describe('statistics windows', () => {
  it('start at local (UTC+8) midnight: today, and 6 or 29 local days before it', () => {
    expect(windowStart('today', NOW)).toBe(at('2026-11-25T00:00:00+08:00'));
    expect(windowStart('7d', NOW)).toBe(at('2026-11-19T00:00:00+08:00'));
    expect(windowStart('30d', NOW)).toBe(at('2026-10-27T00:00:00+08:00'));
  });

  it('include an incident created at the window’s first millisecond and none before it, nor after now', () => {
    const incidents = [
      incident(at('2026-11-25T00:00:00+08:00'), { closedAt: null, state: 'received' }),
      incident(at('2026-11-24T23:59:59.999+08:00')),
      incident(at('2026-11-19T00:00:00+08:00')),
      incident(at('2026-11-18T23:59:59.999+08:00')),
      incident(at('2026-10-27T00:00:00+08:00')),
      incident(at('2026-10-26T23:59:59.999+08:00')),
      incident(NOW + 1),
    ];
    expect(stats(incidents, 'today').total).toBe(1);
    expect(stats(incidents, '7d').total).toBe(3);
    expect(stats(incidents, '30d').total).toBe(5);
  });

  it('report their bounds', () => {
    const report = stats([], '7d');
    expect([report.window, report.from, report.to]).toEqual(['7d', at('2026-11-19T00:00:00+08:00'), NOW]);
  });
});

describe('what counts', () => {
  const now = at('2026-11-25T20:00:00+08:00');
  const t = at('2026-11-25T10:00:00+08:00');

  it('never counts drills, counts merged incidents in their target only, and cancelled ones apart', () => {
    const report = stats(
      [
        incident(t),
        incident(t, { state: 'feedback' }),
        incident(t, { state: 'handling', closedAt: null }),
        incident(t, { state: 'cancelled', assignedAt: null, arrivedAt: null, closedAt: null, endedAt: t + MIN }),
        incident(t, { state: 'merged', closedAt: null, endedAt: t + 2 * MIN }),
        incident(t, { drillId: 'drill-7' }),
        incident(t, { drillId: 'drill-7', state: 'received', assignedAt: null, closedAt: null }),
      ],
      'today',
      now,
    );
    expect(report).toMatchObject({ total: 4, closed: 2, cancelled: 1, open: 1, overdue: 1 });
    expect(report.closureRate).toBeCloseTo(2 / 3, 12);
    expect(report.closureRateText).toBe('2 / 3 = 66.7 %');
    expect(report.responseTimes.dispatch.count).toBe(3);
    expect(report.hourly.today[10]).toBe(4);
  });

  it('gives a null closure rate when every incident was cancelled, and an empty report for none', () => {
    const cancelled = incident(at('2026-11-25T00:10:00+08:00'), { state: 'cancelled', closedAt: null, endedAt: NOW });
    expect(stats([cancelled], 'today')).toMatchObject({ total: 1, cancelled: 1, closureRate: null });
    const empty = stats([], '30d');
    expect(empty).toMatchObject({ total: 0, closed: 0, cancelled: 0, open: 0, closureRate: null, overdue: 0 });
    expect(empty.closureRateText).toBe('0 / 0 = —');
    expect(empty.responseTimes.closure).toMatchObject({
      count: 0,
      meanMs: null,
      p50Ms: null,
      p90Ms: null,
      maxMs: null,
    });
    expect(empty.byCounty).toEqual({});
    expect(Object.keys(empty.byType)).toHaveLength(6);
    expect(empty.byPriority.P1).toEqual({ total: 0, closed: 0, cancelled: 0, open: 0, closureRate: null, overdue: 0 });
  });

  it('calls an open incident overdue only once a timer is breached', () => {
    const fresh = incident(now - 30_000, { priority: 'P1', state: 'received', assignedAt: null, closedAt: null });
    const stale = incident(now - 61_000, { priority: 'P1', state: 'received', assignedAt: null, closedAt: null });
    expect(stats([fresh], 'today', now).overdue).toBe(0);
    expect(stats([stale], 'today', now)).toMatchObject({ overdue: 1, slaBreaches: { dispatch: 1, arrival: 0 } });
  });

  it('breaks counts down by county with `unknown` for no jurisdiction, adcodes ascending', () => {
    const report = stats(
      [incident(t, { jurisdiction: '520527' }), incident(t, { jurisdiction: null }), incident(t)],
      'today',
      now,
    );
    expect(Object.keys(report.byCounty)).toEqual(['520502', '520527', 'unknown']);
    expect(report.byCounty.unknown).toMatchObject({ total: 1, closed: 1, closureRate: 1 });
  });
});

describe('response-time distribution', () => {
  const now = at('2026-11-25T23:00:00+08:00');
  const t = at('2026-11-25T08:00:00+08:00');
  const dispatchedAfter = (...ms: number[]) => ms.map((d) => incident(t, { assignedAt: t + d }));

  it('buckets by (lower, upper] so a dispatch at exactly 1 min is in 0–1 min, like the P1 target', () => {
    const { histogram } = stats(dispatchedAfter(0, MIN, MIN + 1, 3 * MIN, 60 * MIN, 60 * MIN + 1, -5000), 'today', now)
      .responseTimes.dispatch;
    expect(histogram.map((b) => [b.label, b.count])).toEqual([
      ['0–1 min', 3],
      ['1–3 min', 2],
      ['3–5 min', 0],
      ['5–10 min', 0],
      ['10–20 min', 0],
      ['20–30 min', 0],
      ['30–60 min', 1],
      ['> 60 min', 1],
    ]);
    expect(histogram[0]).toEqual({ label: '0–1 min', fromMs: 0, toMs: MIN, count: 3 });
    expect(histogram[7]).toEqual({ label: '> 60 min', fromMs: 60 * MIN, toMs: null, count: 1 });
  });

  it('summarises count, mean, nearest-rank p50 / p90 and max', () => {
    // 1..10 minutes: p50 is the 5th value, p90 the 9th; mean 5.5 min.
    const report = stats(dispatchedAfter(...[10, 3, 1, 7, 5, 2, 9, 4, 8, 6].map((m) => m * MIN)), 'today', now);
    expect(report.responseTimes.dispatch).toMatchObject({
      count: 10,
      meanMs: 5.5 * MIN,
      p50Ms: 5 * MIN,
      p90Ms: 9 * MIN,
      maxMs: 10 * MIN,
    });
  });

  it('rounds the mean to whole milliseconds', () => {
    expect(stats(dispatchedAfter(1, 1, 2), 'today', now).responseTimes.dispatch.meanMs).toBe(1);
  });
});

describe('nearestRankPercentile', () => {
  it('takes the value at rank ⌈p/100 × n⌉', () => {
    const sorted = [15, 20, 35, 40, 50];
    expect([5, 30, 40, 50, 100].map((p) => nearestRankPercentile(sorted, p))).toEqual([15, 20, 20, 35, 50]);
    expect(nearestRankPercentile(sorted, 0)).toBe(15);
    expect(nearestRankPercentile([7], 90)).toBe(7);
    // Rank 4.1 → 5 and 27.9 → 28: always rounded up, never to the nearest.
    const oneToTen = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(nearestRankPercentile(oneToTen, 41)).toBe(5);
    expect(nearestRankPercentile(oneToTen, 50)).toBe(5);
    expect(nearestRankPercentile(oneToTen, 51)).toBe(6);
    expect(
      nearestRankPercentile(
        Array.from({ length: 31 }, (_, i) => i + 1),
        90,
      ),
    ).toBe(28);
    expect(nearestRankPercentile([], 50)).toBeNull();
  });
});

describe('closure-rate text', () => {
  it('writes the seeds’ figure the way their report does', () => {
    expect(formatClosureRate(27_216, 27_291)).toBe('27 216 / 27 291 = 99.7 %');
    expect(formatClosureRate(11_994, 12_104)).toBe('11 994 / 12 104 = 99.1 %');
  });

  it('never shows 100.0 % while something is unclosed', () => {
    expect(formatClosureRate(9_999, 10_000)).toBe('9 999 / 10 000 = 99.9 %');
    expect(formatClosureRate(5, 5)).toBe('5 / 5 = 100.0 %');
    expect(formatClosureRate(0, 3)).toBe('0 / 3 = 0.0 %');
  });

  it('groups thousands with a space', () => {
    expect([0, 999, 1000, 27_291, 1_234_567].map(formatCount)).toEqual(['0', '999', '1 000', '27 291', '1 234 567']);
  });
});

describe('the report on the wire', () => {
  it('is plain JSON that the shared schema reads back unchanged', () => {
    const t = at('2026-11-24T09:00:00+08:00');
    const report = stats(
      [incident(t), incident(t, { jurisdiction: null, state: 'received', assignedAt: null, closedAt: null })],
      '7d',
      at('2026-11-25T12:00:00+08:00'),
    );
    expect(IncidentStatistics.parse(JSON.parse(JSON.stringify(report)))).toEqual(report);
  });
});
