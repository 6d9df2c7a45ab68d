import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FeedHealthReport, FeedHealthSummary, Incident, WeatherObservedInput } from '@beacon/shared';
import { manualClock, nextEvent, startTestStack, type OpsSocket, type TestStack } from '../helpers/stack.ts';

const T0 = Date.parse('2026-11-25T03:00:00+08:00');
const MIN = 60_000;

async function healthReport(socket: OpsSocket): Promise<FeedHealthReport> {
  const response = await socket.emitWithAck('health:snapshot', {});
  if (!response.ok) throw new Error(response.error.message);
  return response.data;
}

describe('feed health with real Redis and real clients', () => {
  let stack: TestStack;
  let restarted: TestStack | undefined;
  const clock = manualClock(T0);

  beforeEach(async () => {
    clock.set(T0);
    restarted = undefined;
    stack = await startTestStack({ clock, config: { healthPushMs: 50 } });
  });
  afterEach(async () => {
    await restarted?.stop();
    await stack.stop();
  });

  it('flags a weather station that repeats one reading for 30 minutes, keeps the flag across a restart, and clears it', async () => {
    const gateway = await stack.ingestSocket('wx-gw', 'weather');
    const wall = await stack.opsSocket();
    const frozen = {
      stationId: 'WS-07',
      airTempC: -1.5,
      roadSurfaceTempC: -2.1,
      visibilityM: 800,
      roadSurfaceState: 'ice' as const,
    };
    const lively = (i: number): WeatherObservedInput => ({
      eventId: `ok-${i}`,
      ts: clock.now(),
      stationId: 'WS-08',
      airTempC: i / 10,
    });
    const send = async (reading: WeatherObservedInput) => {
      expect(await gateway.emitWithAck('weather:observed', reading)).toMatchObject({ ok: true, data: { accepted: 1 } });
    };

    // Six identical readings five minutes apart span 25 minutes: not yet stuck.
    for (let i = 0; i < 6; i += 1) {
      await send({ eventId: `wx-${i}`, ts: clock.now(), ...frozen });
      await send(lively(i));
      clock.advance(5 * MIN);
    }
    await stack.settled();
    let report = await healthReport(wall);
    expect(report.stations.find((s) => s.stationId === 'WS-07')).toMatchObject({
      deviceId: 'wx-gw',
      sameSince: T0,
      identicalReadings: 6,
      stuck: false,
    });

    // The seventh, 30 minutes after the first, makes it stuck; the station beside it that varies is not.
    const pushed = nextEvent<FeedHealthSummary>(wall, 'health:updated', (s) => s.stationsStuck === 1);
    await send({ eventId: 'wx-6', ts: clock.now(), ...frozen });
    await send(lively(6));
    await stack.settled();
    expect((await pushed).thresholds.stuckAfterMs).toBe(30 * MIN);
    report = await healthReport(wall);
    expect(report.stations.map((s) => [s.stationId, s.stuck])).toEqual([
      ['WS-07', true],
      ['WS-08', false],
    ]);

    // Nothing of this lives in the server: a fresh server on the same Redis reports the same.
    await stack.app.close();
    restarted = await startTestStack({ clock, redisServer: stack.redisServer });
    const afterRestart = await (await restarted.opsSocket()).emitWithAck('health:snapshot', {});
    expect(afterRestart).toMatchObject({ ok: true, data: { summary: { stationsStuck: 1 } } });
    const http = (await (
      await fetch(`${restarted.baseUrl}/api/v1/health/feeds`, { headers: await restarted.authHeaders() })
    ).json()) as {
      ok: true;
      data: FeedHealthReport;
    };
    expect(http.data.stations.find((s) => s.stationId === 'WS-07')?.stuck).toBe(true);

    // The first different reading clears it.
    const gateway2 = await restarted.ingestSocket('wx-gw', 'weather');
    clock.advance(5 * MIN);
    await gateway2.emitWithAck('weather:observed', { eventId: 'wx-7', ts: clock.now(), ...frozen, airTempC: -1.4 });
    await restarted.settled();
    const cleared = await (await restarted.opsSocket()).emitWithAck('health:snapshot', {});
    if (!cleared.ok) throw new Error(cleared.error.message);
    expect(cleared.data.summary.stationsStuck).toBe(0);
    expect(cleared.data.stations.find((s) => s.stationId === 'WS-07')).toMatchObject({ identicalReadings: 1 });
  });

  it('flags a patrol whose GPS goes quiet as lost signal and stops recommending it until it reports again', async () => {
    const near = await stack.ingestSocket('car-P-NEAR', 'patrol', { unitId: 'P-NEAR' });
    const far = await stack.ingestSocket('car-P-FAR', 'patrol', { unitId: 'P-FAR' });
    const camera = await stack.ingestSocket('cam-1', 'camera');
    const dispatcher = await stack.opsSocket();
    const fix = (unitId: string, lon: number, eventId: string) => ({
      eventId,
      ts: clock.now(),
      unitId,
      lon,
      lat: 27.3,
      speedKmh: 0,
    });

    await near.emitWithAck('gps:reported', fix('P-NEAR', 105.31, 'n1'));
    await far.emitWithAck('gps:reported', fix('P-FAR', 105.5, 'f1'));
    const created = nextEvent<Incident>(dispatcher, 'incident:created');
    await camera.emitWithAck('pedestrian:detected', {
      eventId: 'd1',
      ts: clock.now(),
      lon: 105.3,
      lat: 27.3,
      confidence: 0.9,
    });
    const incident = await created;
    await stack.settled();
    const recommend = async () => {
      const response = await dispatcher.emitWithAck('dispatch:recommend', { incidentId: incident.id });
      if (!response.ok) throw new Error(response.error.message);
      return response.data.candidates.map((c) => c.unitId);
    };
    expect(await recommend()).toEqual(['P-NEAR', 'P-FAR']);

    // The far car keeps reporting; the near one falls silent for just over a minute.
    const lost = nextEvent<FeedHealthSummary>(dispatcher, 'health:updated', (s) => s.unitsLostSignal === 1);
    clock.advance(30_000);
    await far.emitWithAck('gps:reported', fix('P-FAR', 105.5, 'f2'));
    clock.advance(31_000);
    await far.emitWithAck('gps:reported', fix('P-FAR', 105.5, 'f3'));
    await stack.settled();

    expect(await recommend()).toEqual(['P-FAR']);
    expect((await lost).thresholds.lostSignalAfterMs).toBe(60_000);
    const report = await healthReport(dispatcher);
    expect(report.units.map((u) => [u.unitId, u.lostSignal])).toEqual([
      ['P-FAR', false],
      ['P-NEAR', true],
    ]);
    expect(report.devices.find((d) => d.deviceId === 'car-P-NEAR')).toMatchObject({ accepted: 1, quiet: false });

    // A new fix brings it back.
    await near.emitWithAck('gps:reported', fix('P-NEAR', 105.31, 'n2'));
    await stack.settled();
    expect(await recommend()).toEqual(['P-NEAR', 'P-FAR']);
    expect((await healthReport(dispatcher)).summary.unitsLostSignal).toBe(0);
  });

  it('stores a fix that jumps faster than 250 km/h but flags the unit', async () => {
    const car = await stack.ingestSocket('car-P-03', 'patrol', { unitId: 'P-03' });
    const wall = await stack.opsSocket();
    const send = (eventId: string, lon: number) =>
      car.emitWithAck('gps:reported', { eventId, ts: clock.now(), unitId: 'P-03', lon, lat: 27.3 });

    await send('j1', 105.0);
    clock.advance(60_000);
    await send('j2', 105.02); // ≈ 2 km in a minute: 120 km/h
    await stack.settled();
    expect((await healthReport(wall)).units[0]).toMatchObject({ unitId: 'P-03', jumps: 0, jumpFlagged: false });

    const flagged = nextEvent<FeedHealthSummary>(wall, 'health:updated', (s) => s.unitsJumpFlagged === 1);
    clock.advance(60_000);
    await send('j3', 105.22); // ≈ 20 km in a minute
    await stack.settled();
    await flagged;
    const unit = (await healthReport(wall)).units[0]!;
    expect(unit).toMatchObject({ jumps: 1, jumpFlagged: true, lastJump: { at: clock.now(), to: { lon: 105.22 } } });
    expect(unit.lastJump!.speedKmh).toBeGreaterThan(1000);
    expect(unit.lastJump!.from).toMatchObject({ lon: 105.02, ts: clock.now() - 60_000 });
    // Not silently dropped: the unit moved there.
    expect(await stack.redis.hget('beacon:unit:P-03', 'lon')).toBe('105.22');

    // Plausible driving from there on adds no jump; the flag wears off after ten minutes.
    clock.advance(60_000);
    await send('j4', 105.24);
    await stack.settled();
    expect((await healthReport(wall)).units[0]).toMatchObject({ jumps: 1, jumpFlagged: true });
    clock.advance(10 * MIN);
    expect((await healthReport(wall)).units[0]).toMatchObject({ jumps: 1, jumpFlagged: false });
  });

  it('counts events and rejections per device over the last minute, and calls a silent device quiet', async () => {
    const fleet = await stack.ingestSocket('fleet-gw', 'patrol');
    await stack.ingestSocket('idle-cam', 'camera');
    // U-0's terminal says nothing until it has a dispatch to answer; its car's GPS comes through the gateway.
    await stack.ingestSocket('term-U-0', 'patrol', { unitId: 'U-0' });
    const wall = await stack.opsSocket();
    const batch = Array.from({ length: 5 }, (_, i) => ({
      kind: 'gps' as const,
      eventId: `b${i}`,
      ts: clock.now(),
      unitId: `U-${i}`,
      lon: 105 + i / 100,
      lat: 27,
    }));
    expect(await fleet.emitWithAck('ingest:batch', batch)).toMatchObject({ ok: true, data: { accepted: 5 } });
    // A duplicate is acknowledged but not a new event.
    await fleet.emitWithAck('gps:reported', { eventId: 'b0', ts: clock.now(), unitId: 'U-0', lon: 105, lat: 27 });
    const noLat = { eventId: 'bad', ts: clock.now(), unitId: 'U-0', lon: 105 } as never;
    expect(await fleet.emitWithAck('gps:reported', noLat)).toMatchObject({ ok: false, error: { code: 'INVALID' } });
    expect(await fleet.emitWithAck('gps:reported', noLat)).toMatchObject({ ok: false, error: { code: 'INVALID' } });
    const weather = { eventId: 'w', ts: clock.now(), stationId: 'WS-01', airTempC: 3 };
    expect(await fleet.emitWithAck('weather:observed', weather)).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    // A sender with a wrong key is refused at the handshake and counted without a device.
    await expect(stack.connectIngest({ deviceId: 'fleet-gw', key: 'wrong' })).rejects.toThrow();
    await stack.settled();

    await expect.poll(async () => (await healthReport(wall)).summary.rejectsLastMinute, { timeout: 5000 }).toBe(4);
    const report = await healthReport(wall);
    expect(report.devices.find((d) => d.deviceId === 'fleet-gw')).toEqual({
      deviceId: 'fleet-gw',
      kind: 'patrol',
      revoked: false,
      lastSeenAt: T0,
      accepted: 5,
      eventsLastMinute: 5,
      rejectsLastMinute: 3,
      rejected: { INVALID: 2, FORBIDDEN: 1 },
      lastRejectAt: T0,
      lastRejectCode: 'FORBIDDEN',
      quiet: false,
    });
    expect(report.devices.find((d) => d.deviceId === 'idle-cam')).toMatchObject({
      lastSeenAt: null,
      accepted: 0,
      eventsLastMinute: 0,
      quiet: true,
    });
    expect(report.devices.find((d) => d.deviceId === 'term-U-0')).toMatchObject({ lastSeenAt: null, quiet: false });
    expect(report.summary).toMatchObject({
      devicesTotal: 3,
      devicesOnline: 2,
      devicesQuiet: 1,
      eventsLastMinute: 5,
      rejectsLastMinute: 4,
    });

    // A minute later the rates are back to zero; the totals remain.
    clock.advance(61_000);
    const later = await healthReport(wall);
    expect(later.devices.find((d) => d.deviceId === 'fleet-gw')).toMatchObject({
      accepted: 5,
      eventsLastMinute: 0,
      rejectsLastMinute: 0,
      rejected: { INVALID: 2, FORBIDDEN: 1 },
      quiet: false,
    });
    expect(later.summary).toMatchObject({ eventsLastMinute: 0, rejectsLastMinute: 0 });

    // Five minutes without an accepted event (or, for the terminal, a fix of its car): quiet.
    clock.advance(4 * MIN);
    expect((await healthReport(wall)).summary).toMatchObject({ devicesOnline: 0, devicesQuiet: 3 });
  });
});
