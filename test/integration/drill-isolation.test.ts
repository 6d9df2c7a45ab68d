import { afterEach, describe, expect, it } from 'vitest';
import type { Ack, Incident } from '@beacon/shared';
import { startRedisServer } from '../../scripts/lib/redis-server.ts';
import { manualClock, startTestStack, type TestStack } from '../helpers/stack.ts';

const T0 = Date.parse('2026-11-25T22:00:00+08:00');
const AT = { lon: 105.606, lat: 27.147 };

function data<T>(ack: Ack<T>): T {
  if (!ack.ok) throw new Error(`${ack.error.code}: ${ack.error.message}`);
  return ack.data;
}

describe('a drill beside live traffic', () => {
  const stacks: TestStack[] = [];
  let redisServer: Awaited<ReturnType<typeof startRedisServer>> | null = null;
  afterEach(async () => {
    for (const stack of stacks.splice(0)) await stack.stop();
    await redisServer?.stop();
    redisServer = null;
  });

  it('keeps drill incidents, units and statistics away from live screens, and live units away from drills', async () => {
    const clock = manualClock(T0);
    redisServer = await startRedisServer();
    const live = await startTestStack({ clock, redisServer });
    const drill = await startTestStack({ clock, redisServer, config: { drillId: 'D-1' } });
    stacks.push(drill, live);

    const liveWall = await live.opsSocket();
    const seenOnLive: Incident[] = [];
    liveWall.on('incident:created', (i) => seenOnLive.push(i));

    const liveFleet = await live.ingestSocket('fleet', 'patrol');
    await liveFleet.emitWithAck('gps:reported', { eventId: 'g1', ts: T0, unitId: 'P-LIVE', ...AT });
    const liveCamera = await live.ingestSocket('cam', 'camera');
    await liveCamera.emitWithAck('pedestrian:detected', { eventId: 'p1', ts: T0, ...AT, confidence: 0.9 });
    await live.settled();
    const liveBefore = data(await liveWall.emitWithAck('incidents:statistics', { window: 'today' }));
    const liveSnapshotBefore = data(await liveWall.emitWithAck('situation:snapshot', {}));

    // The drill runs through its own devices and server, on the same Redis.
    const drillFleet = await drill.ingestSocket('fleet', 'patrol');
    await drillFleet.emitWithAck('gps:reported', { eventId: 'g1', ts: T0, unitId: 'P-DRILL', ...AT });
    const drillCamera = await drill.ingestSocket('cam', 'camera');
    for (let i = 0; i < 3; i += 1) {
      await drillCamera.emitWithAck('pedestrian:detected', {
        eventId: `p${i}`,
        ts: T0,
        lon: AT.lon + i * 0.05,
        lat: AT.lat,
        confidence: 0.9,
      });
    }
    await drill.settled();
    const drillOps = await drill.opsSocket();
    const drillSnapshot = data(await drillOps.emitWithAck('situation:snapshot', {}));
    expect(drillSnapshot.drillId).toBe('D-1');
    expect(drillSnapshot.incidents).toHaveLength(3);
    expect(drillSnapshot.incidents.every((i) => i.drillId === 'D-1')).toBe(true);
    expect(drillSnapshot.units.map((u) => [u.id, u.drillId])).toEqual([['P-DRILL', 'D-1']]);
    expect(data(await drillOps.emitWithAck('incidents:statistics', { window: 'today' })).total).toBe(3);

    // Live screens, statistics and dispatch are unchanged.
    const liveAfter = data(await liveWall.emitWithAck('incidents:statistics', { window: 'today' }));
    expect(liveAfter).toEqual(liveBefore);
    expect(liveAfter.total).toBe(1);
    const liveSnapshotAfter = data(await liveWall.emitWithAck('situation:snapshot', {}));
    expect(liveSnapshotAfter.incidents).toEqual(liveSnapshotBefore.incidents);
    expect(liveSnapshotAfter.units.map((u) => u.id)).toEqual(['P-LIVE']);
    expect(liveSnapshotAfter.drillId).toBeNull();
    expect(seenOnLive).toHaveLength(1);

    // A live unit cannot be sent to a drill incident, nor a drill unit to a live one.
    const drillIncident = drillSnapshot.incidents[0]!.id;
    expect(
      await drillOps.emitWithAck('dispatch:assign', { incidentId: drillIncident, unitId: 'P-LIVE' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    const liveIncident = liveSnapshotAfter.incidents[0]!.id;
    expect(
      await liveWall.emitWithAck('dispatch:assign', { incidentId: liveIncident, unitId: 'P-DRILL' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    // Both keep their own key space.
    expect(await live.redis.exists('beacon:drill:D-1:incidents')).toBe(1);
    expect(await live.redis.zcard('beacon:incidents')).toBe(1);
  });
});
