import { describe, expect, it } from 'vitest';
import type { IncidentState, Supervision } from '@beacon/shared';
import { dailyDeadlines, dailyOverdue, newDailyBreaches, type DailySubject } from './daily-cycle.ts';

const at = (iso: string) => Date.parse(iso);
const MIN = 60_000;
const HOUR = 60 * MIN;

describe('dailyDeadlines', () => {
  it('puts an item received before 09:00 into that day’s cycle', () => {
    expect(dailyDeadlines(at('2026-11-25T08:59:59+08:00'))).toEqual({
      assignBy: at('2026-11-25T09:00:00+08:00'),
      closeBy: at('2026-11-25T21:00:00+08:00'),
    });
    expect(dailyDeadlines(at('2026-11-25T08:59:59.999+08:00')).assignBy).toBe(at('2026-11-25T09:00:00+08:00'));
  });

  it('puts an item received at or after 09:00 into the next day’s cycle', () => {
    const next = { assignBy: at('2026-11-26T09:00:00+08:00'), closeBy: at('2026-11-26T21:00:00+08:00') };
    expect(dailyDeadlines(at('2026-11-25T09:00:00+08:00'))).toEqual(next);
    expect(dailyDeadlines(at('2026-11-25T21:00:00+08:00'))).toEqual(next);
    expect(dailyDeadlines(at('2026-11-25T23:59:59.999+08:00'))).toEqual(next);
  });

  it('judges the cut-off in Beijing time, not UTC', () => {
    // 00:59:59 UTC is 08:59:59 in Beijing; 01:00:00 UTC is 09:00:00.
    expect(dailyDeadlines(at('2026-11-25T00:59:59Z')).assignBy).toBe(at('2026-11-25T01:00:00Z'));
    expect(dailyDeadlines(at('2026-11-25T01:00:00Z')).assignBy).toBe(at('2026-11-26T01:00:00Z'));
  });

  it('treats both sides of local midnight as the same cycle', () => {
    // 16:00 UTC is local midnight: still "the 24th" in UTC, already the 25th in Beijing.
    const cycle = { assignBy: at('2026-11-25T09:00:00+08:00'), closeBy: at('2026-11-25T21:00:00+08:00') };
    expect(dailyDeadlines(at('2026-11-24T23:59:59.999+08:00'))).toEqual(cycle);
    expect(dailyDeadlines(at('2026-11-25T00:00:00+08:00'))).toEqual(cycle);
    expect(dailyDeadlines(at('2026-11-24T15:59:59Z'))).toEqual(cycle);
    expect(dailyDeadlines(at('2026-11-24T16:00:00Z'))).toEqual(cycle);
  });

  it('crosses the month and the year', () => {
    expect(dailyDeadlines(at('2026-12-31T10:00:00+08:00'))).toEqual({
      assignBy: at('2027-01-01T09:00:00+08:00'),
      closeBy: at('2027-01-01T21:00:00+08:00'),
    });
  });
});

function item(createdAt: string, steps: Partial<DailySubject> = {}): DailySubject {
  return { state: 'received', drillId: null, createdAt: at(createdAt), assignedAt: null, closedAt: null, ...steps };
}

