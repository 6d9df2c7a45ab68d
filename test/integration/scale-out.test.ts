import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FeedHealthSummary, Incident, Unit, UnitPosition } from '@beacon/shared';
import { groupCaughtUp } from '@beacon/server';
import { manualClock, nextEvent, startTestStack, type OpsSocket, type TestStack } from '../helpers/stack.ts';

const T0 = Date.parse('2026-11-25T22:10:00+08:00');

/** Every event a screen receives, in arrival order. */
function record(screen: OpsSocket): { event: string; payload: unknown }[] {
  const seen: { event: string; payload: unknown }[] = [];
  screen.onAny((event: string, payload: unknown) => seen.push({ event, payload }));
  return seen;
}

/**
 * Two server nodes on two ports sharing one Redis, as `pnpm start --nodes 2` or two processes with the same
 * REDIS_URL run them. Each node has its own Socket.IO server, cluster adapter connection and rules worker.
 */
describe('scale-out: two server nodes on one Redis', () => {
  const clock = manualClock(T0);
  let a: TestStack;
  let b: TestStack;

  beforeEach(async () => {
    clock.set(T0);
    // A long health-push interval: the test pushes by hand, so the timer never adds a push of its own.
    const config = { healthPushMs: 60_000, pipelineClaimIdleMs: 200, nodeId: 'node-a' };
    a = await startTestStack({ clock, config });
    b = await startTestStack({ clock, config: { ...config, nodeId: 'node-b' }, redisServer: a.redisServer });
  });
  afterEach(async () => {
    await b.stop();
    await a.stop();
  });

  /** Put units on the map through node B's ingest. */
  async function placeUnits(ids: string[]): Promise<void> {
    const gateway = await b.ingestSocket('fleet-gw', 'patrol');
    const items = ids.map((unitId, i) => ({
      kind: 'gps' as const,
      eventId: `fix-${unitId}`,
      ts: T0,
      unitId,
      lon: 105.3 + i * 0.01,
      lat: 27.3,
    }));
    expect(await gateway.emitWithAck('ingest:batch', items)).toMatchObject({ ok: true });
    await a.settled();
  }

  /**
   * A marker published by each node (a unit going off duty through that node's `/ops`), awaited on every
   * screen. A node's broadcasts reach a screen in the order the node sent them, so once both markers
   * arrived, everything either node published before them has arrived too: counts are final.
   */
  async function barrier(screens: OpsSocket[]): Promise<void> {
    const seen = Promise.all(
      screens.flatMap((screen) =>
        ['MK-A', 'MK-B'].map((id) =>
          nextEvent<Unit>(screen, 'unit:updated', (u) => u.id === id && u.status === 'off_duty'),
        ),
      ),
    );
    const onA = await a.opsSocket();
    const onB = await b.opsSocket();
    expect(await onA.emitWithAck('unit:report', { unitId: 'MK-A', status: 'off_duty' })).toMatchObject({ ok: true });
    expect(await onB.emitWithAck('unit:report', { unitId: 'MK-B', status: 'off_duty' })).toMatchObject({ ok: true });
    await seen;
  }

  it('names each node by its own consumer in the rules group', () => {
    expect(a.app.nodeId).toBe('node-a');
    expect(b.app.nodeId).toBe('node-b');
    expect(a.app.worker.consumer).toBe('node-a');
    expect(b.app.worker.consumer).toBe('node-b');
  });

  it('shows a screen on node A, exactly once, the incident from a detection ingested on node B', async () => {
    await placeUnits(['MK-A', 'MK-B']);
    const screenA = await a.opsSocket();
    const screenB = await b.opsSocket();
    const onA = record(screenA);
    const onB = record(screenB);
    const createdOnA = nextEvent<Incident>(screenA, 'incident:created');

    const camera = await b.ingestSocket('cam-b', 'camera');
    expect(
      await camera.emitWithAck('pedestrian:detected', {
        eventId: 'd1',
        ts: T0,
        lon: 105.5,
        lat: 27.1,
        confidence: 0.9,
      }),
    ).toMatchObject({ ok: true, data: { accepted: 1 } });
    const incident = await createdOnA;
    expect(incident).toMatchObject({ type: 'pedestrian', state: 'received', detections: 1 });
    await a.settled();

    await barrier([screenA, screenB]);
    for (const seen of [onA, onB]) {
      const created = seen.filter((e) => e.event === 'incident:created' && (e.payload as Incident).id === incident.id);
      expect(created).toHaveLength(1);
    }
  });

  it('sends each unit position to screens on both nodes, exactly once', async () => {
    await placeUnits(['MK-A', 'MK-B', 'GO-1']);
    const screenA = await a.opsSocket();
    const screenB = await b.opsSocket();
    const onA = record(screenA);
    const onB = record(screenB);
    const moved = (screen: OpsSocket) =>
      nextEvent<{ positions: UnitPosition[] }>(screen, 'units:moved', (m) => m.positions.some((p) => p.id === 'GO-1'));
    const movedOnA = moved(screenA);
    const movedOnB = moved(screenB);

    const car = await a.ingestSocket('car-go-1', 'patrol', { unitId: 'GO-1' });
    clock.advance(1000);
    expect(
      await car.emitWithAck('gps:reported', { eventId: 'go-1', ts: T0 + 1000, unitId: 'GO-1', lon: 105.4, lat: 27.2 }),
    ).toMatchObject({ ok: true });
    await Promise.all([movedOnA, movedOnB]);

    await barrier([screenA, screenB]);
    const positionsOf = (seen: typeof onA) =>
      seen
        .filter((e) => e.event === 'units:moved')
        .flatMap((e) => (e.payload as { positions: UnitPosition[] }).positions)
        .filter((p) => p.id === 'GO-1');
    expect(positionsOf(onA)).toHaveLength(1);
    expect(positionsOf(onB)).toHaveLength(1);
  });

  it('pushes feed health to each screen once, from the node it is connected to', async () => {
    await placeUnits(['MK-A', 'MK-B']);
    const screenA = await a.opsSocket();
    const first = await nextEvent<FeedHealthSummary>(screenA, 'health:updated');
    const screenB = await b.opsSocket();
    await nextEvent<FeedHealthSummary>(screenB, 'health:updated');
    const onA = record(screenA);
    const onB = record(screenB);

    await a.provisionDevice('new-cam', 'camera');
    await a.app.healthPush.pushIfChanged();
    await b.app.healthPush.pushIfChanged();
    await barrier([screenA, screenB]);

    for (const seen of [onA, onB]) {
      const pushes = seen
        .filter((e) => e.event === 'health:updated')
        .map((e) => e.payload as FeedHealthSummary)
        .filter((s) => s.devicesTotal === first.devicesTotal + 1);
      expect(pushes).toHaveLength(1);
    }
  });

  it('refuses on node B an assignment of the unit that node A already assigned', async () => {
    await placeUnits(['U-1']);
    const cam = await a.ingestSocket('cam-x', 'camera');
    for (const [i, lon] of [105.2, 105.8].entries()) {
      await cam.emitWithAck('pedestrian:detected', { eventId: `p${i}`, ts: T0, lon, lat: 27.3, confidence: 0.9 });
    }
    await a.settled();
    const consoleA = await a.opsSocket();
    const consoleB = await b.opsSocket();
    const snapshot = (await consoleA.emitWithAck('situation:snapshot', {})) as { data: { incidents: Incident[] } };
    const [first, second] = snapshot.data.incidents;
    expect(second).toBeDefined();

    const unitSeenOnB = nextEvent<Unit>(consoleB, 'unit:updated', (u) => u.id === 'U-1' && u.status === 'dispatched');
    expect(await consoleA.emitWithAck('dispatch:assign', { incidentId: first!.id, unitId: 'U-1' })).toMatchObject({
      ok: true,
    });
    await unitSeenOnB;
    expect(await consoleB.emitWithAck('dispatch:assign', { incidentId: second!.id, unitId: 'U-1' })).toMatchObject({
      ok: false,
      error: { code: 'UNIT_UNAVAILABLE' },
    });
  });

  it('splits the ingest stream between both nodes’ rules workers, each entry projected once', async () => {
    const car = await a.ingestSocket('car-split', 'patrol', { unitId: 'SP-1' });
    const before = { a: a.app.worker.counts().projected, b: b.app.worker.counts().projected };
    let sent = 0;
    // Two workers block on the group; Redis hands each new entry to the one waiting longest.
    while (sent < 200) {
      sent += 1;
      const ack = await car.emitWithAck('gps:reported', {
        eventId: `s${sent}`,
        ts: T0 + sent,
        unitId: 'SP-1',
        lon: 105.3,
        lat: 27.3,
      });
      expect(ack).toMatchObject({ ok: true, data: { accepted: 1 } });
      await a.settled();
      const byA = a.app.worker.counts().projected - before.a;
      const byB = b.app.worker.counts().projected - before.b;
      expect(byA + byB).toBe(sent);
      if (byA > 0 && byB > 0 && sent >= 4) break;
    }
    expect(a.app.worker.counts().projected - before.a).toBeGreaterThan(0);
    expect(b.app.worker.counts().projected - before.b).toBeGreaterThan(0);
  });

  it('lets a live node claim (XAUTOCLAIM) what a dead worker had read but not finished', async () => {
    const screenA = await a.opsSocket();
    const createdOnA = nextEvent<Incident>(screenA, 'incident:created');
    // No live worker while the events arrive, so that only the dying consumer reads them.
    await a.app.worker.stop();
    await b.app.worker.stop();
    const camera = await a.ingestSocket('cam-dead', 'camera');
    expect(
      await camera.emitWithAck('pedestrian:detected', {
        eventId: 'dd',
        ts: T0,
        lon: 105.6,
        lat: 27.4,
        confidence: 0.9,
      }),
    ).toMatchObject({ ok: true });
    // A worker that read the entry through the group, then died before acknowledging it.
    const read = (await a.redis.xreadgroup(
      'GROUP',
      'rules',
      'dead-node',
      'COUNT',
      10,
      'STREAMS',
      'beacon:ingest',
      '>',
    )) as [string, [string, string[]][]][] | null;
    expect(read?.[0]?.[1]).toHaveLength(1);
    expect(await groupCaughtUp(a.redis, 'beacon:ingest', 'rules')).toBe(false);

    await b.app.worker.start();
    await b.settled();
    expect(b.app.worker.counts().claimed).toBe(1);
    const consumers = (await a.redis.xinfo('CONSUMERS', 'beacon:ingest', 'rules')) as unknown[][];
    const dead = consumers.find((c) => c[c.indexOf('name') + 1] === 'dead-node')!;
    expect(dead[dead.indexOf('pending') + 1]).toBe(0);
    expect((await createdOnA).detections).toBe(1);
  });
});
