import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

describe('bad input on /ingest and HTTP', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack.stop();
  });

  const valid = { eventId: 'x1', ts: Date.parse('2026-11-25T03:00:00Z'), unitId: 'P-1', lon: 105, lat: 27 };

  it.each([
    ['missing fields', { eventId: 'x' }, /ts|unitId|lon/],
    ['wrong types', { ...valid, lon: 'east' }, /lon/],
    ['out of range', { ...valid, lat: 91 }, /lat/],
    ['unknown field', { ...valid, color: 'red' }, /color|Unrecognized/i],
    ['not an object', 'hello', /expected object/i],
    ['bad timestamp', { ...valid, ts: 'yesterday' }, /ts/],
  ])('rejects %s with INVALID and a readable message', async (_name, payload, message) => {
    const socket = await stack.ingestSocket('bad-input-car', 'patrol');
    const response = await socket.emitWithAck('gps:reported', payload as never);
    expect(response).toMatchObject({ ok: false, error: { code: 'INVALID' } });
    if (!response.ok) expect(response.error.message).toMatch(message);
  });

  it('answers unknown events with UNKNOWN_EVENT and keeps serving', async () => {
    const socket = await stack.ingestSocket('bad-input-car', 'patrol');
    const response = await (socket as unknown as { emitWithAck(e: string, p: unknown): Promise<unknown> }).emitWithAck(
      'teleport:requested',
      { to: 'mars' },
    );
    expect(response).toMatchObject({ ok: false, error: { code: 'UNKNOWN_EVENT' } });
    expect(await socket.emitWithAck('gps:reported', valid)).toMatchObject({ ok: true });
  });

  it('rejects a whole batch when one item is bad, naming its index, and stores nothing', async () => {
    const socket = await stack.ingestSocket('batcher', 'patrol');
    const response = await socket.emitWithAck('ingest:batch', [
      { kind: 'gps', ...valid, eventId: 'b1' },
      { kind: 'gps', ...valid, eventId: 'b2', lat: 'north' } as never,
    ]);
    expect(response).toMatchObject({ ok: false, error: { code: 'INVALID', index: 1 } });
    expect(await stack.redis.exists('beacon:seen:batcher:b1')).toBe(0);
  });

  it('rejects oversized batches with TOO_LARGE', async () => {
    const socket = await stack.ingestSocket('bad-input-car', 'patrol');
    const items = Array.from({ length: 1001 }, (_, i) => ({ kind: 'gps' as const, ...valid, eventId: `t${i}` }));
    expect(await socket.emitWithAck('ingest:batch', items)).toMatchObject({ ok: false, error: { code: 'TOO_LARGE' } });
  });

  it('counts every rejection and exposes the counters', async () => {
    const res = await fetch(`${stack.baseUrl}/api/v1/stats`, { headers: await stack.authHeaders() });
    const body = (await res.json()) as { ok: true; data: { rejected: Record<string, number> } };
    expect(body.data.rejected.INVALID).toBeGreaterThanOrEqual(7);
    expect(body.data.rejected.UNKNOWN_EVENT).toBeGreaterThanOrEqual(1);
    expect(body.data.rejected.TOO_LARGE).toBeGreaterThanOrEqual(1);
  });

  it('answers HTTP ingest with the same shapes and status codes', async () => {
    const key = await stack.provisionDevice('http-fleet', 'patrol');
    const post = (body: string, authorization = `Device http-fleet:${key}`) =>
      fetch(`${stack.baseUrl}/api/v1/ingest`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body,
      });
    const good = await post(JSON.stringify({ events: [{ kind: 'gps', ...valid, eventId: 'h1' }] }));
    expect(good.status).toBe(200);
    expect(await good.json()).toEqual({ ok: true, data: { accepted: 1, duplicates: 0 } });
    const broken = await post('{"events": [');
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ ok: false, error: { code: 'INVALID' } });
    const wrong = await post(JSON.stringify({ things: [] }));
    expect(wrong.status).toBe(400);
  });

  it('reports health with Redis state', async () => {
    const res = await fetch(`${stack.baseUrl}/healthz`);
    expect(await res.json()).toEqual({ ok: true, redis: 'up' });
  });

  it('rejects malformed dispatcher commands without touching state', async () => {
    const ops = await stack.opsSocket();
    expect(await ops.emitWithAck('dispatch:assign', { incidentId: '' } as never)).toMatchObject({
      ok: false,
      error: { code: 'INVALID' },
    });
    expect(await ops.emitWithAck('dispatch:assign', { incidentId: 'INC-1', unitId: 'P-1' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });
});
