import { afterEach, describe, expect, it } from 'vitest';
import { io as connect } from 'socket.io-client';
import { INGEST_NAMESPACE, haversineM, wgs84ToGcj02 } from '@beacon/shared';
import { manualClock, startTestStack, type TestStack } from '../helpers/stack.ts';

const T0 = Date.parse('2026-11-25T22:00:00+08:00');

/** Resolve with the connect_error data of a refused handshake. */
function refusal(url: string, auth: unknown): Promise<{ code: string; message: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(`${url}${INGEST_NAMESPACE}`, {
      auth: auth as Record<string, string>,
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    socket.once('connect', () => {
      socket.disconnect();
      reject(new Error('connected, expected a refusal'));
    });
    socket.once('connect_error', (error: Error & { data?: { code: string; message: string } }) => {
      socket.disconnect();
      resolve(error.data ?? { code: 'NONE', message: error.message });
    });
  });
}

describe('device protocol', () => {
  let stack: TestStack;
  afterEach(async () => {
    await stack?.stop();
  });

  it('refuses unknown devices, wrong keys and malformed handshakes with UNAUTHORIZED', async () => {
    stack = await startTestStack({ clock: manualClock(T0) });
    await stack.provisionDevice('car-1', 'patrol');
    expect(await refusal(stack.baseUrl, { deviceId: 'car-1', key: 'bk_wrong' })).toMatchObject({
      code: 'UNAUTHORIZED',
    });
    expect(await refusal(stack.baseUrl, { deviceId: 'nobody', key: 'bk_x' })).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(await refusal(stack.baseUrl, {})).toMatchObject({ code: 'UNAUTHORIZED' });
    const res = await fetch(`${stack.baseUrl}/api/v1/ingest`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Device car-1:bk_wrong' },
      body: '{"events":[]}',
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
  });

  it('cuts a connected device off when its key is revoked, and refuses it afterwards', async () => {
    stack = await startTestStack({ clock: manualClock(T0) });
    const key = await stack.provisionDevice('car-2', 'patrol');
    const socket = await stack.connectIngest({ deviceId: 'car-2', key });
    const cut = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
    await stack.app.devices.revokeDevice('car-2', T0);
    expect(await cut).toBe('io server disconnect');
    expect(await refusal(stack.baseUrl, { deviceId: 'car-2', key })).toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('forbids reports outside what a device is registered for, naming the batch index', async () => {
    stack = await startTestStack({ clock: manualClock(T0) });
    const camera = await stack.ingestSocket('cam-9', 'camera');
    expect(
      await camera.emitWithAck('gps:reported', { eventId: 'g', ts: T0, unitId: 'P-1', lon: 105, lat: 27 }),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    const car = await stack.ingestSocket('car-P-7', 'patrol', { unitId: 'P-7' });
    const response = await car.emitWithAck('ingest:batch', [
      { kind: 'gps', eventId: 'a', ts: T0, unitId: 'P-7', lon: 105, lat: 27 },
      { kind: 'gps', eventId: 'b', ts: T0, unitId: 'P-8', lon: 105, lat: 27 },
    ]);
    expect(response).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', index: 1 } });
    expect(await stack.redis.xlen('beacon:ingest')).toBe(0);

    const station = await stack.ingestSocket('ws-3', 'weather', { stationId: 'WS-03' });
    expect(await station.emitWithAck('weather:observed', { eventId: 'w', ts: T0, stationId: 'WS-04' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await station.emitWithAck('weather:observed', { eventId: 'w', ts: T0, stationId: 'WS-03' })).toMatchObject({
      ok: true,
    });
  });

  it('rejects timestamps far in the future with the offending index', async () => {
    stack = await startTestStack({ clock: manualClock(T0) });
    const car = await stack.ingestSocket('car-3', 'patrol');
    const response = await car.emitWithAck('ingest:batch', [
      { kind: 'gps', eventId: 'a', ts: T0 + 60_000, unitId: 'P-1', lon: 105, lat: 27 },
      { kind: 'gps', eventId: 'b', ts: T0 + 3600_000, unitId: 'P-1', lon: 105, lat: 27 },
    ]);
    expect(response).toMatchObject({ ok: false, error: { code: 'INVALID', index: 1 } });
    if (!response.ok) expect(response.error.message).toMatch(/future/);
  });

  it('converts GCJ-02 coordinates to WGS-84 at the entrance', async () => {
    stack = await startTestStack({ clock: manualClock(T0) });
    const wgs: [number, number] = [105.281638, 27.305462];
    const [lon, lat] = wgs84ToGcj02(wgs);
    expect(haversineM([lon, lat], wgs)).toBeGreaterThan(300);
    const car = await stack.ingestSocket('car-4', 'patrol');
    await car.emitWithAck('gps:reported', { eventId: 'g', ts: T0, unitId: 'P-4', lon, lat, crs: 'gcj02' });
    await stack.settled();
    const stored = [
      Number(await stack.redis.hget('beacon:unit:P-4', 'lon')),
      Number(await stack.redis.hget('beacon:unit:P-4', 'lat')),
    ] as [number, number];
    expect(haversineM(stored, wgs)).toBeLessThan(0.05);
    const [[, fields]] = (await stack.redis.xrange('beacon:ingest', '-', '+')) as [string, string[]][] as [
      [string, string[]],
    ];
    expect(JSON.parse(fields[fields.indexOf('payload') + 1]!)).not.toHaveProperty('crs');
  });

  it('remembers an eventId for 24 hours per device', async () => {
    stack = await startTestStack({ clock: manualClock(T0) });
    const car = await stack.ingestSocket('car-5', 'patrol');
    const fix = { eventId: 'same', ts: T0, unitId: 'P-5', lon: 105, lat: 27 };
    expect(await car.emitWithAck('gps:reported', fix)).toEqual({ ok: true, data: { accepted: 1, duplicates: 0 } });
    expect(
      await car.emitWithAck('ingest:batch', [
        { kind: 'gps', ...fix },
        { kind: 'gps', ...fix },
      ]),
    ).toEqual({
      ok: true,
      data: { accepted: 0, duplicates: 2 },
    });
    const ttl = await stack.redis.ttl('beacon:seen:car-5:same');
    expect(ttl).toBeGreaterThan(86_000);
    expect(ttl).toBeLessThanOrEqual(86_400);
    // The same eventId from another device is a different event.
    const other = await stack.ingestSocket('car-6', 'patrol');
    expect(await other.emitWithAck('gps:reported', fix)).toMatchObject({ ok: true, data: { accepted: 1 } });
  });

  it('rate-limits a runaway device with RATE_LIMITED (socket and HTTP 429)', async () => {
    const clock = manualClock(T0);
    stack = await startTestStack({ clock, config: { deviceRatePerS: 10, deviceBurst: 20 } });
    const car = await stack.ingestSocket('car-7', 'patrol');
    const batch = (from: number, n: number) =>
      Array.from({ length: n }, (_, i) => ({
        kind: 'gps' as const,
        eventId: `e${from + i}`,
        ts: T0,
        unitId: 'P-7',
        lon: 105,
        lat: 27,
      }));
    expect(await car.emitWithAck('ingest:batch', batch(0, 20))).toMatchObject({ ok: true, data: { accepted: 20 } });
    expect(await car.emitWithAck('ingest:batch', batch(20, 5))).toMatchObject({
      ok: false,
      error: { code: 'RATE_LIMITED' },
    });
    const key = await stack.provisionDevice('car-8', 'patrol');
    const post = () =>
      fetch(`${stack.baseUrl}/api/v1/ingest`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Device car-8:${key}` },
        body: JSON.stringify({ events: batch(100, 21) }),
      });
    expect((await post()).status).toBe(429);
    clock.advance(1000);
    expect(await car.emitWithAck('ingest:batch', batch(25, 10))).toMatchObject({ ok: true, data: { accepted: 10 } });
  });

  it('answers UNAVAILABLE while Redis is down, stores nothing, and keeps serving', async () => {
    stack = await startTestStack({ clock: manualClock(T0) });
    const car = await stack.ingestSocket('car-9', 'patrol');
    await stack.redisServer.stop();
    const response = await car
      .timeout(15_000)
      .emitWithAck('gps:reported', { eventId: 'x', ts: T0, unitId: 'P-9', lon: 105, lat: 27 });
    expect(response).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    const health = await fetch(`${stack.baseUrl}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({ ok: false, redis: 'down' });
  });

  it('caps the streams by age', async () => {
    const clock = manualClock(Date.now());
    stack = await startTestStack({ clock, config: { streamMaxAgeMs: 3600_000 } });
    const car = await stack.ingestSocket('car-10', 'patrol');
    await car.emitWithAck('gps:reported', { eventId: 'old', ts: clock.now(), unitId: 'P-10', lon: 105, lat: 27 });
    expect(await stack.app.retention.trimOnce()).toBe(0);
    await stack.settled();
    clock.advance(2 * 3600_000);
    await stack.app.retention.trimOnce();
    expect(await stack.redis.xlen('beacon:ingest')).toBe(0);
  });

  it('never trims entries the rules pipeline has not finished', async () => {
    const clock = manualClock(Date.now());
    stack = await startTestStack({ clock, config: { streamMaxAgeMs: 3600_000 } });
    await stack.settled();
    // A backlog the pipeline has not read (as after an outage): appended behind its back.
    await stack.redis.xadd('beacon:ingest', '*', 'kind', 'gps', 'device', 'x', 'receivedAt', '0', 'payload', '{}');
    await stack.app.close();
    await stack.redis.xadd('beacon:ingest', '*', 'kind', 'gps', 'device', 'x', 'receivedAt', '0', 'payload', '{}');
    clock.advance(2 * 3600_000);
    await stack.app.retention.trimOnce();
    expect(await stack.redis.xlen('beacon:ingest')).toBeGreaterThanOrEqual(1);
  });
});
