import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { broadcastProgress, type Ack, type Broadcast } from '@beacon/shared';
import { manualClock, startTestStack, type OpsSocket, type TestStack } from '../helpers/stack.ts';

const T0 = Date.parse('2026-11-25T10:00:00+08:00');
const DAFANG = { lon: 105.606, lat: 27.147 };
const MINUTE = 60_000;

function data<T>(ack: Ack<T>): T {
  if (!ack.ok) throw new Error(`${ack.error.code}: ${ack.error.message}`);
  return ack.data;
}

describe('resident notices (警情通报)', () => {
  let stack: TestStack;
  let ops: OpsSocket;
  const clock = manualClock(T0);

  beforeEach(async () => {
    clock.set(T0);
    stack = await startTestStack({ clock });
    ops = await stack.opsSocket({ role: 'dispatcher', jurisdiction: '520500' });
  });
  afterEach(async () => {
    await stack.stop();
  });

  it('reaches the groups of the grid cells around an incident and tracks each against 10 minutes', async () => {
    const incident = data(await ops.emitWithAck('incident:create', { type: 'road_hazard', ...DAFANG })).incident;
    const seen: Broadcast[] = [];
    ops.on('broadcast:changed', (b) => seen.push(b));
    const { broadcast } = data(
      await ops.emitWithAck('broadcast:send', {
        incidentId: incident.id,
        text: '大方县城区道路塌陷，请绕行',
        radiusKm: 2,
      }),
    );
    expect(broadcast).toMatchObject({
      channel: 'demo',
      createdAt: T0,
      dueAt: T0 + 10 * MINUTE,
      jurisdiction: '520521',
    });
    expect(broadcast.cells.length).toBeGreaterThan(2);
    expect(broadcast.groups.length).toBeGreaterThanOrEqual(broadcast.cells.length * 2);
    expect(broadcast.groups.every((g) => g.state === 'sent' && g.name.includes('（模拟）'))).toBe(true);
    expect(broadcastProgress(broadcast, T0)).toMatchObject({ delivered: 0, remainingMs: 10 * MINUTE, met: false });

    // Confirmations arrive as the (simulated) residents read it; the deadline watch collects them.
    for (let m = 1; m <= 16; m += 1) {
      clock.advance(MINUTE);
      await stack.app.deadlines.sweep();
    }
    const [after] = data(await ops.emitWithAck('broadcasts:list', {})).broadcasts;
    const progress = broadcastProgress(after!, clock.now());
    expect(progress.waiting).toBe(0);
    expect(progress.delivered + progress.failed).toBe(broadcast.groups.length);
    expect(progress.onTime).toBeGreaterThan(0);
    expect(progress.remainingMs).toBeLessThan(0);
    expect(after!.groups.filter((g) => g.state === 'delivered').every((g) => g.doneAt! > T0)).toBe(true);
    expect(seen.length).toBeGreaterThan(1);
    // The same notice, the same delays: the demo channel is deterministic.
    expect(after!.groups.map((g) => g.doneAt! - T0).every((d) => d >= 30_000 && d <= 15 * MINUTE)).toBe(true);
  });

  it('refuses a notice about nothing, about a station without a warning, or outside the caller’s area', async () => {
    expect(await ops.emitWithAck('broadcast:send', { text: 'x' } as never)).toMatchObject({
      ok: false,
      error: { code: 'INVALID' },
    });
    expect(await ops.emitWithAck('broadcast:send', { stationId: 'WS-01', text: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    const incident = data(await ops.emitWithAck('incident:create', { type: 'road_hazard', ...DAFANG })).incident;
    const other = await stack.opsSocket({ role: 'dispatcher', jurisdiction: '520526' });
    expect(await other.emitWithAck('broadcast:send', { incidentId: incident.id, text: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });
});
