import { describe, expect, it } from 'vitest';
import {
  ASSIGNMENT_REPORTS,
  DISPATCHABLE_STATUSES,
  UNIT_REPORTS,
  UNIT_STATUSES,
  isDispatchable,
  type UnitStatus,
} from '@beacon/shared';
import { assignmentTransition, unitTransition } from './transitions.ts';

/** The whole machine as edges: assignment (the dispatcher's move) and every crew report. */
function edges(): Map<UnitStatus, Set<UnitStatus>> {
  const next = new Map<UnitStatus, Set<UnitStatus>>(UNIT_STATUSES.map((s) => [s, new Set()]));
  for (const s of DISPATCHABLE_STATUSES) next.get(s)!.add('dispatched');
  for (const t of [...ASSIGNMENT_REPORTS.map(assignmentTransition), ...UNIT_REPORTS.map(unitTransition)]) {
    for (const s of t.from) next.get(s)!.add(t.unitStatus);
  }
  return next;
}

function reachableFrom(start: UnitStatus): Set<UnitStatus> {
  const graph = edges();
  const seen = new Set<UnitStatus>([start]);
  const queue = [start];
  while (queue.length > 0) {
    for (const n of graph.get(queue.shift()!)!) {
      if (!seen.has(n)) {
        seen.add(n);
        queue.push(n);
      }
    }
  }
  return seen;
}

describe('assignment transitions', () => {
  it('only lets a crew acknowledge a fresh dispatch', () => {
    expect(assignmentTransition('acknowledged').from).toEqual(['dispatched']);
  });

  it('never lets an unacknowledged dispatch be cleared', () => {
    expect(assignmentTransition('cleared').from).not.toContain('dispatched');
  });

  it('never goes back: each report moves to a status it cannot come from', () => {
    for (const report of ASSIGNMENT_REPORTS) {
      const t = assignmentTransition(report);
      expect(t.clears).toBe(report === 'cleared');
      expect(t.from).not.toContain(t.unitStatus);
    }
  });

  it('sends a cleared unit back as returning, free for a new job, and closes the incident', () => {
    expect(assignmentTransition('cleared')).toMatchObject({ unitStatus: 'returning', incidentState: 'closed' });
    expect(isDispatchable('returning')).toBe(true);
  });

  it('only accepts reports about an assignment from a unit that has one', () => {
    for (const report of ASSIGNMENT_REPORTS) {
      for (const from of assignmentTransition(report).from) {
        expect(['dispatched', 'acknowledged', 'en_route', 'on_scene']).toContain(from);
      }
    }
  });
});

describe('unit transitions', () => {
  it('puts a returning or signed-off unit back in service', () => {
    expect(unitTransition('available')).toEqual({ from: ['returning', 'off_duty'], unitStatus: 'available' });
  });

  it('lets a crew sign off only when it holds no incident', () => {
    expect(unitTransition('off_duty')).toEqual({ from: ['available', 'returning'], unitStatus: 'off_duty' });
    for (const busy of ['dispatched', 'acknowledged', 'en_route', 'on_scene'] as const) {
      expect(edges().get(busy)).not.toContain('off_duty');
    }
  });

  it('never offers or assigns a unit that is busy or off duty', () => {
    expect(UNIT_STATUSES.filter(isDispatchable)).toEqual(['available', 'returning']);
  });

  it('has no dead end: from every status a unit can get back to available and to off duty', () => {
    for (const status of UNIT_STATUSES) {
      const reachable = reachableFrom(status);
      expect(reachable, status).toContain('available');
      expect(reachable, status).toContain('off_duty');
      expect(reachable.size, status).toBe(UNIT_STATUSES.length);
    }
  });
});
