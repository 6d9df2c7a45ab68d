import { describe, expect, it } from 'vitest';
import { DEFAULT_SLA_POLICY } from '@beacon/shared';
import { makeIncident } from '../testing/incident.ts';
import { DEFAULT_QUEUE_FILTER, filterQueue, incidentsCsvQuery } from './queue.ts';

const T0 = 1_800_000_000_000;
const within = (area: string, j: string | null) => j === area;

describe('the dispatcher queue', () => {
  const incidents = [
    makeIncident({ id: 'late', priority: 'P2', createdAt: T0 - 10 * 60_000, jurisdiction: '520521' }),
    makeIncident({ id: 'fresh', priority: 'P2', type: 'road_hazard', createdAt: T0, jurisdiction: '520502' }),
    makeIncident({ id: 'done', priority: 'P1', state: 'closed', createdAt: T0, jurisdiction: '520521' }),
  ];

  it('filters by state, type, area and overdue, most urgent first', () => {
    const ids = (f: Partial<typeof DEFAULT_QUEUE_FILTER>) =>
      filterQueue(incidents, { ...DEFAULT_QUEUE_FILTER, ...f }, T0, within).map((i) => i.id);
    expect(ids({})).toEqual(['late', 'fresh']);
    expect(ids({ state: 'all' })).toEqual(['late', 'fresh', 'done']);
    expect(ids({ type: 'road_hazard' })).toEqual(['fresh']);
    expect(ids({ area: '520521', state: 'all' })).toEqual(['late', 'done']);
    expect(ids({ overdue: true })).toEqual(['late']);
  });

  it('counts overdue against the server’s SLA policy when it has one', () => {
    // A center that gives P2 a 15-minute dispatch target: the 10-minute-old P2 is not late there.
    const relaxed = {
      ...DEFAULT_SLA_POLICY,
      P2: { ...DEFAULT_SLA_POLICY.P2, dispatchMs: 15 * 60_000 },
    };
    const late = (targets = DEFAULT_SLA_POLICY) =>
      filterQueue(incidents, { ...DEFAULT_QUEUE_FILTER, overdue: true }, T0, within, targets).map((i) => i.id);
    expect(late()).toEqual(['late']);
    expect(late(relaxed)).toEqual([]);
  });

  it('passes what the server can filter to the CSV export', () => {
    expect(incidentsCsvQuery(DEFAULT_QUEUE_FILTER)).toBe('?state=open');
    expect(incidentsCsvQuery({ ...DEFAULT_QUEUE_FILTER, state: 'all' })).toBe('');
    expect(incidentsCsvQuery({ ...DEFAULT_QUEUE_FILTER, area: '520521' })).toBe('?state=open&under=520521');
    expect(incidentsCsvQuery({ ...DEFAULT_QUEUE_FILTER, type: 'road_hazard', state: 'closed' })).toBe(
      '?type=road_hazard&state=closed',
    );
  });
});
