import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Incident, Unit } from '@beacon/shared';
import { pointAtStake } from '@beacon/server';
import { manualClock, nextEvent, startTestStack, type IngestSocket, type TestStack } from '../helpers/stack.ts';

const T0 = Date.parse('2026-11-25T22:10:00+08:00');

describe('crew reports from patrol terminals on /ingest', () => {
  let stack: TestStack;
  let terminal: IngestSocket;
  let incident: Incident;
  const clock = manualClock(T0);

  beforeEach(async () => {
    clock.set(T0);
    stack = await startTestStack({ clock });
    const { graph } = stack.app.roads;
    const at = (m: number) => {
      const [lon, lat] = pointAtStake(graph, { ref: 'SX1', m, direction: 'up' })!;
      return { lon, lat };
    };
    terminal = await stack.ingestSocket('CAR-P-01', 'patrol', { unitId: 'P-01' });
    const other = await stack.ingestSocket('CAR-P-02', 'patrol', { unitId: 'P-02' });
    expect(
      await terminal.emitWithAck('gps:reported', { eventId: 'g1', ts: T0, unitId: 'P-01', ...at(18_000) }),
    ).toEqual({ ok: true, data: { accepted: 1, duplicates: 0 } });
    await other.emitWithAck('gps:reported', { eventId: 'g1', ts: T0, unitId: 'P-02', ...at(12_000) });
    const camera = await stack.ingestSocket('cam-1', 'camera');
    await camera.emitWithAck('pedestrian:detected', { eventId: 'd1', ts: T0, ...at(20_000), confidence: 0.9 });
    await stack.settled();
    const desk = await stack.opsSocket();
    const snapshot = await desk.emitWithAck('situation:snapshot', {});
    if (!snapshot.ok) throw new Error(snapshot.error.message);
    incident = snapshot.data.incidents[0]!;
    expect(await desk.emitWithAck('dispatch:assign', { incidentId: incident.id, unitId: 'P-01' })).toMatchObject({
      ok: true,
    });
  });
  afterEach(async () => {
    await stack.stop();
  });

  it("lets a unit's own terminal report every step, and the wall sees each one", async () => {
    const wall = await stack.opsSocket();
    expect(await terminal.emitWithAck('device:info', {})).toEqual({
      ok: true,
      data: {
        deviceId: 'CAR-P-01',
        kind: 'patrol',
        unitId: 'P-01',
        stationId: null,
        createdAt: T0,
        revokedAt: null,
      },
    });

    const steps = [
      ['acknowledged', 'acknowledged', 'dispatched'],
      ['en_route', 'en_route', 'en_route'],
      ['on_scene', 'on_scene', 'on_scene'],
      ['cleared', 'returning', 'closed'],
    ] as const;
    for (const [report, unitStatus, incidentState] of steps) {
      clock.advance(1_000);
      const seen = nextEvent<Unit>(wall, 'unit:updated', (u) => u.id === 'P-01' && u.status === unitStatus);
      const ack = await terminal.emitWithAck('assignment:report', {
        unitId: 'P-01',
        incidentId: incident.id,
        status: report,
      });
      expect(ack).toMatchObject({
        ok: true,
        data: { unit: { status: unitStatus, statusSince: clock.now() }, incident: { state: incidentState } },
      });
      await seen;
    }

    const back = nextEvent<Unit>(wall, 'unit:updated', (u) => u.id === 'P-01' && u.status === 'available');
    expect(await terminal.emitWithAck('unit:report', { unitId: 'P-01', status: 'available' })).toMatchObject({
      ok: true,
      data: { unit: { status: 'available' } },
    });
    await back;
    expect(await terminal.emitWithAck('unit:report', { unitId: 'P-01', status: 'off_duty' })).toMatchObject({
      ok: true,
      data: { unit: { status: 'off_duty' } },
    });
    expect(await stack.redis.hget('beacon:unit:P-01', 'status')).toBe('off_duty');
  });

  it('refuses reports from any device but the unit’s own terminal (FORBIDDEN), and counts them', async () => {
    const otherTerminal = await stack.connectIngest({
      deviceId: 'CAR-P-02',
      key: await stack.provisionDevice('CAR-P-02', 'patrol', { unitId: 'P-02' }),
    });
    const gateway = await stack.ingestSocket('fleet-gw', 'patrol');
    const camera = await stack.ingestSocket('cam-2', 'camera');
    const report = { unitId: 'P-01', incidentId: incident.id, status: 'acknowledged' } as const;

    const refusals = await Promise.all([
      otherTerminal.emitWithAck('assignment:report', report),
      gateway.emitWithAck('assignment:report', report),
      camera.emitWithAck('assignment:report', report),
      otherTerminal.emitWithAck('unit:report', { unitId: 'P-01', status: 'off_duty' }),
      terminal.emitWithAck('unit:report', { unitId: 'P-02', status: 'off_duty' }),
    ]);
    expect(refusals.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual([
      'FORBIDDEN',
      'FORBIDDEN',
      'FORBIDDEN',
      'FORBIDDEN',
      'FORBIDDEN',
    ]);
    expect(refusals[0]).toMatchObject({ error: { message: 'device CAR-P-02 reports for unit P-02, not P-01' } });
    expect(refusals[1]).toMatchObject({ error: { message: expect.stringContaining('not bound to a unit') } });
    expect(await stack.redis.hget('beacon:unit:P-01', 'status')).toBe('dispatched');
    expect(await stack.redis.hget('beacon:unit:P-02', 'status')).toBe('available');
    expect(await stack.redis.hget('beacon:stats:rejected', 'FORBIDDEN')).toBe('5');

    // The schema is checked first; transitions are still the state machine's.
    expect(await terminal.emitWithAck('assignment:report', { ...report, status: 'parked' as 'cleared' })).toMatchObject(
      { ok: false, error: { code: 'INVALID' } },
    );
    expect(await terminal.emitWithAck('assignment:report', { ...report, status: 'cleared' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_TRANSITION' },
    });
    // The dispatcher's console may still act on the crew's behalf.
    const desk = await stack.opsSocket();
    expect(await desk.emitWithAck('assignment:report', report)).toMatchObject({
      ok: true,
      data: { unit: { status: 'acknowledged' } },
    });
  });
});
