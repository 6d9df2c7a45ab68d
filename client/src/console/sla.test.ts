import { describe, expect, it } from 'vitest';
import { compareByUrgency, formatCountdown, nextSlaDeadline } from './sla.ts';
import { makeIncident } from '../testing/incident.ts';

const T0 = Date.parse('2026-11-25T10:00:00+08:00');
const MIN = 60_000;

describe('SLA countdowns of the queue', () => {
  it('races the soonest step not yet done, and goes negative once overdue', () => {
    const fresh = makeIncident({ priority: 'P1', state: 'received', createdAt: T0 });
    expect(nextSlaDeadline(fresh, T0 + 30_000)).toEqual({ kind: 'dispatch', dueAt: T0 + MIN, remainingMs: 30_000 });
    const dispatched = { ...fresh, state: 'dispatched' as const, assignedAt: T0 + 40_000 };
    expect(nextSlaDeadline(dispatched, T0 + 12 * MIN)).toMatchObject({ kind: 'arrival', remainingMs: -2 * MIN });
    const p4 = makeIncident({ priority: 'P4', state: 'dispatched', createdAt: T0, assignedAt: T0 });
    expect(nextSlaDeadline(p4, T0)).toMatchObject({ kind: 'closure', remainingMs: 24 * 60 * MIN });
    expect(nextSlaDeadline({ ...fresh, state: 'closed' }, T0)).toBeNull();
  });

  it('orders by priority, then by the time left', () => {
    const a = makeIncident({ id: 'A', priority: 'P2', createdAt: T0 });
    const b = makeIncident({ id: 'B', priority: 'P1', createdAt: T0 + 5 * MIN });
    const c = makeIncident({ id: 'C', priority: 'P2', createdAt: T0 - MIN });
    const ended = makeIncident({ id: 'D', priority: 'P1', state: 'closed', createdAt: T0 });
    const order = [a, b, c, ended].sort(compareByUrgency(T0 + 6 * MIN)).map((i) => i.id);
    expect(order).toEqual(['B', 'C', 'A', 'D']);
  });

  it('writes time left and time overdue', () => {
    expect(formatCountdown(65_000)).toBe('01:05');
    expect(formatCountdown(-150_000)).toBe('-02:30');
    expect(formatCountdown(3_725_000)).toBe('1:02:05');
  });
});
