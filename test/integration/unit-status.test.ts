import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Incident, Unit } from '@beacon/shared';
import { matchToRoad, pointAtStake } from '@beacon/server';
import { manualClock, nextEvent, startTestStack, type OpsSocket, type TestStack } from '../helpers/stack.ts';

const T0 = Date.parse('2026-11-25T22:10:00+08:00');

/** Open an incident at a stake of SX1 (up) and return it once the pipeline has made it. */
async function openIncident(stack: TestStack, screen: OpsSocket, eventId: string, m: number): Promise<Incident> {
  const camera = await stack.ingestSocket(`cam-${eventId}`, 'camera');
  const [lon, lat] = pointAtStake(stack.app.roads.graph, { ref: 'SX1', m, direction: 'up' })!;
  const created = nextEvent<Incident>(screen, 'incident:created');
  const ack = await camera.emitWithAck('pedestrian:detected', {
    eventId,
    ts: stack.clock.now(),
    lon,
    lat,
    direction: 'up',
    confidence: 0.9,
  });
  expect(ack).toMatchObject({ ok: true });
  return created;
}

describe('unit status model: returning and off duty', () => {
  let stack: TestStack;
  const clock = manualClock(T0);

  beforeEach(async () => {
    clock.set(T0);
    stack = await startTestStack({ clock });
    const fleet = await stack.ingestSocket('fleet-gw', 'patrol');
    const { graph } = stack.app.roads;
    const at = (m: number) => {
      const point = pointAtStake(graph, { ref: 'SX1', m, direction: 'up' })!;
      const heading = matchToRoad(graph, point, { direction: 'up', motorwayOnly: true })!.edge.bearing;
      return { lon: point[0], lat: point[1], headingDeg: Math.round(heading) };
    };
    const seeded = await fleet.emitWithAck('ingest:batch', [
      { kind: 'gps', eventId: 'a', ts: T0, unitId: 'P-RET', ...at(18_000) },
      { kind: 'gps', eventId: 'b', ts: T0, unitId: 'P-OFF', ...at(19_000) },
      { kind: 'gps', eventId: 'c', ts: T0, unitId: 'P-AVL', ...at(10_000) },
    ]);
    expect(seeded).toMatchObject({ ok: true, data: { accepted: 3 } });
    await stack.settled();
  });
  afterEach(async () => {
    await stack.stop();
  });

  it('sends a cleared unit back as returning, recommends and assigns it again, and never an off-duty one', async () => {
    const desk = await stack.opsSocket();
    const wall = await stack.opsSocket();
    const first = await openIncident(stack, wall, 'walk-on-1', 20_000);
    expect(await desk.emitWithAck('dispatch:assign', { incidentId: first.id, unitId: 'P-RET' })).toMatchObject({
      ok: true,
    });
    await desk.emitWithAck('assignment:report', { unitId: 'P-RET', incidentId: first.id, status: 'on_scene' });

    clock.advance(5_000);
    const returning = nextEvent<Unit>(wall, 'unit:updated', (u) => u.id === 'P-RET' && u.status === 'returning');
    const cleared = await desk.emitWithAck('assignment:report', {
      unitId: 'P-RET',
      incidentId: first.id,
      status: 'cleared',
    });
    expect(cleared).toMatchObject({
      ok: true,
      data: {
        incident: { state: 'closed', closedAt: T0 + 5_000 },
        unit: { status: 'returning', incidentId: null, statusSince: T0 + 5_000 },
      },
    });
    await returning;
    expect(await stack.redis.hget('beacon:unit:P-RET', 'status')).toBe('returning');

    clock.advance(1_000);
    const signedOff = await desk.emitWithAck('unit:report', { unitId: 'P-OFF', status: 'off_duty' });
    expect(signedOff).toMatchObject({ ok: true, data: { unit: { status: 'off_duty', statusSince: T0 + 6_000 } } });

    const second = await openIncident(stack, wall, 'walk-on-2', 25_000);
    const rec = await desk.emitWithAck('dispatch:recommend', { incidentId: second.id });
    if (!rec.ok) throw new Error(rec.error.message);
    const offered = rec.data.candidates.map((c) => [c.unitId, c.status]);
    expect(offered).toContainEqual(['P-RET', 'returning']);
    expect(offered).toContainEqual(['P-AVL', 'available']);
    expect(offered.map(([id]) => id)).not.toContain('P-OFF');

    expect(await desk.emitWithAck('dispatch:assign', { incidentId: second.id, unitId: 'P-OFF' })).toMatchObject({
      ok: false,
      error: { code: 'UNIT_UNAVAILABLE' },
    });
    expect(await desk.emitWithAck('dispatch:assign', { incidentId: second.id, unitId: 'P-RET' })).toMatchObject({
      ok: true,
      data: {
        unit: { status: 'dispatched', incidentId: second.id },
        incident: { state: 'dispatched', unitId: 'P-RET' },
      },
    });

    // Back in service after signing off; an available unit can sign off again.
    expect(await desk.emitWithAck('unit:report', { unitId: 'P-OFF', status: 'available' })).toMatchObject({
      ok: true,
      data: { unit: { status: 'available' } },
    });
    expect(await desk.emitWithAck('unit:report', { unitId: 'P-OFF', status: 'off_duty' })).toMatchObject({
      ok: true,
      data: { unit: { status: 'off_duty' } },
    });
  });

  it('refuses reports that do not follow the unit status', async () => {
    const desk = await stack.opsSocket();
    const wall = await stack.opsSocket();
    const incident = await openIncident(stack, wall, 'walk-on-3', 20_000);
    await desk.emitWithAck('dispatch:assign', { incidentId: incident.id, unitId: 'P-AVL' });

    const refusals = await Promise.all([
      // A unit on a job can neither sign off nor declare itself free: it must clear first.
      desk.emitWithAck('unit:report', { unitId: 'P-AVL', status: 'off_duty' }),
      desk.emitWithAck('unit:report', { unitId: 'P-AVL', status: 'available' }),
      // Already available.
      desk.emitWithAck('unit:report', { unitId: 'P-RET', status: 'available' }),
      desk.emitWithAck('unit:report', { unitId: 'NOBODY', status: 'off_duty' }),
      desk.emitWithAck('unit:report', { unitId: 'P-RET', status: 'returning' as 'available' }),
      // `available` is not a report about an assignment.
      desk.emitWithAck('assignment:report', {
        unitId: 'P-AVL',
        incidentId: incident.id,
        status: 'available' as 'cleared',
      }),
    ]);
    expect(refusals.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual([
      'INVALID_TRANSITION',
      'INVALID_TRANSITION',
      'INVALID_TRANSITION',
      'NOT_FOUND',
      'INVALID',
      'INVALID',
    ]);
    expect(await stack.redis.hget('beacon:unit:P-AVL', 'status')).toBe('dispatched');
  });
});
