import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

/** The value of one series in a text exposition, or null when it is absent. */
function sample(text: string, series: string): number | null {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : null;
}

describe('GET /metrics', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('exposes ingest, rejects, group lag, clients, incidents and 督办 in the text format 0.0.4', async () => {
    const camera = await stack.ingestSocket('metrics-cam', 'camera');
    const ts = stack.clock.now() - 1000;
    for (let i = 0; i < 3; i += 1) {
      await camera.emitWithAck('pedestrian:detected', {
        eventId: `m${i}`,
        ts,
        lon: 105.29,
        lat: 27.3,
        confidence: 0.9,
      });
    }
    expect(
      await camera.emitWithAck('pedestrian:detected', { eventId: 'm0', ts, lon: 105.29, lat: 27.3, confidence: 0.9 }),
    ).toMatchObject({ ok: true, data: { duplicates: 1 } });
    expect(await camera.emitWithAck('pedestrian:detected', { eventId: 'bad' } as never)).toMatchObject({ ok: false });
    await stack.settled();
    const ops = await stack.opsSocket();
    const [incident] = (await stack.app.incidents.listOpen()).filter((i) => i.type === 'pedestrian');
    expect(incident).toBeDefined();
    expect(
      await ops.emitWithAck('incident:supervise', { incidentId: incident!.id, reason: 'metrics test' }),
    ).toMatchObject({
      ok: true,
    });

    const res = await fetch(`${stack.baseUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await res.text();
    expect(text).toMatch(/^# TYPE beacon_ingest_accepted_total counter$/m);
    expect(sample(text, 'beacon_redis_up')).toBe(1);
    expect(sample(text, 'beacon_ingest_accepted_total')).toBe(3);
    expect(sample(text, 'beacon_ingest_duplicates_total')).toBe(1);
    expect(sample(text, 'beacon_rejected_total{code="INVALID"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'beacon_stream_length{stream="ingest"}')).toBe(3);
    expect(sample(text, 'beacon_consumer_group_lag{stream="ingest",group="rules"}')).toBe(0);
    expect(sample(text, 'beacon_consumer_group_pending{stream="ingest",group="rules"}')).toBe(0);
    expect(sample(text, 'beacon_dead_letters{stream="ingest"}')).toBe(0);
    expect(sample(text, 'beacon_connected_clients{namespace="/ingest"}')).toBe(1);
    expect(sample(text, 'beacon_connected_clients{namespace="/ops"}')).toBe(1);
    expect(sample(text, `beacon_incidents_open{priority="${incident!.priority}"}`)).toBe(1);
    expect(sample(text, 'beacon_supervisions_open{kind="manual"}')).toBe(1);
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    // Every line is a comment or `name{labels} value`.
    for (const line of text.trimEnd().split('\n')) {
      expect(line).toMatch(/^(# (HELP|TYPE) \w+ .+|[a-z_]+(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? -?[\d.e+]+)$/);
    }
  });

  it('is served to loopback only without a token', async () => {
    // Through a proxy on this machine, the client's address is the forwarded one.
    const res = await fetch(`${stack.baseUrl}/metrics`, { headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('asks for the bearer token when BEACON_METRICS_TOKEN is set', async () => {
    const token = 'metrics-token-0123456789';
    const guarded = await startTestStack({ config: { metricsToken: token }, redisServer: stack.redisServer });
    try {
      const without = await fetch(`${guarded.baseUrl}/metrics`);
      expect(without.status).toBe(401);
      expect(await without.json()).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
      const wrong = await fetch(`${guarded.baseUrl}/metrics`, { headers: { authorization: 'Bearer nope' } });
      expect(wrong.status).toBe(401);
      const right = await fetch(`${guarded.baseUrl}/metrics`, {
        headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': '203.0.113.9' },
      });
      expect(right.status).toBe(200);
      expect(await right.text()).toMatch(/^beacon_redis_up 1$/m);
    } finally {
      await guarded.stop();
    }
  });
});
