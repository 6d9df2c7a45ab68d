import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Ack } from '@beacon/shared';
import { manualClock, startTestStack, type TestStack } from '../helpers/stack.ts';

const T0 = Date.parse('2026-11-25T10:00:00+08:00');
const DAFANG = { lon: 105.606, lat: 27.147 };

function data<T>(ack: Ack<T>): T {
  if (!ack.ok) throw new Error(`${ack.error.code}: ${ack.error.message}`);
  return ack.data;
}

describe('the situation as of a past time', () => {
  let stack: TestStack;

  beforeEach(async () => {
    stack = await startTestStack({ clock: manualClock(T0) });
  });
  afterEach(async () => {
    await stack.stop();
  });

  it('rebuilds incidents from the events stream as they stood then', async () => {
    const ops = await stack.opsSocket();
    const a = data(await ops.emitWithAck('incident:create', { type: 'traffic_accident', ...DAFANG })).incident;
    // Stream ids carry Redis's own clock: the moment between the two halves is the last id's millisecond.
    const newest = (await stack.redis.xrevrange('beacon:events', '+', '-', 'COUNT', 1)) as [string, string[]][];
    const then = Number(newest[0]![0].split('-')[0]);
    await new Promise((r) => setTimeout(r, 5));
    data(await ops.emitWithAck('incident:transition', { incidentId: a.id, to: 'assessed' }));
    const b = data(await ops.emitWithAck('incident:create', { type: 'road_hazard', ...DAFANG })).incident;

    const past = data(await ops.emitWithAck('situation:asOf', { at: then }));
    expect(past.incidents.map((i) => [i.id, i.state])).toEqual([[a.id, 'received']]);
    expect(past.eventsApplied).toBe(1);
    expect(past.oldestEventAt).toBe(then);
    const now = data(await ops.emitWithAck('situation:asOf', { at: then + 60_000 }));
    expect(now.incidents.map((i) => [i.id, i.state]).sort()).toEqual([
      [a.id, 'assessed'],
      [b.id, 'received'],
    ]);
    const other = await stack.opsSocket({ role: 'viewer', jurisdiction: '520526' });
    expect(data(await other.emitWithAck('situation:asOf', { at: then })).incidents).toEqual([]);
    expect(await ops.emitWithAck('situation:asOf', { at: -1 })).toMatchObject({
      ok: false,
      error: { code: 'INVALID' },
    });
  });
});
