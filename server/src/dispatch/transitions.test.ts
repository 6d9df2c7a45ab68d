import { describe, expect, it } from 'vitest';
import { ASSIGNMENT_REPORTS } from '@beacon/shared';
import { assignmentTransition } from './transitions.ts';

describe('assignment transitions', () => {
  it('only lets a crew acknowledge a fresh dispatch', () => {
    expect(assignmentTransition('acknowledged').from).toEqual(['dispatched']);
  });

  it('never lets an unacknowledged dispatch be cleared', () => {
    expect(assignmentTransition('cleared').from).not.toContain('dispatched');
  });

  it('frees the unit and closes the incident only on clearance', () => {
    for (const report of ASSIGNMENT_REPORTS) {
      const t = assignmentTransition(report);
      expect(t.clears).toBe(report === 'cleared');
      expect(t.from).not.toContain(t.unitStatus);
    }
    expect(assignmentTransition('cleared')).toMatchObject({ unitStatus: 'available', incidentState: 'closed' });
  });
});
