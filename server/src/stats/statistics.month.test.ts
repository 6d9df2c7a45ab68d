import { describe, expect, it } from 'vitest';
import { DEFAULT_SLA_POLICY, type IncidentType, type Priority } from '@beacon/shared';
import { computeStatistics, type StatisticsSubject } from './statistics.ts';

/*
 * A month of incidents on a fully regular pattern; every expectation below is worked out by hand from it.
 *
 * Now is 2026-11-25 22:00 Beijing time. For each local day a = 0 (today) … 30 (a = 30 lies just outside the
 * 30-day window), and for each county i = 0 … 7 (in COUNTIES order), there are n = i + 1 + (a % 2) incidents,
 * j = 0 … n − 1, created at j:15 local time:
 *   priority  P1 for j = 0, 4, 8;  P2 for j = 1, 5;  P3 for j = 2, 6;  P4 for j = 3, 7
 *   type      traffic_accident for j ≤ 2, road_hazard otherwise
 *   state     j = 3 cancelled (10 min after creation, no dispatch), j = 5 still open (on scene),
 *             j = 1 feedback (closed and visited), every other j closed
 *   delays    dispatch P1 45 s, P2 2 min, P3 12 min (breaches 10 min), P4 30 min
 *             arrival  P1 8 min, P2 25 min (breaches 20 min), P3 40 min, P4 none
 *             closure  P1 50 min, P2 90 min, P3 9 h (breaches 8 h), P4 3 h
 *
 * How many incidents have a given j in one day (= counties with n > j):
 *   even day (n = 1 … 8, 36 in all):  j = 0…7 → 8, 7, 6, 5, 4, 3, 2, 1
 *   odd day  (n = 2 … 9, 44 in all):  j = 0…8 → 8, 8, 7, 6, 5, 4, 3, 2, 1
 * so per even / odd day: P1 8+4 = 12 / 8+5+1 = 14;  P2 7+3 = 10 / 8+4 = 12;  P3 6+2 = 8 / 7+3 = 10;
 * P4 5+1 = 6 / 6+2 = 8; cancelled (j = 3) 5 / 6; open (j = 5) 3 / 4; closed 36 − 8 = 28 / 44 − 10 = 34.
 * Today (a = 0) is even; the 7-day window (a = 0…6) has 4 even and 3 odd days; the 30-day window 15 and 15.
 *
 * Plus, none of which may count except the last: one drill a day at 10:00 (closed) and an open unassigned
 * drill today at 12:00; one incident a day at 11:00 merged into another; and one fresh P1 pedestrian call
 * today at 21:59:30, not yet dispatched, outside every county.
 */

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const NOW = Date.parse('2026-11-25T22:00:00+08:00');
const TODAY = Date.parse('2026-11-25T00:00:00+08:00');
const COUNTIES = ['520502', '520521', '520522', '520523', '520524', '520525', '520526', '520527'];

const PRIORITY_OF_J: Priority[] = ['P1', 'P2', 'P3', 'P4'];
const DISPATCH: Record<Priority, number> = { P1: 45_000, P2: 2 * MIN, P3: 12 * MIN, P4: 30 * MIN };
const ARRIVAL: Record<Priority, number | null> = { P1: 8 * MIN, P2: 25 * MIN, P3: 40 * MIN, P4: null };
const CLOSURE: Record<Priority, number> = { P1: 50 * MIN, P2: 90 * MIN, P3: 9 * HOUR, P4: 3 * HOUR };

function patternIncident(dayStart: number, county: string, j: number): StatisticsSubject {
  const createdAt = dayStart + j * HOUR + 15 * MIN;
  const priority = PRIORITY_OF_J[j % 4]!;
  const type: IncidentType = j <= 2 ? 'traffic_accident' : 'road_hazard';
  const base = { type, priority, jurisdiction: county, drillId: null, createdAt };
  if (j === 3) {
    return {
      ...base,
      state: 'cancelled',
      assignedAt: null,
      arrivedAt: null,
      closedAt: null,
      endedAt: createdAt + 10 * MIN,
    };
  }
  const arrival = ARRIVAL[priority];
  return {
    ...base,
    state: j === 5 ? 'on_scene' : j === 1 ? 'feedback' : 'closed',
    assignedAt: createdAt + DISPATCH[priority],
    arrivedAt: arrival === null ? null : createdAt + arrival,
    closedAt: j === 5 ? null : createdAt + CLOSURE[priority],
    endedAt: null,
  };
}