describe('dailyOverdue', () => {
  it('lists an item not assigned by 09:00, with by how much', () => {
    const early = item('2026-11-25T07:00:00+08:00');
    expect(dailyOverdue([early], at('2026-11-25T10:30:00+08:00'))).toEqual([
      {
        incident: early,
        missed: [{ kind: 'daily_assign', dueAt: at('2026-11-25T09:00:00+08:00'), overdueMs: 90 * MIN }],
        overdueMs: 90 * MIN,
      },
    ]);
  });

  it('is not overdue exactly at the deadline', () => {
    expect(dailyOverdue([item('2026-11-25T07:00:00+08:00')], at('2026-11-25T09:00:00+08:00'))).toEqual([]);
  });

  it('does not list an item received after the cut-off until the next morning', () => {
    const late = item('2026-11-25T09:00:00+08:00');
    expect(dailyOverdue([late], at('2026-11-25T23:00:00+08:00'))).toEqual([]);
    expect(dailyOverdue([late], at('2026-11-26T09:00:01+08:00'))[0]?.missed).toEqual([
      { kind: 'daily_assign', dueAt: at('2026-11-26T09:00:00+08:00'), overdueMs: 1000 },
    ]);
  });

  it('lists both deadlines of an item neither assigned nor closed by 21:00', () => {
    const [row] = dailyOverdue([item('2026-11-25T08:00:00+08:00')], at('2026-11-25T22:00:00+08:00'));
    expect(row?.missed).toEqual([
      { kind: 'daily_assign', dueAt: at('2026-11-25T09:00:00+08:00'), overdueMs: 13 * HOUR },
      { kind: 'daily_close', dueAt: at('2026-11-25T21:00:00+08:00'), overdueMs: 1 * HOUR },
    ]);
    expect(row?.overdueMs).toBe(13 * HOUR);
  });

  it('drops the assignment once the item is assigned, even late; closing is still owed', () => {
    const assignedLate = item('2026-11-25T08:00:00+08:00', {
      state: 'dispatched',
      assignedAt: at('2026-11-25T09:30:00+08:00'),
    });
    expect(dailyOverdue([assignedLate], at('2026-11-25T12:00:00+08:00'))).toEqual([]);
    expect(dailyOverdue([assignedLate], at('2026-11-25T21:30:00+08:00'))[0]?.missed).toEqual([
      { kind: 'daily_close', dueAt: at('2026-11-25T21:00:00+08:00'), overdueMs: 30 * MIN },
    ]);
  });

  it('leaves out drills and items that are closed, cancelled or merged', () => {
    const now = at('2026-11-26T12:00:00+08:00');
    const created = '2026-11-25T08:00:00+08:00';
    const left: DailySubject[] = [
      item(created, { drillId: 'drill-1' }),
      ...(['closed', 'feedback', 'cancelled', 'merged'] as const).map((state) => item(created, { state })),
    ];
    expect(dailyOverdue(left, now)).toEqual([]);
  });

  it('sorts the most overdue first, then the oldest', () => {
    const now = at('2026-11-25T12:00:00+08:00');
    const a = item('2026-11-25T08:00:00+08:00'); // 3 h past 09:00
    const b = item('2026-11-24T08:00:00+08:00', { state: 'handling', assignedAt: at('2026-11-24T08:10:00+08:00') }); // 15 h past 21:00 yesterday
    const c = item('2026-11-25T02:00:00+08:00'); // 3 h past 09:00 too, but older than a
    const d = item('2026-11-25T10:00:00+08:00'); // next cycle: not overdue
    expect(dailyOverdue([a, b, c, d], now).map((row) => row.incident)).toEqual([b, c, a]);
  });
});

describe('newDailyBreaches', () => {
  const flag = (kind: Supervision['kind']): Supervision => ({
    kind,
    at: 0,
    dueAt: 0,
    reason: 'test',
    escalatedTo: null,
    actor: 'rule:daily-cycle',
  });
  const open = (state: IncidentState, steps: Partial<DailySubject>, supervisions: Supervision[] = []) => ({
    ...item('2026-11-25T08:00:00+08:00', { state, ...steps }),
    supervisions,
  });

  it('returns nothing before 09:00', () => {
    expect(newDailyBreaches(open('received', {}), at('2026-11-25T08:59:59+08:00'))).toEqual([]);
  });

  it('returns each missed deadline without a 督办 of its kind', () => {
    const now = at('2026-11-25T21:00:01+08:00');
    expect(newDailyBreaches(open('received', {}), now)).toEqual(['daily_assign', 'daily_close']);
    expect(newDailyBreaches(open('received', {}, [flag('daily_assign'), flag('dispatch')]), now)).toEqual([
      'daily_close',
    ]);
    expect(newDailyBreaches(open('received', {}, [flag('daily_assign'), flag('daily_close')]), now)).toEqual([]);
  });

  it('counts an assignment made after 09:00 while the item is open', () => {
    const late = open('dispatched', { assignedAt: at('2026-11-25T09:05:00+08:00') });
    expect(newDailyBreaches(late, at('2026-11-25T10:00:00+08:00'))).toEqual(['daily_assign']);
    const onTime = open('dispatched', { assignedAt: at('2026-11-25T09:00:00+08:00') });
    expect(newDailyBreaches(onTime, at('2026-11-25T10:00:00+08:00'))).toEqual([]);
  });

  it('treats drills like any other item and gives nothing for ended ones', () => {
    const now = at('2026-11-25T10:00:00+08:00');
    expect(newDailyBreaches(open('received', { drillId: 'drill-1' }), now)).toEqual(['daily_assign']);
    expect(newDailyBreaches(open('cancelled', {}), now)).toEqual([]);
    expect(newDailyBreaches(open('closed', { closedAt: now }), now)).toEqual([]);
  });
});
