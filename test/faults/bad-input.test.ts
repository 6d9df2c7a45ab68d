import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import {
  COMMAND_ROLES,
  INGEST_EVENT_BY_KIND,
  INGEST_NAMESPACE,
  OPS_NAMESPACE,
  type OpsCommandName,
} from '@beacon/shared';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

/** The JSON text of `{ "a": { "a": … } }` nested `depth` levels (JSON.stringify would overflow the stack). */
function nestedJson(depth: number): string {
  return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/**
 * Send an event whose payload is raw JSON text as a Socket.IO packet straight on the connection (the
 * client's own encoder walks payloads recursively and cannot even send 10 000 levels), and resolve with
 * the acknowledgement.
 */
function emitRawJson(socket: Socket, namespace: string, event: string, json: string): Promise<unknown> {
  const id = 900_000 + Math.floor(Math.random() * 99_999);
  const engine = socket.io.engine as unknown as {
    write(data: string): void;
    on(event: 'message', listener: (data: unknown) => void): void;
    off(event: 'message', listener: (data: unknown) => void): void;
  };
  return new Promise((resolve) => {
    const prefix = `3${namespace},${id}`;
    const listener = (data: unknown) => {
      if (typeof data !== 'string' || !data.startsWith(prefix)) return;
      engine.off('message', listener);
      resolve((JSON.parse(data.slice(prefix.length)) as unknown[])[0]);
    };
    engine.on('message', listener);
    engine.write(`2${namespace},${id}[${JSON.stringify(event)},${json}]`);
  });
}

/** Payloads no command or report accepts. */
const BAD_PAYLOADS: [string, unknown][] = [
  ['a string', 'hello'],
  ['a number', 42],
  ['null', null],
  ['an array', [1, 2, 3]],
  ['wrong types', { eventId: 7, ts: 'soon', incidentId: 42, unitId: false, lon: 'east', status: 1 }],
  ['unknown fields only', { teleport: true }],
];

/** Commands that take no payload and ignore what they are sent. */
const NO_PAYLOAD = new Set<string>(['session:info', 'incidents:overdue']);

type Emitter = { emitWithAck(event: string, ...args: unknown[]): Promise<unknown> };

describe('bad input to every event and route: a clear error, counted, and the server keeps serving', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ config: { opsCommandBurst: 100_000 } });
  });
  afterAll(async () => {
    await stack.stop();
  });

  const rejected = async (code: string) => Number((await stack.redis.hget('beacon:stats:rejected', code)) ?? 0);
  const failure = expect.objectContaining({
    ok: false,
    error: expect.objectContaining({ code: expect.any(String), message: expect.any(String) }),
  });

  it('/ingest: every report kind, batches and terminal events', async () => {
    const socket = (await stack.ingestSocket('bad-car', 'patrol', { unitId: 'BAD-1' })) as unknown as Emitter;
    const events = [
      ...Object.values(INGEST_EVENT_BY_KIND),
      'ingest:batch',
      'assignment:report',
      'unit:report',
      'device:info',
    ];
    const before = await rejected('INVALID');
    let sent = 0;
    for (const event of events) {
      for (const [name, payload] of BAD_PAYLOADS) {
        if (event === 'ingest:batch' && name === 'an array') continue; // an array of bad items: below
        const answer = await socket.emitWithAck(event, payload);
        expect(answer, `${event} with ${name}`).toEqual(failure);
        expect((answer as { error: { code: string } }).error.code, `${event} with ${name}`).toBe('INVALID');
        sent += 1;
      }
    }
    for (const event of events) {
      const answer = await emitRawJson(socket as unknown as Socket, INGEST_NAMESPACE, event, nestedJson(10_000));
      expect(answer, `${event} 10 000 levels deep`).toMatchObject({ ok: false, error: { code: 'INVALID' } });
      sent += 1;
    }
    expect(await socket.emitWithAck('ingest:batch', [1, 2, 3])).toMatchObject({
      ok: false,
      error: { code: 'INVALID', index: 0 },
    });
    expect(await rejected('INVALID')).toBe(before + sent + 1);
    expect(await socket.emitWithAck('teleport:requested', { to: 'mars' })).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_EVENT' },
    });
    // Still serving, and a replayed eventId is acknowledged once and stored once.
    const fix = { eventId: 'replayed-1', ts: stack.clock.now() - 1000, unitId: 'BAD-1', lon: 105, lat: 27 };
    expect(await socket.emitWithAck('gps:reported', fix)).toEqual({ ok: true, data: { accepted: 1, duplicates: 0 } });
    for (let i = 0; i < 3; i += 1) {
      expect(await socket.emitWithAck('gps:reported', fix)).toEqual({ ok: true, data: { accepted: 0, duplicates: 1 } });
    }
    expect(
      await socket.emitWithAck('ingest:batch', [
        { kind: 'gps', ...fix },
        { kind: 'gps', ...fix },
      ]),
    ).toEqual({
      ok: true,
      data: { accepted: 0, duplicates: 2 },
    });
    const stored = (await stack.redis.xrange('beacon:ingest', '-', '+')).filter(([, f]) =>
      f.join().includes('replayed-1'),
    );
    expect(stored).toHaveLength(1);
  });

  it('/ingest: a message over the 2 MB limit closes only that connection, is counted; the device reconnects', async () => {
    const key = await stack.provisionDevice('huge-cam', 'camera');
    const before = await rejected('TOO_LARGE');
    const socket = connect(`${stack.baseUrl}${INGEST_NAMESPACE}`, {
      auth: { deviceId: 'huge-cam', key },
      transports: ['websocket'],
      reconnectionDelay: 50,
    });
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const closed = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    socket.emit('pedestrian:detected', { eventId: 'x'.repeat(3_000_000) });
    expect(await closed).toMatch(/transport (close|error)/);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const answer = await socket.emitWithAck('pedestrian:detected', {
      eventId: 'after-huge',
      ts: stack.clock.now() - 1000,
      lon: 105.29,
      lat: 27.3,
      confidence: 0.5,
    });
    expect(answer).toMatchObject({ ok: true });
    await expect.poll(() => rejected('TOO_LARGE')).toBe(before + 1);
    socket.disconnect();
  });

  it('/ops (signed in): every command, and unknown events', async () => {
    const ops = (await stack.opsSocket()) as unknown as Emitter;
    const before = await rejected('INVALID');
    let invalid = 0;
    for (const command of Object.keys(COMMAND_ROLES) as OpsCommandName[]) {
      for (const [name, payload] of BAD_PAYLOADS) {
        const answer = await ops.emitWithAck(command, payload);
        if (NO_PAYLOAD.has(command)) {
          expect(answer, `${command} with ${name}`).toMatchObject({ ok: true });
          continue;
        }
        // Commands whose every field is optional accept `null` as "no options".
        if ((answer as { ok: boolean }).ok) {
          expect(name, `${command} accepted ${name}`).toBe('null');
          continue;
        }
        expect(answer, `${command} with ${name}`).toEqual(failure);
        expect((answer as { error: { code: string } }).error.code, `${command} with ${name}`).toBe('INVALID');
        invalid += 1;
      }
    }
    for (const command of Object.keys(COMMAND_ROLES).filter((c) => !NO_PAYLOAD.has(c))) {
      const answer = await emitRawJson(ops as unknown as Socket, OPS_NAMESPACE, command, nestedJson(10_000));
      expect(answer, `${command} 10 000 levels deep`).toMatchObject({ ok: false, error: { code: 'INVALID' } });
      invalid += 1;
    }
    expect(await rejected('INVALID')).toBe(before + invalid);
    const unknownBefore = await rejected('UNKNOWN_EVENT');
    expect(await ops.emitWithAck('incident:teleport', { incidentId: 'INC-1' })).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_EVENT' },
    });
    expect(await rejected('UNKNOWN_EVENT')).toBe(unknownBefore + 1);
    expect(await ops.emitWithAck('session:info', {})).toMatchObject({ ok: true });
  });

  it('HTTP: malformed, oversized, deeply nested and wrong-typed bodies and queries on every route', async () => {
    const key = await stack.provisionDevice('bad-http', 'patrol');
    const auth = await stack.authHeaders();
    const deep = nestedJson(10_000);
    const cases: { name: string; path: string; init: RequestInit; status: number; code: string }[] = [];
    const post = (path: string, body: string, headers: Record<string, string>) => ({
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    const ingest = { authorization: `Device bad-http:${key}` };
    for (const [path, headers, limit] of [
      ['/api/v1/ingest', ingest, 2 * 1024 * 1024],
      ['/api/v1/login', {}, 4096],
    ] as const) {
      cases.push(
        { name: `${path} malformed`, path, init: post(path, '{"events": [', headers), status: 400, code: 'INVALID' },
        {
          name: `${path} oversized`,
          path,
          init: post(path, `"${'x'.repeat(limit + 10)}"`, headers),
          status: 413,
          code: 'TOO_LARGE',
        },
        {
          name: `${path} wrong types`,
          path,
          init: post(path, '{"events": 5, "username": 1}', headers),
          status: 400,
          code: 'INVALID',
        },
        { name: `${path} a bare string`, path, init: post(path, '"hi"', headers), status: 400, code: 'INVALID' },
      );
    }
    cases.push(
      {
        name: 'ingest deep',
        path: '/api/v1/ingest',
        init: post('', `{"events":[${deep}]}`, ingest),
        status: 400,
        code: 'INVALID',
      },
      {
        name: 'login deep',
        path: '/api/v1/login',
        init: post('', deep.slice(0, 4000), {}),
        status: 400,
        code: 'INVALID',
      },
      {
        name: 'ingest no key',
        path: '/api/v1/ingest',
        init: post('', '{"events":[]}', {}),
        status: 401,
        code: 'UNAUTHORIZED',
      },
      { name: 'logout no token', path: '/api/v1/logout', init: { method: 'POST' }, status: 401, code: 'UNAUTHORIZED' },
      {
        name: 'statistics window',
        path: '/api/v1/incidents/statistics?window=forever',
        init: { headers: auth },
        status: 400,
        code: 'INVALID',
      },
      {
        name: 'statistics twice',
        path: '/api/v1/incidents/statistics?window=today&window=7d',
        init: { headers: auth },
        status: 400,
        code: 'INVALID',
      },
      { name: 'audit limit', path: '/api/v1/audit?limit=lots', init: { headers: auth }, status: 400, code: 'INVALID' },
      {
        name: 'audit.csv limit',
        path: '/api/v1/audit.csv?limit=-1',
        init: { headers: auth },
        status: 400,
        code: 'INVALID',
      },
      { name: 'unknown route', path: '/api/v1/teleport', init: { method: 'POST' }, status: 404, code: 'NOT_FOUND' },
    );
    for (const path of [
      '/api/v1/session',
      '/api/v1/snapshot',
      '/api/v1/stats',
      '/api/v1/health/feeds',
      '/api/v1/incidents/overdue',
    ]) {
      cases.push({
        name: `${path} bad token`,
        path,
        init: { headers: { authorization: 'Bearer nope' } },
        status: 401,
        code: 'UNAUTHORIZED',
      });
    }
    const counted = async () =>
      Object.values(await stack.redis.hgetall('beacon:stats:rejected')).reduce((a, b) => a + Number(b), 0);
    const before = await counted();
    for (const c of cases) {
      const res = await fetch(`${stack.baseUrl}${c.path}`, c.init);
      expect(res.status, c.name).toBe(c.status);
      expect(await res.json(), c.name).toEqual({
        ok: false,
        error: expect.objectContaining({ code: c.code, message: expect.any(String) }),
      });
    }
    // Every refusal but the unknown route is counted.
    expect(await counted()).toBe(before + cases.length - 1);
    expect(await (await fetch(`${stack.baseUrl}/healthz`)).json()).toEqual({ ok: true, redis: 'up' });
  });
});