function monthOfIncidents(): StatisticsSubject[] {
  const incidents: StatisticsSubject[] = [];
  for (let a = 0; a <= 30; a++) {
    const dayStart = TODAY - a * DAY;
    COUNTIES.forEach((county, i) => {
      const n = i + 1 + (a % 2);
      for (let j = 0; j < n; j++) incidents.push(patternIncident(dayStart, county, j));
    });
    const at10 = dayStart + 10 * HOUR;
    incidents.push({
      type: 'traffic_accident',
      priority: 'P1',
      state: 'closed',
      jurisdiction: '520502',
      drillId: `drill-${a}`,
      createdAt: at10,
      assignedAt: at10 + 30_000,
      arrivedAt: at10 + 5 * MIN,
      closedAt: at10 + 30 * MIN,
      endedAt: null,
    });
    const at11 = dayStart + 11 * HOUR;
    incidents.push({
      type: 'traffic_accident',
      priority: 'P1',
      state: 'merged',
      jurisdiction: '520521',
      drillId: null,
      createdAt: at11,
      assignedAt: at11 + 30_000,
      arrivedAt: null,
      closedAt: null,
      endedAt: at11 + 5 * MIN,
    });
  }
  incidents.push({
    type: 'severe_weather',
    priority: 'P2',
    state: 'received',
    jurisdiction: '520526',
    drillId: 'drill-open',
    createdAt: TODAY + 12 * HOUR,
    assignedAt: null,
    arrivedAt: null,
    closedAt: null,
    endedAt: null,
  });
  incidents.push({
    type: 'pedestrian',
    priority: 'P1',
    state: 'received',
    jurisdiction: null,
    drillId: null,
    createdAt: NOW - 30_000,
    assignedAt: null,
    arrivedAt: null,
    closedAt: null,
    endedAt: null,
  });
  return incidents;
}

const incidents = monthOfIncidents();
const statsFor = (window: 'today' | '7d' | '30d') =>
  computeStatistics(incidents, { now: NOW, window, policy: DEFAULT_SLA_POLICY });
const group = (total: number, closed: number, cancelled: number, open: number, overdue: number) => ({
  total,
  closed,
  cancelled,
  open,
  closureRate: total - cancelled === 0 ? null : closed / (total - cancelled),
  overdue,
});

