import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Snapshot, WeatherAlertChanged } from '@beacon/shared';
import { matchToRoad, pointAtStake } from '@beacon/server';
import { manualClock, startTestStack, type IngestSocket, type OpsSocket, type TestStack } from '../helpers/stack.ts';

const T0 = Date.parse('2026-11-25T05:00:00+08:00');
const MINUTE = 60_000;
/** WS-01 stands on SX1 at K14+173 (regions/bijie/sites.geojson). */
const STATION = 'WS-01';

describe('road-weather warnings end to end', () => {
  let stack: TestStack;
  /** A Redis kept across a restart, stopped after the test. */
  let keptRedis: TestStack['redisServer'] | null = null;
  const clock = manualClock(T0);

  beforeEach(async () => {
    clock.set(T0);
    stack = await startTestStack({ clock });
  });
  afterEach(async () => {
    await stack.stop();
    await keptRedis?.stop();
    keptRedis = null;
  });

  it('keeps each station’s recent readings for the wall’s trend charts, once per reading', async () => {
    const station = await stack.ingestSocket('ws-dev-01', 'weather', { stationId: STATION });
    for (let i = 0; i < 3; i += 1) {
      clock.advance(MINUTE);
      await station.emitWithAck('weather:observed', {
        eventId: `t${i}`,
        ts: clock.now(),
        stationId: STATION,
        visibilityM: 800 - i * 100,
        roadSurfaceTempC: 2 - i,
      });
    }
    await stack.settled();
    const wall = await stack.opsSocket({ role: 'viewer' });
    const reply = await wall.emitWithAck('weather:history', { stationIds: [STATION, 'WS-NONE'], sinceMs: T0 });
    if (!reply.ok) throw new Error(reply.error.message);
    expect(reply.data.stations[0]!.readings.map((r) => [r.visibilityM, r.roadSurfaceTempC])).toEqual([
      [800, 2],
      [700, 1],
      [600, 0],
    ]);
    expect(reply.data.stations[1]!.readings).toEqual([]);
    expect(await wall.emitWithAck('weather:history', { stationIds: [] })).toMatchObject({
      ok: false,
      error: { code: 'INVALID' },
    });
  });

  it('raises fog on persistence, controls the segment, slows drive times across it, then clears', async () => {
    const station = await stack.ingestSocket('ws-dev-01', 'weather', { stationId: STATION });
    const fleet = await stack.ingestSocket('fleet-gw', 'patrol');
    const camera = await stack.ingestSocket('cam-gw', 'camera');
    const screen: OpsSocket = await stack.opsSocket();
    const changes: WeatherAlertChanged[] = [];
    screen.on('alert:changed', (payload) => changes.push(payload));

    const { graph } = stack.app.roads;
    const on = (m: number) => {
      const point = pointAtStake(graph, { ref: 'SX1', m, direction: 'up' })!;
      const heading = matchToRoad(graph, point, { direction: 'up', motorwayOnly: true })!.edge.bearing;
      return { lon: point[0], lat: point[1], headingDeg: Math.round(heading * 10) / 10 };
    };
    // A unit at K3, an incident at K24 on the same carriageway: the route crosses K9+173–K19+173.
    let fix = 0;
    const placeUnit = async () => {
      fix += 1;
      await fleet.emitWithAck('gps:reported', { eventId: `g${fix}`, ts: clock.now(), unitId: 'P-01', ...on(3_000) });
    };
    await placeUnit();
    const incidentAt = on(24_000);
    await camera.emitWithAck('pedestrian:detected', {
      eventId: 'd1',
      ts: clock.now(),
      lon: incidentAt.lon,
      lat: incidentAt.lat,
      direction: 'up',
      confidence: 0.9,
    });
    await stack.settled();
    const snapshot = async (): Promise<Snapshot> => {
      const reply = await screen.emitWithAck('situation:snapshot', {});
      if (!reply.ok) throw new Error(reply.error.message);
      return reply.data;
    };
    const incidentId = (await snapshot()).incidents[0]!.id;
    const driveTime = async (): Promise<number> => {
      await placeUnit();
      await stack.settled();
      const reply = await screen.emitWithAck('dispatch:recommend', { incidentId });
      if (!reply.ok) throw new Error(reply.error.message);
      const candidate = reply.data.candidates.find((c) => c.unitId === 'P-01')!;
      expect(candidate.reason).toBe('same_carriageway');
      return candidate.driveTimeS!;
    };
    const before = await driveTime();

    let reading = 0;
    const send = async (s: IngestSocket, visibilityM: number) => {
      clock.advance(5 * MINUTE);
      reading += 1;
      const ack = await s.emitWithAck('weather:observed', {
        eventId: `w${reading}`,
        ts: clock.now(),
        stationId: STATION,
        visibilityM,
        airTempC: 4,
      });
      expect(ack).toMatchObject({ ok: true, data: { accepted: 1 } });
      await stack.settled();
    };

    // 800 m is clear; one reading at 150 m is not enough.
    await send(station, 800);
    await send(station, 150);
    expect((await snapshot()).weatherAlerts).toEqual([]);
    expect(changes).toEqual([]);

    // The second reading below 200 m raises orange (60 km/h, 100 m).
    await send(station, 150);
    await expect.poll(() => changes.length).toBe(1);
    expect(changes[0]).toMatchObject({
      stationId: STATION,
      change: { hazard: 'fog', from: null, to: 'orange', toStage: 'orange' },
      alert: { stationId: STATION, stages: [{ hazard: 'fog', level: 'orange' }] },
    });
    const orange = (await snapshot()).weatherAlerts;
    expect(orange).toHaveLength(1);
    expect(orange[0]).toMatchObject({
      stationId: STATION,
      ref: 'SX1',
      stakeM: 14_173,
      stages: [{ hazard: 'fog', level: 'orange', stageId: 'orange', since: clock.now() }],
      measure: { speedLimitKmh: 60, minGapM: 100, closed: false },
      controlLevel: '二级',
      segment: { ref: 'SX1', fromStakeM: 9_173, toStakeM: 19_173 },
    });
    expect(await stack.redis.hexists('beacon:alerts:active', STATION)).toBe(1);
    const slowed = await driveTime();
    expect(slowed).toBeGreaterThan(before + 60);

    // Below 50 m twice: red, the section is closed.
    await send(station, 40);
    await send(station, 40);
    await expect.poll(() => changes.length).toBe(2);
    expect(changes[1]!.change).toMatchObject({ from: 'orange', to: 'red' });
    const red = (await snapshot()).weatherAlerts[0]!;
    expect(red.measure).toMatchObject({ closed: true, speedLimitKmh: 20 });
    expect(await driveTime()).toBeGreaterThan(slowed);

    // Clearing takes five clear readings over at least ten minutes: four are not enough.
    for (let i = 0; i < 4; i += 1) await send(station, 1200);
    expect((await snapshot()).weatherAlerts[0]?.stages[0]?.level).toBe('red');
    await send(station, 1200);
    await expect.poll(() => changes.length).toBe(3);
    expect(changes[2]).toMatchObject({ change: { from: 'red', to: null, measure: null }, alert: null });
    expect((await snapshot()).weatherAlerts).toEqual([]);
    expect(await stack.redis.hexists('beacon:alerts:active', STATION)).toBe(0);
    expect(await driveTime()).toBe(before);

    // The state the next reading starts from is in Redis.
    const stored = await stack.redis.hget(`beacon:alerts:station:${STATION}`, 'state');
    expect(JSON.parse(stored!)).toMatchObject({ stationId: STATION, hazards: { fog: { stage: null } } });
  });

  it('restores the drive-time restrictions of warnings already up when the server restarts', async () => {
    const station = await stack.ingestSocket('ws-dev-01', 'weather', { stationId: STATION });
    for (let i = 0; i < 2; i += 1) {
      clock.advance(5 * MINUTE);
      await station.emitWithAck('weather:observed', {
        eventId: `w${i}`,
        ts: clock.now(),
        stationId: STATION,
        visibilityM: 150,
      });
    }
    await stack.settled();
    await expect.poll(() => stack.app.roads.restrictions().length).toBe(1);
    keptRedis = stack.redisServer;
    station.disconnect();
    await stack.app.close();
    stack.redis.disconnect();
    stack = await startTestStack({ clock, redisServer: keptRedis });
    expect(stack.app.roads.restrictions()).toEqual([
      { ref: 'SX1', fromStakeM: 9_173, toStakeM: 19_173, speedLimitKmh: 60, closed: false },
    ]);
  });

  it('applies readings of one station handled at the same time one after the other (compare-and-set)', async () => {
    const screen = await stack.opsSocket();
    const changes: WeatherAlertChanged[] = [];
    screen.on('alert:changed', (payload) => changes.push(payload));
    const reading = (i: number) => ({ eventId: `c${i}`, ts: T0 + i * MINUTE, stationId: 'WS-04', visibilityM: 150 });
    // Both read version 0; the second store conflicts, reads again and applies on top of the first.
    // (The app registers its scripts on the connection it was given, so the spy sees its calls.)
    const stores = vi.spyOn(stack.redis as unknown as { storeAlertState: () => Promise<unknown> }, 'storeAlertState');
    await Promise.all([stack.app.weatherAlerts.apply(reading(1)), stack.app.weatherAlerts.apply(reading(2))]);
    expect(stores).toHaveBeenCalledTimes(3);
    expect(await Promise.all(stores.mock.results.map((r) => r.value))).toEqual([1, 0, 1]);
    stores.mockRestore();
    expect(await stack.redis.hget('beacon:alerts:station:WS-04', 'v')).toBe('2');
    const state = JSON.parse((await stack.redis.hget('beacon:alerts:station:WS-04', 'state'))!);
    expect(state).toMatchObject({ lastTs: T0 + 2 * MINUTE, hazards: { fog: { stage: 'orange' } } });
    await expect.poll(() => changes.map((c) => c.change.toStage)).toEqual(['orange']);
  });
});
