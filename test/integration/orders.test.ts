import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Ack, OrderChanged, WorkOrder } from '@beacon/shared';
import { manualClock, startTestStack, type OpsSocket, type TestStack } from '../helpers/stack.ts';

const T0 = Date.parse('2026-11-25T08:00:00+08:00');
const CITY = '520500';
const DAFANG = '520521';
const DAFANG_T1 = '520521101';
const DAFANG_T2 = '520521102';
const QIXINGGUAN = '520502';

function data<T>(ack: Ack<T>): T {
  if (!ack.ok) throw new Error(`${ack.error.code}: ${ack.error.message}`);
  return ack.data;
}

describe('work orders between the four levels', () => {
  let stack: TestStack;
  const clock = manualClock(T0);
  let city: OpsSocket;
  let county: OpsSocket;
  let township: OpsSocket;

  beforeEach(async () => {
    clock.set(T0);
    stack = await startTestStack({ clock });
    city = await stack.opsSocket({ role: 'dispatcher', jurisdiction: CITY });
    county = await stack.opsSocket({ role: 'dispatcher', jurisdiction: DAFANG });
    township = await stack.opsSocket({ role: 'dispatcher', jurisdiction: DAFANG_T1 });
  });
  afterEach(async () => {
    await stack.stop();
  });

  const stats = async (socket: OpsSocket, under?: string) =>
    data(await socket.emitWithAck('orders:stats', under ? { under } : {}));

  it('goes city → county → township, is returned, re-sent, completed, and each level counts it', async () => {
    const countySaw: OrderChanged[] = [];
    county.on('order:changed', (c) => countySaw.push(c));

    const { order } = data(
      await city.emitWithAck('order:create', { title: '清理S2高速K12抛洒物', to: DAFANG, priority: 'P2' }),
    );
    expect(order).toMatchObject({ state: 'pending', origin: CITY, holder: DAFANG, sender: CITY });
    // Due by 21:00 the same day: received before the 09:00 cut-off.
    expect(order.dueAt).toBe(Date.parse('2026-11-25T21:00:00+08:00'));

    // Only the holder acts; the city cannot skip a level.
    expect(await township.emitWithAck('order:act', { orderId: order.id, action: 'accept' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    const skip = data(await city.emitWithAck('order:create', { title: 'x' })).order;
    expect(await city.emitWithAck('order:send', { orderId: skip.id, to: DAFANG_T1 })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: expect.stringContaining('down to a child') },
    });

    clock.advance(60_000);
    data(await county.emitWithAck('order:act', { orderId: order.id, action: 'accept' }));
    clock.advance(60_000);
    const down = data(await county.emitWithAck('order:send', { orderId: order.id, to: DAFANG_T1 })).order;
    expect(down).toMatchObject({ holder: DAFANG_T1, sender: DAFANG, state: 'pending' });
    expect((await stats(city)).children.find((c) => c.adcode === DAFANG)).toMatchObject({ total: 1, open: 1 });

    clock.advance(60_000);
    const back = data(
      await township.emitWithAck('order:act', { orderId: order.id, action: 'return', reason: '不属本乡镇辖区' }),
    ).order;
    expect(back).toMatchObject({ state: 'returned', holder: DAFANG, sender: CITY });
    clock.advance(60_000);
    // Re-sent sideways? No: down again, to the right township.
    const again = data(await county.emitWithAck('order:send', { orderId: order.id, to: DAFANG_T2 })).order;
    expect(again.holder).toBe(DAFANG_T2);
    const t2 = await stack.opsSocket({ role: 'dispatcher', jurisdiction: DAFANG_T2 });
    expect(
      await t2.emitWithAck('order:act', { orderId: order.id, action: 'complete', result: '已清理' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'INVALID_TRANSITION' },
    });
    data(await t2.emitWithAck('order:act', { orderId: order.id, action: 'accept' }));
    clock.advance(30 * 60_000);
    const done = data(
      await t2.emitWithAck('order:act', { orderId: order.id, action: 'complete', result: '已清理' }),
    ).order;
    expect(done).toMatchObject({ state: 'completed', completedAt: clock.now(), result: '已清理' });
    expect(done.hops.map((h) => [h.from, h.to, h.move])).toEqual([
      [CITY, DAFANG, 'down'],
      [DAFANG, DAFANG_T1, 'down'],
      [DAFANG_T1, DAFANG, 'returned'],
      [DAFANG, DAFANG_T2, 'down'],
    ]);

    // Every level's figures: the township that did it, its county, and the city over both orders.
    expect((await stats(t2)).self).toMatchObject({ adcode: DAFANG_T2, total: 1, completed: 1, closureRate: 1 });
    expect((await stats(township)).self).toMatchObject({ total: 0 });
    const countyStats = await stats(county);
    expect(countyStats.self).toMatchObject({ total: 1, completed: 1 });
    expect(countyStats.children.find((c) => c.adcode === DAFANG_T2)).toMatchObject({ completed: 1 });
    expect(countyStats.self.meanCompletionMs).toBe(done.completedAt! - order.createdAt);
    const cityStats = await stats(city);
    expect(cityStats.self).toMatchObject({ total: 2, completed: 1, open: 1, closureRate: 0.5 });
    expect(cityStats.children.find((c) => c.adcode === DAFANG)).toMatchObject({ total: 1, completed: 1 });

    // The county heard of every step it was part of, live.
    // (A township's steps reach the county too: it is above them.)
    expect(countySaw.map((c) => c.order.state)).toEqual([
      'pending',
      'accepted',
      'pending',
      'returned',
      'pending',
      'accepted',
      'completed',
    ]);
  });

  it('tells a center where an order may go: its parent, siblings and children', async () => {
    const around = data(await county.emitWithAck('jurisdictions:around', {}));
    expect(around.self).toMatchObject({ adcode: DAFANG, level: 'county', generated: false });
    expect(around.parent?.adcode).toBe(CITY);
    expect(around.siblings.map((j) => j.adcode)).toContain(QIXINGGUAN);
    expect(around.children[0]).toMatchObject({ adcode: DAFANG_T1, level: 'township', generated: true });
    const township = data(await county.emitWithAck('jurisdictions:around', { of: DAFANG_T1 }));
    expect(township.children.every((j) => j.level === 'village')).toBe(true);
    expect(await county.emitWithAck('jurisdictions:around', { of: '999999' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });

  it('lists orders only within the caller’s area, flags overdue ones, and lets only the origin cancel', async () => {
    const { order } = data(await city.emitWithAck('order:create', { title: '排查隐患', to: DAFANG }));
    const other = await stack.opsSocket({ role: 'dispatcher', jurisdiction: QIXINGGUAN });
    expect(data(await other.emitWithAck('orders:list', {})).orders).toEqual([]);
    expect(await other.emitWithAck('orders:list', { under: DAFANG })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(data(await county.emitWithAck('orders:list', {})).orders.map((o: WorkOrder) => o.id)).toEqual([order.id]);

    clock.set(Date.parse('2026-11-25T21:00:01+08:00'));
    expect(data(await city.emitWithAck('orders:list', { overdue: true })).orders.map((o) => o.id)).toEqual([order.id]);
    expect((await stats(city)).self.overdue).toBe(1);

    expect(await county.emitWithAck('order:act', { orderId: order.id, action: 'cancel', reason: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(
      data(await city.emitWithAck('order:act', { orderId: order.id, action: 'cancel', reason: '重复' })).order.state,
    ).toBe('cancelled');
    const viewer = await stack.opsSocket({ role: 'viewer', jurisdiction: CITY });
    expect(await viewer.emitWithAck('order:create', { title: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });
});
