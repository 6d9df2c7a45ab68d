import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SLA_POLICY, type IncidentState, type Priority, type Supervision } from '@beacon/shared';
import { parseSlaPolicy } from './sla-policy.ts';
import { escalationTarget, evaluateSla, newBreaches, type SlaSubject } from './sla.ts';

const MIN = 60_000;
const T = Date.parse('2026-11-25T10:00:00+08:00');

function subject(priority: Priority, steps: Partial<SlaSubject> = {}): SlaSubject {
  return { priority, createdAt: T, assignedAt: null, arrivedAt: null, closedAt: null, endedAt: null, ...steps };
}

function supervision(kind: Supervision['kind']): Supervision {
  return { kind, at: T, dueAt: T, reason: 'test', escalatedTo: '520500', actor: 'rule:sla' };
}

describe('evaluateSla: dispatch timer', () => {
  it('runs from createdAt to the priority target while no unit is dispatched', () => {
    expect(evaluateSla(subject('P1'), DEFAULT_SLA_POLICY, T + 20_000).dispatch).toEqual({
      kind: 'dispatch',
      status: 'running',
      dueAt: T + MIN,
      metAt: null,
      breached: false,
      remainingMs: 40_000,
    });
  });

  it('is breached only once now is past dueAt', () => {
    expect(evaluateSla(subject('P1'), DEFAULT_SLA_POLICY, T + MIN).dispatch).toMatchObject({
      breached: false,
      remainingMs: 0,
    });
    expect(evaluateSla(subject('P1'), DEFAULT_SLA_POLICY, T + MIN + 1).dispatch).toMatchObject({
      status: 'running',
      breached: true,
      remainingMs: -1,
    });
  });

  it('is met on time by a dispatch exactly at dueAt, and late by one after it', () => {
    const onTime = evaluateSla(subject('P1', { assignedAt: T + MIN }), DEFAULT_SLA_POLICY, T + 5 * MIN);
    expect(onTime.dispatch).toEqual({
      kind: 'dispatch',
      status: 'met',
      dueAt: T + MIN,
      metAt: T + MIN,
      breached: false,
      remainingMs: 0,
    });
    const late = evaluateSla(subject('P1', { assignedAt: T + 61_000 }), DEFAULT_SLA_POLICY, T + 5 * MIN);
    expect(late.dispatch).toMatchObject({ status: 'met', metAt: T + 61_000, breached: true, remainingMs: -1000 });
  });

  it('uses each priority’s target', () => {
    const dueIn = (p: Priority) => evaluateSla(subject(p), DEFAULT_SLA_POLICY, T).dispatch!.dueAt - T;
    expect([dueIn('P1'), dueIn('P2'), dueIn('P3'), dueIn('P4')]).toEqual([MIN, 3 * MIN, 10 * MIN, 60 * MIN]);
  });
});

describe('evaluateSla: arrival and closure timers', () => {
  it('measures arrival from createdAt to arrivedAt and closure from createdAt to closedAt', () => {
    const incident = subject('P2', { assignedAt: T + 2 * MIN, arrivedAt: T + 25 * MIN, closedAt: T + 90 * MIN });
    const sla = evaluateSla(incident, DEFAULT_SLA_POLICY, T + 3 * 60 * MIN);
    expect(sla.dispatch).toMatchObject({ status: 'met', breached: false, remainingMs: MIN });
    expect(sla.arrival).toMatchObject({ status: 'met', dueAt: T + 20 * MIN, breached: true, remainingMs: -5 * MIN });
    expect(sla.closure).toMatchObject({ status: 'met', dueAt: T + 120 * MIN, breached: false, remainingMs: 30 * MIN });
  });

  it('has no arrival timer for a P4 work order', () => {
    const sla = evaluateSla(subject('P4'), DEFAULT_SLA_POLICY, T + 48 * 60 * MIN);
    expect(sla.arrival).toBeNull();
    expect(sla.closure).toMatchObject({ status: 'running', breached: true, remainingMs: -24 * 60 * MIN });
  });

  it('follows a policy override', () => {
    const policy = parseSlaPolicy('{"P4":{"arrivalMs":7200000}}');
    expect(evaluateSla(subject('P4'), policy, T).arrival).toMatchObject({ dueAt: T + 120 * MIN, status: 'running' });
  });

  it('stops the dispatch and arrival timers when the incident is closed without those steps', () => {
    // Dealt with on the phone within 5 minutes: no unit was needed, no deadline was missed.
    const quick = evaluateSla(subject('P2', { closedAt: T + 2 * MIN }), DEFAULT_SLA_POLICY, T + 60 * MIN);
    expect(quick.dispatch).toMatchObject({ status: 'stopped', metAt: null, breached: false, remainingMs: MIN });
    expect(quick.arrival).toMatchObject({ status: 'stopped', breached: false, remainingMs: 18 * MIN });
    expect(quick.closure).toMatchObject({ status: 'met', breached: false });
    // Closed after the dispatch deadline had already passed with nobody sent: that miss stands.
    const slow = evaluateSla(subject('P2', { closedAt: T + 30 * MIN }), DEFAULT_SLA_POLICY, T + 60 * MIN);
    expect(slow.dispatch).toMatchObject({ status: 'stopped', breached: true, remainingMs: -27 * MIN });
    expect(slow.arrival).toMatchObject({ status: 'stopped', breached: true, remainingMs: -10 * MIN });
  });
});

