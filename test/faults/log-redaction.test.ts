import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INGEST_NAMESPACE, OPS_NAMESPACE, manualClock } from '@beacon/shared';
import { createApp, createLogger, parseConfig, type App } from '@beacon/server';
import { startRedisServer, type RedisProcess } from '../../scripts/lib/redis-server.ts';

describe('no secrets in logs', () => {
  let redisServer: RedisProcess;
  let redis: Redis;
  let app: App;
  let baseUrl: string;
  let logged = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logged += chunk.toString();
      done();
    },
  });
  const log = createLogger('trace', sink);

  beforeAll(async () => {
    redisServer = await startRedisServer();
    redis = new Redis(redisServer.url);
    const config = parseConfig({
      redisUrl: redisServer.url,
      port: 0,
      host: '127.0.0.1',
      logLevel: 'trace',
      sweepMs: 600_000,
    });
    app = createApp({ redis, clock: manualClock(), config, log });
    baseUrl = `http://127.0.0.1:${await app.listen()}`;
  });
  afterAll(async () => {
    await app.close();
    redis.disconnect();
    await redisServer.stop();
  });

  it('never writes device keys, passwords, tokens or Authorization headers', async () => {
    const secrets: string[] = [];
    const { key } = await app.devices.addDevice({ deviceId: 'log-car', kind: 'patrol' }, Date.now(), { replace: true });
    secrets.push(key);
    const password = 'correct-horse-battery-staple-42';
    await app.access.addUser({ username: 'log-user', password, role: 'admin', jurisdiction: '520500' }, Date.now(), {
      replace: true,
    });
    secrets.push(password);

    // Sign in (right and wrong password), use the token on HTTP and /ops, then sign out.
    const login = async (pw: string) =>
      fetch(`${baseUrl}/api/v1/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'log-user', password: pw }),
      });
    expect((await login('wrong-password-secret-99')).status).toBe(401);
    secrets.push('wrong-password-secret-99');
    const { data } = (await (await login(password)).json()) as { data: { token: string } };
    secrets.push(data.token);
    await fetch(`${baseUrl}/api/v1/snapshot`, { headers: { authorization: `Bearer ${data.token}` } });
    const ops = connect(`${baseUrl}${OPS_NAMESPACE}`, {
      auth: { token: data.token },
      transports: ['websocket'],
      forceNew: true,
    });
    await new Promise<void>((resolve) => ops.once('connect', () => resolve()));
    await ops.emitWithAck('incident:note', { incidentId: 'INC-none', text: 'x' });
    ops.disconnect();

    // A device with its key (right and wrong), over the socket and HTTP, with good and bad reports.
    const device = connect(`${baseUrl}${INGEST_NAMESPACE}`, {
      auth: { deviceId: 'log-car', key },
      transports: ['websocket'],
      forceNew: true,
    });
    await new Promise<void>((resolve) => device.once('connect', () => resolve()));
    await device.emitWithAck('gps:reported', {
      eventId: 'l1',
      ts: Date.parse('2026-11-25T03:00:00Z'),
      unitId: 'L-1',
      lon: 105,
      lat: 27,
    });
    await device.emitWithAck('gps:reported', { eventId: 'l2', key } as never);
    device.disconnect();
    const wrongKey = 'bk_wrong-key-secret-1234567890';
    secrets.push(wrongKey);
    const refused = connect(`${baseUrl}${INGEST_NAMESPACE}`, {
      auth: { deviceId: 'log-car', key: wrongKey },
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
    });
    await new Promise<void>((resolve) => refused.once('connect_error', () => resolve()));
    await fetch(`${baseUrl}/api/v1/ingest`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Device log-car:${key}` },
      body: '{"events": [',
    });

    // Whatever a module might log by mistake is redacted by the logger itself.
    log.error(
      {
        req: { headers: { authorization: `Bearer ${data.token}`, cookie: `s=${data.token}` } },
        handshake: { auth: { deviceId: 'log-car', key } },
        command: { username: 'log-user', password },
        device: { key },
        token: data.token,
      },
      'a careless log line',
    );
    await new Promise((r) => setTimeout(r, 50));

    expect(logged).toMatch(/a careless log line/);
    expect(logged).toMatch(/\[redacted\]/);
    expect(logged).toMatch(/log-user/); // names are fine, only secrets go
    for (const secret of secrets)
      expect(logged.includes(secret), `a secret was logged: ${secret.slice(0, 6)}…`).toBe(false);
  });
});
