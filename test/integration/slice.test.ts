import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Incident, Snapshot, Unit } from '@beacon/shared';
import { matchToRoad, pointAtStake } from '@beacon/server';
import { manualClock, nextEvent, startTestStack, type TestStack } from '../helpers/stack.ts';

/** The actor of the test stack's default sign-in (an admin of the whole region). */
const ADMIN = 'user:test-admin-520500';
const T0 = Date.parse('2026-11-25T22:10:00+08:00');
const INCIDENT_AT = { lon: 105.3, lat: 27.3 };

describe('thin slice: device → Redis → incident → dispatch → patrol', () => {
  let stack: TestStack;
  const clock = manualClock(T0);

  beforeEach(async () => {
    clock.set(T0);
    stack = await startTestStack({ clock });
  });
  afterEach(async () => {
    await stack.stop();
  });

  it('turns GPS and a pedestrian detection into units and an incident that screens receive', async () => {
    const car = await stack.ingestSocket('car-P-01', 'patrol', { unitId: 'P-01' });
    const device = await stack.ingestSocket('cam-1', 'camera');
    const screen = await stack.opsSocket();

    const unitSeen = nextEvent<Unit>(screen, 'unit:updated', (u) => u.id === 'P-01');
    const fix = await car.emitWithAck('gps:reported', {
      eventId: 'g1',
      ts: T0,
      unitId: 'P-01',
      lon: 105.31,
      lat: 27.3,
      speedKmh: 80,
      headingDeg: 90,
    });
    expect(fix).toEqual({ ok: true, data: { accepted: 1, duplicates: 0 } });
    expect((await unitSeen).status).toBe('available');

    const created = nextEvent<Incident>(screen, 'incident:created');
    const detection = await device.emitWithAck('pedestrian:detected', {
      eventId: 'd1',
      ts: new Date(T0).toISOString(),
      ...INCIDENT_AT,
      confidence: 0.93,
      cameraId: 'cam-1',
      direction: 'up',
    });
    expect(detection).toEqual({ ok: true, data: { accepted: 1, duplicates: 0 } });
    const incident = await created;
    expect(incident).toMatchObject({
      type: 'pedestrian',
      priority: 'P2',
      state: 'received',
      detections: 1,
      cameraId: 'cam-1',
    });
    expect(incident.id).toBe('INC-20261125-0001');

    // What was acknowledged is in Redis: the raw event in the ingest stream, the state in hashes.
    const stream = await stack.redis.xrange('beacon:ingest', '-', '+');
    expect(stream.map(([, fields]) => fields[1])).toEqual(['gps', 'pedestrian']);
    expect(await stack.redis.hget(`beacon:incident:${incident.id}`, 'state')).toBe('received');
    expect(await stack.redis.geopos('beacon:units:geo', 'P-01')).toHaveLength(1);
  });

  it('treats a repeated eventId as a duplicate and folds a second camera into the same incident', async () => {
    const cam1 = await stack.ingestSocket('cam-1', 'camera');
    const cam2 = await stack.ingestSocket('cam-2', 'camera');
    const first = { eventId: 'd1', ts: T0, ...INCIDENT_AT, confidence: 0.9 };
    expect(await cam1.emitWithAck('pedestrian:detected', first)).toMatchObject({ ok: true, data: { accepted: 1 } });
    expect(await cam1.emitWithAck('pedestrian:detected', first)).toEqual({
      ok: true,
      data: { accepted: 0, duplicates: 1 },
    });
    clock.advance(30_000);
    await cam2.emitWithAck('pedestrian:detected', { ...first, ts: T0 + 30_000, lon: INCIDENT_AT.lon + 0.001 });
    await stack.settled();

    const snapshot = (await (await stack.opsSocket()).emitWithAck('situation:snapshot', {})) as {
      ok: true;
      data: Snapshot;
    };
    expect(snapshot.data.incidents).toHaveLength(1);
    expect(snapshot.data.incidents[0]?.detections).toBe(2);
  });

  it('recommends units by drive time, assigns one atomically and follows the crew to clearance', async () => {
    const fleet = await stack.ingestSocket('fleet-gw', 'patrol');
    const camera = await stack.ingestSocket('cam-gw', 'camera');
    const { graph } = stack.app.roads;
    const on = (m: number, direction: 'up' | 'down') => {
      const point = pointAtStake(graph, { ref: 'SX1', m, direction })!;
      const heading = matchToRoad(graph, point, { direction, motorwayOnly: true })!.edge.bearing;
      return { lon: point[0], lat: point[1], headingDeg: Math.round(heading * 10) / 10 };
    };
    await fleet.emitWithAck('ingest:batch', [
      { kind: 'gps', eventId: 'a', ts: T0, unitId: 'P-FAR', ...on(20_300, 'down') },
      { kind: 'gps', eventId: 'b', ts: T0, unitId: 'P-NEAR', ...on(18_000, 'up') },
      { kind: 'gps', eventId: 'c', ts: T0, unitId: 'P-MID', ...on(14_000, 'up') },
    ]);
    const incidentAt = on(20_000, 'up');
    await camera.emitWithAck('ingest:batch', [
      {
        kind: 'pedestrian',
        eventId: 'd',
        ts: T0,
        lon: incidentAt.lon,
        lat: incidentAt.lat,
        direction: 'up',
        confidence: 0.8,
      },
    ]);
    await stack.settled();
    const consoleA = await stack.opsSocket();
    const consoleB = await stack.opsSocket();
    const snap = await consoleA.emitWithAck('situation:snapshot', {});
    if (!snap.ok) throw new Error('snapshot failed');
    const incidentId = snap.data.incidents[0]!.id;

    const rec = await consoleA.emitWithAck('dispatch:recommend', { incidentId });
    if (!rec.ok) throw new Error(rec.error.message);
    expect(snap.data.incidents[0]!.stake).toBe('SX1 K20+000 上行');
    expect(snap.data.units.find((u) => u.id === 'P-NEAR')?.stake).toBe('SX1 K18+000 上行');
    expect(snap.data.units.find((u) => u.id === 'P-FAR')?.stake).toBe('SX1 K20+300 下行');
    const ranked = rec.data.candidates.map((c) => c.unitId);
    expect(ranked[0]).toBe('P-NEAR');
    expect(ranked.indexOf('P-FAR')).toBeGreaterThan(0);
    expect(rec.data.candidates[0]).toMatchObject({ reason: 'same_carriageway', approximate: false });
    expect(rec.data.candidates[0]!.roadDistanceM).toBeGreaterThan(1900);
    expect(rec.data.candidates[0]!.roadDistanceM).toBeLessThan(2100);
    expect(rec.data.candidates.find((c) => c.unitId === 'P-FAR')).toMatchObject({ reason: 'opposite_carriageway' });

    // Two dispatchers click at once: exactly one wins.
    const [a, b] = await Promise.all([
      consoleA.emitWithAck('dispatch:assign', { incidentId, unitId: 'P-NEAR' }),
      consoleB.emitWithAck('dispatch:assign', { incidentId, unitId: 'P-MID' }),
    ]);
    const outcomes = [a, b].map((r) => (r.ok ? 'ok' : r.error.code)).sort();
    expect(outcomes).toEqual(['CONFLICT', 'ok']);
    // The winning assignment is in the audit trail, with who and when; the refused one is not.
    const audit = (await stack.redis.xrange('beacon:audit', '-', '+')) as [string, string[]][];
    expect(audit.map(([, f]) => [f[1], f[3], Number(f[5])]).filter(([action]) => action !== 'incident:create')).toEqual(
      [['dispatch:assign', ADMIN, T0]],
    );

    // The winner's drive was worked out at dispatch and kept for its patrol terminal.
    const assigned = a.ok ? 'P-NEAR' : 'P-MID';
    const given = await consoleB.emitWithAck('assignment:route', { incidentId });
    if (!given.ok || !given.data.assignment) throw new Error('no assignment route');
    expect(given.data.assignment).toMatchObject({
      incidentId,
      unitId: assigned,
      computedAt: T0,
      reason: 'same_carriageway',
      approximate: false,
    });
    const route = given.data.assignment.route!;
    const unitAt = rec.data.candidates.find((c) => c.unitId === assigned)!.route!;
    expect(route[0]).toEqual(unitAt[0]);
    expect(route.at(-1)).toEqual(unitAt.at(-1));
    expect(await consoleB.emitWithAck('assignment:route', { incidentId: 'INC-NOPE' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });

    // One unit, two incidents, two dispatchers: exactly one wins; the other is told the unit is gone.
    const elsewhere = on(40_000, 'down');
    await camera.emitWithAck('pedestrian:detected', {
      eventId: 'd2',
      ts: T0,
      lon: elsewhere.lon,
      lat: elsewhere.lat,
      confidence: 0.9,
    });
    await stack.settled();
    const second = (await consoleA.emitWithAck('situation:snapshot', {})) as { ok: true; data: Snapshot };
    const otherId = second.data.incidents.find((i) => i.id !== incidentId)!.id;
    expect(await consoleA.emitWithAck('assignment:route', { incidentId: otherId })).toEqual({
      ok: true,
      data: { assignment: null },
    });
    const loser = a.ok ? 'P-MID' : 'P-NEAR';
    const [x, y] = await Promise.all([
      consoleA.emitWithAck('dispatch:assign', { incidentId: otherId, unitId: a.ok ? 'P-NEAR' : 'P-MID' }),
      consoleB.emitWithAck('dispatch:assign', { incidentId: otherId, unitId: loser }),
    ]);
    expect([x, y].map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(['UNIT_UNAVAILABLE', 'ok']);
    const winner = a.ok ? 'P-NEAR' : 'P-MID';

    const wall = await stack.opsSocket();
    const seenOnWall = nextEvent<Unit>(wall, 'unit:updated', (u) => u.id === winner && u.status === 'acknowledged');
    const ack = await consoleA.emitWithAck('assignment:report', { unitId: winner, incidentId, status: 'acknowledged' });
    expect(ack).toMatchObject({
      ok: true,
      data: { incident: { state: 'dispatched', acknowledgedAt: T0 }, unit: { status: 'acknowledged' } },
    });
    await seenOnWall;

    // The same unit cannot be offered or assigned elsewhere while busy.
    const rec2 = await consoleA.emitWithAck('dispatch:recommend', { incidentId });
    if (!rec2.ok) throw new Error(rec2.error.message);
    expect(rec2.data.candidates.map((c) => c.unitId)).not.toContain(winner);

    const back = await consoleA.emitWithAck('assignment:report', {
      unitId: winner,
      incidentId,
      status: 'acknowledged',
    });
    expect(back).toMatchObject({ ok: false, error: { code: 'INVALID_TRANSITION' } });

    await consoleA.emitWithAck('assignment:report', { unitId: winner, incidentId, status: 'on_scene' });
    const cleared = await consoleA.emitWithAck('assignment:report', { unitId: winner, incidentId, status: 'cleared' });
    expect(cleared).toMatchObject({
      ok: true,
      data: { incident: { state: 'closed' }, unit: { status: 'returning', incidentId: null } },
    });
  });

  it('moves units in batches per tick and ignores fixes older than the last one', async () => {
    const device = await stack.ingestSocket('gps-gw', 'patrol');
    await device.emitWithAck('gps:reported', { eventId: 'f1', ts: T0, unitId: 'P-01', lon: 105.0, lat: 27.0 });
    await stack.settled();
    const wall = await stack.opsSocket();
    const moved = nextEvent<{ positions: { id: string; lon: number }[] }>(wall, 'units:moved');
    await device.emitWithAck('gps:reported', { eventId: 'f2', ts: T0 + 2000, unitId: 'P-01', lon: 105.01, lat: 27.0 });
    await device.emitWithAck('gps:reported', { eventId: 'f3', ts: T0 + 1000, unitId: 'P-01', lon: 104.0, lat: 27.0 });
    await stack.settled();
    const batch = await moved;
    expect(batch.positions).toEqual([expect.objectContaining({ id: 'P-01', lon: 105.01 })]);
    expect(await stack.redis.hget('beacon:unit:P-01', 'lon')).toBe('105.01');
  });
});