describe('evaluateSla: cancelled and merged incidents', () => {
  it('freezes every timer at endedAt', () => {
    const cancelled = subject('P1', { endedAt: T + 30_000 });
    for (const now of [T + MIN, T + 24 * 60 * MIN]) {
      const sla = evaluateSla(cancelled, DEFAULT_SLA_POLICY, now);
      expect(sla.dispatch).toMatchObject({ status: 'stopped', breached: false, remainingMs: 30_000 });
      expect(sla.arrival).toMatchObject({ status: 'stopped', breached: false, remainingMs: 10 * MIN - 30_000 });
      expect(sla.closure).toMatchObject({ status: 'stopped', breached: false, remainingMs: 60 * MIN - 30_000 });
    }
  });

  it('keeps a breach that happened before the incident ended', () => {
    const merged = subject('P1', { assignedAt: T + 30_000, endedAt: T + 15 * MIN });
    const sla = evaluateSla(merged, DEFAULT_SLA_POLICY, T + 24 * 60 * MIN);
    expect(sla.dispatch).toMatchObject({ status: 'met', breached: false });
    expect(sla.arrival).toMatchObject({ status: 'stopped', breached: true, remainingMs: -5 * MIN });
    expect(sla.closure).toMatchObject({ status: 'stopped', breached: false, remainingMs: 45 * MIN });
  });

  it('ignores a step stamped after the incident ended', () => {
    const sla = evaluateSla(subject('P1', { endedAt: T + 20_000, assignedAt: T + 50_000 }), DEFAULT_SLA_POLICY, T);
    expect(sla.dispatch).toMatchObject({ status: 'stopped', metAt: null, remainingMs: 40_000 });
  });
});

describe('evaluateSla: drills', () => {
  it('evaluates a drill incident like a live one', () => {
    const live = subject('P2', { assignedAt: T + 4 * MIN });
    const drill = { ...live, drillId: 'drill-2026-11' };
    expect(evaluateSla(drill, DEFAULT_SLA_POLICY, T + 30 * MIN)).toEqual(
      evaluateSla(live, DEFAULT_SLA_POLICY, T + 30 * MIN),
    );
  });
});

describe('newBreaches', () => {
  const open = (state: IncidentState, steps: Partial<SlaSubject>, supervisions: Supervision[] = []) => ({
    ...subject('P1', steps),
    state,
    supervisions,
  });

  it('returns nothing before any deadline', () => {
    expect(newBreaches(open('received', {}), DEFAULT_SLA_POLICY, T + MIN)).toEqual([]);
  });

  it('returns every breached timer without a 督办 of its kind', () => {
    expect(newBreaches(open('received', {}), DEFAULT_SLA_POLICY, T + 61 * MIN)).toEqual([
      'dispatch',
      'arrival',
      'closure',
    ]);
    const flagged = open('received', {}, [supervision('dispatch'), supervision('manual')]);
    expect(newBreaches(flagged, DEFAULT_SLA_POLICY, T + 61 * MIN)).toEqual(['arrival', 'closure']);
  });

  it('raises each deadline once: nothing new after all three were flagged', () => {
    const flagged = open('received', {}, [supervision('dispatch'), supervision('arrival'), supervision('closure')]);
    expect(newBreaches(flagged, DEFAULT_SLA_POLICY, T + 120 * MIN)).toEqual([]);
  });

  it('does not confuse a daily-cycle 督办 with an SLA one', () => {
    const flagged = open('received', {}, [supervision('daily_assign')]);
    expect(newBreaches(flagged, DEFAULT_SLA_POLICY, T + 2 * MIN)).toEqual(['dispatch']);
  });

  it('counts a step done late while the incident is still open', () => {
    const late = open('en_route', { assignedAt: T + 2 * MIN });
    expect(newBreaches(late, DEFAULT_SLA_POLICY, T + 3 * MIN)).toEqual(['dispatch']);
  });

  it('returns nothing for closed, cancelled or merged incidents', () => {
    for (const state of ['closed', 'feedback', 'cancelled', 'merged'] as const) {
      const ended = open(state, { closedAt: T + 3 * 60 * MIN, endedAt: T + 3 * 60 * MIN });
      expect(newBreaches(ended, DEFAULT_SLA_POLICY, T + 4 * 60 * MIN)).toEqual([]);
    }
  });
});

describe('escalationTarget', () => {
  const parentOf = (adcode: string) => (adcode.startsWith('5205') && adcode !== '520500' ? '520500' : null);

  it('goes to the level above the incident’s jurisdiction', () => {
    expect(escalationTarget('520521', parentOf)).toBe('520500');
  });

  it('is null at the top level and for an incident outside every jurisdiction', () => {
    expect(escalationTarget('520500', parentOf)).toBeNull();
    expect(escalationTarget(null, parentOf)).toBeNull();
  });

  it('works with the parents the Bijie region pack declares: every county escalates to the city', () => {
    const pack = JSON.parse(
      readFileSync(new URL('../../../regions/bijie/boundaries.geojson', import.meta.url), 'utf8'),
    ) as {
      features: { properties: { adcode: string; parent_adcode?: string } }[];
    };
    const parents = new Map(pack.features.map((f) => [f.properties.adcode, f.properties.parent_adcode ?? null]));
    // Only a level the pack knows can receive a 督办: the province (520000) is not in it.
    const packParentOf = (adcode: string) => {
      const parent = parents.get(adcode) ?? null;
      return parent !== null && parents.has(parent) ? parent : null;
    };
    const counties = ['520502', '520521', '520522', '520523', '520524', '520525', '520526', '520527'];
    expect(counties.map((c) => escalationTarget(c, packParentOf))).toEqual(counties.map(() => '520500'));
    expect(escalationTarget('520500', packParentOf)).toBeNull();
  });
});
