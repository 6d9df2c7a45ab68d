import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Ack } from '@beacon/shared';
import { manualClock, startTestStack, type TestStack } from '../helpers/stack.ts';

const T0 = Date.parse('2026-11-25T10:00:00+08:00');
const DAFANG = { lon: 105.606, lat: 27.147 };
const WEINING = { lon: 104.284, lat: 26.863 };

function data<T>(ack: Ack<T>): T {
  if (!ack.ok) throw new Error(`${ack.error.code}: ${ack.error.message}`);
  return ack.data;
}

describe('CSV exports and the daily report', () => {
  let stack: TestStack;
  const clock = manualClock(T0);

  beforeEach(async () => {
    clock.set(T0);
    stack = await startTestStack({ clock });
  });
  afterEach(async () => {
    await stack.stop();
  });

  it('exports the caller’s incidents as CSV that Excel opens with Chinese intact', async () => {
    const ops = await stack.opsSocket();
    data(
      await ops.emitWithAck('incident:create', {
        type: 'traffic_accident',
        ...DAFANG,
        description: '两车追尾，一人受伤',
      }),
    );
    data(await ops.emitWithAck('incident:create', { type: 'road_hazard', ...WEINING }));
    const headers = await stack.authHeaders({ role: 'viewer', jurisdiction: '520521' });
    const res = await fetch(`${stack.baseUrl}/api/v1/incidents.csv?from=${T0 - 1000}&to=${T0 + 1000}`, { headers });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('beacon-incidents.csv');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').trim().split('\r\n');
    expect(lines[0]).toBe('编号,类型,优先级,状态,桩号,辖区,受理时间,派单时间,到场时间,办结时间,督办,描述');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(
      /^INC-20261125-0001,交通事故,P2,已受理,[^,]*,大方县,2026-11-25 10:00:00,,,,,两车追尾，一人受伤$/,
    );
    expect((await fetch(`${stack.baseUrl}/api/v1/incidents.csv`)).status).toBe(401);

    // Filters: every open state at once, and a narrower area.
    const cityHeaders = await stack.authHeaders();
    const rows = async (query: string) =>
      (
        await (
          await fetch(`${stack.baseUrl}/api/v1/incidents.csv?from=${T0 - 1000}&to=${T0 + 1000}&${query}`, {
            headers: cityHeaders,
          })
        ).text()
      )
        .trim()
        .split('\r\n').length - 1;
    expect(await rows('state=open')).toBe(2);
    expect(await rows('state=open&under=520526')).toBe(1);
    expect(await rows('state=closed,cancelled')).toBe(0);
  });

  it('gives a county its daily report: incidents, overdue items, work orders per township, warnings', async () => {
    const city = await stack.opsSocket();
    const county = await stack.opsSocket({ role: 'dispatcher', jurisdiction: '520521' });
    const a = data(await city.emitWithAck('incident:create', { type: 'traffic_accident', ...DAFANG })).incident;
    data(await city.emitWithAck('incident:create', { type: 'road_hazard', ...DAFANG }));
    data(await city.emitWithAck('incident:create', { type: 'road_hazard', ...WEINING }));
    clock.advance(20 * 60_000);
    data(await city.emitWithAck('incident:transition', { incidentId: a.id, to: 'closed', reason: '电话处置' }));
    data(await county.emitWithAck('order:create', { title: '复查', to: '520521101' }));

    const headers = await stack.authHeaders({ role: 'viewer', jurisdiction: '520521' });
    const res = (await (await fetch(`${stack.baseUrl}/api/v1/reports/daily`, { headers })).json()) as {
      data: {
        jurisdiction: { name_zh: string };
        date: string;
        incidents: { total: number; closed: number; closureRateText: string };
        orders: { self: { total: number }; children: { adcode: string; total: number }[] };
      };
    };
    expect(res.data.jurisdiction.name_zh).toBe('大方县');
    expect(res.data.date).toBe('2026-11-25');
    expect(res.data.incidents).toMatchObject({ total: 2, closed: 1, closureRateText: '1 / 2 = 50.0 %' });
    expect(res.data.orders.self.total).toBe(1);
    expect(res.data.orders.children.find((c) => c.adcode === '520521101')?.total).toBe(1);

    const forbidden = await fetch(`${stack.baseUrl}/api/v1/reports/daily?jurisdiction=520526`, { headers });
    expect(forbidden.status).toBe(403);
    const bad = await fetch(`${stack.baseUrl}/api/v1/reports/daily?date=tomorrow`, { headers });
    expect(bad.status).toBe(400);
  });
});