describe('a month of incidents', () => {
  it('generates the pattern as described', () => {
    // Days 0…30: 16 even, 15 odd; plus 31 drills + 1 open drill, 31 merged, 1 fresh call.
    expect(incidents).toHaveLength(16 * 36 + 15 * 44 + 31 + 1 + 31 + 1);
  });

  describe('today', () => {
    const s = statsFor('today');

    it('counts the day’s pattern plus the fresh call, without drills or merged incidents', () => {
      expect(s).toMatchObject({ total: 36 + 1, closed: 28, cancelled: 5, open: 3 + 1, overdue: 3 });
      expect(s.closureRate).toBe(28 / 32);
      expect(s.closureRateText).toBe('28 / 32 = 87.5 %');
    });

    it('measures dispatch times: 12 × 45 s, 10 × 2 min, 8 × 12 min, 1 × 30 min', () => {
      expect(s.responseTimes.dispatch).toMatchObject({
        count: 31,
        meanMs: ((12 * 45 + 10 * 120 + 8 * 720 + 1 * 1800) / 31) * 1000, // 9 300 s / 31 = 300 s
        p50Ms: 2 * MIN, // rank 16 of 31: ranks 13–22 are 2 min
        p90Ms: 12 * MIN, // rank 28: ranks 23–30 are 12 min
        maxMs: 30 * MIN,
      });
      expect(s.responseTimes.dispatch.meanMs).toBe(5 * MIN);
      // 30 min sits in 20–30 min: buckets include their upper bound.
      expect(s.responseTimes.dispatch.histogram.map((b) => b.count)).toEqual([12, 10, 0, 0, 8, 1, 0, 0]);
    });

    it('measures arrival times: 12 × 8 min, 10 × 25 min (the open ones arrived too), 8 × 40 min', () => {
      expect(s.responseTimes.arrival).toMatchObject({
        count: 30,
        meanMs: ((12 * 8 + 10 * 25 + 8 * 40) / 30) * MIN, // 666 / 30 = 22.2 min
        p50Ms: 25 * MIN, // rank 15
        p90Ms: 40 * MIN, // rank 27
        maxMs: 40 * MIN,
      });
      expect(s.responseTimes.arrival.histogram.map((b) => b.count)).toEqual([0, 0, 0, 12, 0, 10, 8, 0]);
    });

    it('measures closure times: 12 × 50 min, 7 × 90 min, 1 × 3 h, 8 × 9 h', () => {
      expect(s.responseTimes.closure).toMatchObject({
        count: 28,
        meanMs: Math.round(((12 * 50 + 7 * 90 + 1 * 180 + 8 * 540) * MIN) / 28), // 5 730 min / 28
        p50Ms: 90 * MIN, // rank 14: ranks 13–19 are 90 min
        p90Ms: 9 * HOUR, // rank 26: ranks 21–28 are 9 h
        maxMs: 9 * HOUR,
      });
      expect(s.responseTimes.closure.histogram.map((b) => b.count)).toEqual([0, 0, 0, 0, 0, 0, 12, 16]);
    });

    it('counts SLA breaches: P3 dispatches, P2 arrivals, P3 closures plus the 3 open P2s', () => {
      expect(s.slaBreaches).toEqual({ dispatch: 8, arrival: 10, closure: 8 + 3 });
    });

    it('breaks down by priority', () => {
      expect(s.byPriority).toEqual({
        P1: group(12 + 1, 12, 0, 1, 0),
        P2: group(10, 7, 0, 3, 3),
        P3: group(8, 8, 0, 0, 0),
        P4: group(6, 1, 5, 0, 0),
      });
    });

    it('breaks down by type', () => {
      expect(s.byType).toEqual({
        pedestrian: group(1, 0, 0, 1, 0),
        severe_weather: group(0, 0, 0, 0, 0),
        traffic_accident: group(8 + 7 + 6, 21, 0, 0, 0),
        illegal_operation: group(0, 0, 0, 0, 0),
        road_hazard: group(36 - 21, 7, 5, 3, 3),
        work_order: group(0, 0, 0, 0, 0),
      });
    });

    it('breaks down by county: county i has i + 1 incidents today, one cancelled from i = 3, one open from i = 5', () => {
      expect(s.byCounty).toEqual({
        '520502': group(1, 1, 0, 0, 0),
        '520521': group(2, 2, 0, 0, 0),
        '520522': group(3, 3, 0, 0, 0),
        '520523': group(4, 3, 1, 0, 0),
        '520524': group(5, 4, 1, 0, 0),
        '520525': group(6, 4, 1, 1, 1),
        '520526': group(7, 5, 1, 1, 1),
        '520527': group(8, 6, 1, 1, 1),
        unknown: group(1, 0, 0, 1, 0),
      });
      expect(s.byCounty['520527']!.closureRate).toBe(6 / 7);
      expect(s.byCounty.unknown!.closureRate).toBe(0);
    });

    it('counts today per hour against the mean hour of the 7 days before (4 odd days, 3 even)', () => {
      const today = Array.from({ length: 24 }, () => 0);
      [8, 7, 6, 5, 4, 3, 2, 1].forEach((n, h) => (today[h] = n));
      today[21] = 1; // the fresh call; drills (10:00) and merged incidents (11:00) are not there
      expect(s.hourly.today).toEqual(today);
      const previous = Array.from({ length: 24 }, () => 0);
      [4 * 8 + 3 * 8, 4 * 8 + 3 * 7, 4 * 7 + 3 * 6, 4 * 6 + 3 * 5, 4 * 5 + 3 * 4, 4 * 4 + 3 * 3, 4 * 3 + 3 * 2]
        .concat([4 * 2 + 3 * 1, 4 * 1 + 3 * 0])
        .forEach((n, h) => (previous[h] = n / 7));
      expect(s.hourly.previous7DayAverage).toEqual(previous);
      expect(s.hourly.previous7DayAverage[0]).toBe(8);
    });
  });

  describe('last 7 days', () => {
    const s = statsFor('7d');

    it('counts 4 even and 3 odd days plus the fresh call', () => {
      expect(s).toMatchObject({
        total: 4 * 36 + 3 * 44 + 1,
        closed: 4 * 28 + 3 * 34,
        cancelled: 4 * 5 + 3 * 6,
        open: 4 * 3 + 3 * 4 + 1,
        overdue: 4 * 3 + 3 * 4,
      });
      expect(s.closureRate).toBe(214 / 239);
      expect(s.closureRateText).toBe('214 / 239 = 89.5 %');
    });

    it('measures dispatch times: 90 P1, 76 P2, 62 P3, 10 P4', () => {
      expect(s.responseTimes.dispatch).toMatchObject({
        count: 90 + 76 + 62 + 10,
        meanMs: Math.round(((90 * 45 + 76 * 120 + 62 * 720 + 10 * 1800) / 238) * 1000),
        p50Ms: 2 * MIN, // rank 119: P2 holds ranks 91–166
        p90Ms: 12 * MIN, // rank 215: P3 holds ranks 167–228
        maxMs: 30 * MIN,
      });
    });

    it('counts SLA breaches', () => {
      expect(s.slaBreaches).toEqual({ dispatch: 62, arrival: 76, closure: 62 + 24 });
    });

    it('breaks down by priority', () => {
      expect(s.byPriority).toEqual({
        P1: group(4 * 12 + 3 * 14 + 1, 90, 0, 1, 0),
        P2: group(76, 76 - 24, 0, 24, 24),
        P3: group(62, 62, 0, 0, 0),
        P4: group(4 * 6 + 3 * 8, 4 * 1 + 3 * 2, 38, 0, 0),
      });
    });
  });

  describe('last 30 days', () => {
    const s = statsFor('30d');

    it('counts 15 even and 15 odd days plus the fresh call, not day 30', () => {
      expect(s).toMatchObject({
        total: 15 * 36 + 15 * 44 + 1,
        closed: 15 * 28 + 15 * 34,
        cancelled: 15 * 5 + 15 * 6,
        open: 15 * 3 + 15 * 4 + 1,
        overdue: 15 * 3 + 15 * 4,
      });
      expect(s.closureRate).toBe(930 / 1036);
      expect(s.closureRateText).toBe('930 / 1 036 = 89.8 %');
    });

    it('measures dispatch times: 390 P1, 330 P2, 270 P3, 45 P4', () => {
      expect(s.responseTimes.dispatch).toMatchObject({
        count: 1035,
        meanMs: Math.round(((390 * 45 + 330 * 120 + 270 * 720 + 45 * 1800) / 1035) * 1000),
        p50Ms: 2 * MIN, // rank 518: P2 holds ranks 391–720
        p90Ms: 12 * MIN, // rank 932: P3 holds ranks 721–990
        maxMs: 30 * MIN,
      });
      expect(s.responseTimes.dispatch.histogram.map((b) => b.count)).toEqual([390, 330, 0, 0, 270, 45, 0, 0]);
    });

    it('measures closure times: 390 × 50 min, 225 × 90 min, 45 × 3 h, 270 × 9 h', () => {
      expect(s.responseTimes.closure).toMatchObject({
        count: 930,
        p50Ms: 90 * MIN, // rank 465: 90 min holds ranks 391–615
        p90Ms: 9 * HOUR, // rank 837: 9 h holds ranks 661–930
        maxMs: 9 * HOUR,
      });
    });

    it('counts SLA breaches', () => {
      expect(s.slaBreaches).toEqual({ dispatch: 270, arrival: 330, closure: 270 + 105 });
    });

    it('breaks down by priority and type', () => {
      expect(s.byPriority).toEqual({
        P1: group(390 + 1, 390, 0, 1, 0),
        P2: group(330, 225, 0, 105, 105),
        P3: group(270, 270, 0, 0, 0),
        P4: group(15 * 6 + 15 * 8, 45, 165, 0, 0),
      });
      expect(s.byType.traffic_accident).toEqual(group(15 * 21 + 15 * 23, 660, 0, 0, 0));
      expect(s.byType.road_hazard).toEqual(group(1200 - 660, 270, 165, 105, 105));
      expect(s.byType.road_hazard.closureRate).toBe(0.72);
    });

    it('breaks down by county', () => {
      // 七星关区 (i = 0): 1 incident on even days, 2 on odd days, all closed.
      expect(s.byCounty['520502']).toEqual(group(15 * 1 + 15 * 2, 45, 0, 0, 0));
      // 赫章县 (i = 7): 8 / 9 a day, one cancelled and one open each day.
      expect(s.byCounty['520527']).toEqual(group(15 * 8 + 15 * 9, 15 * 6 + 15 * 7, 30, 30, 30));
      expect(Object.keys(s.byCounty)).toEqual([...COUNTIES, 'unknown']);
    });
  });
});
