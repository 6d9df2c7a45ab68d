import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Ack, Alarm, Incident } from '@beacon/shared';
import { entryFromRaw, pointAtStake } from '@beacon/server';
import { manualClock, startTestStack, type IngestSocket, type OpsSocket, type TestStack } from '../helpers/stack.ts';

/** The actor of the test stack's default sign-in (an admin of the whole region). */
const ADMIN = 'user:test-admin-520500';
const T0 = Date.parse('2026-11-25T22:00:00+08:00');
const MINUTE = 60_000;

function data<T>(ack: Ack<T>): T {
  if (!ack.ok) throw new Error(`${ack.error.code}: ${ack.error.message}`);
  return ack.data;
}

describe('alarms, correlation, 督办 and statistics', () => {
  let stack: TestStack;
  let ops: OpsSocket;
  const clock = manualClock(T0);
  let eventNo = 0;

  beforeEach(async () => {
    clock.set(T0);
    stack = await startTestStack({ clock });
    ops = await stack.opsSocket();
  });
  afterEach(async () => {
    await stack.stop();
  });

  const at = (m: number, direction: 'up' | 'down') => {
    const [lon, lat] = pointAtStake(stack.app.roads.graph, { ref: 'SX1', m, direction })!;
    return { lon, lat, direction };
  };
  async function detect(camera: IngestSocket, cameraId: string, m: number, direction: 'up' | 'down' = 'up') {
    eventNo += 1;
    const ack = await camera.emitWithAck('pedestrian:detected', {
      eventId: `d${eventNo}`,
      ts: clock.now(),
      ...at(m, direction),
      confidence: 0.9,
      cameraId,
    });
    expect(ack).toMatchObject({ ok: true, data: { accepted: 1 } });
    await stack.settled();
  }
  const snapshot = async () => data(await ops.emitWithAck('situation:snapshot', {}));

  it('folds several cameras on one road section into one incident, one counting alarm per camera', async () => {
    const cameras = await stack.ingestSocket('cam-gw', 'camera');
    await detect(cameras, 'CAM-A', 20_000, 'up');
    clock.advance(MINUTE);
    // Another camera 1.2 km on, across the median: the same person on foot.
    await detect(cameras, 'CAM-B', 21_200, 'down');
    clock.advance(MINUTE);
    await detect(cameras, 'CAM-A', 20_050, 'up');
    // 5 km away: someone else.
    await detect(cameras, 'CAM-C', 25_000, 'up');

    const { incidents, alarms } = await snapshot();
    expect(incidents).toHaveLength(2);
    const first = incidents.find((i) => i.stake === 'SX1 K20+000 上行')!;
    expect(first).toMatchObject({ type: 'pedestrian', detections: 3, priority: 'P2', priorityReason: null });
    const byCamera = Object.fromEntries(alarms.map((a) => [a.source, a]));
    expect(byCamera['camera:CAM-A']).toMatchObject({
      type: 'pedestrian',
      count: 2,
      incidentId: first.id,
      state: 'open',
    });
    expect(byCamera['camera:CAM-B']).toMatchObject({ count: 1, incidentId: first.id });
    expect(byCamera['camera:CAM-C']!.incidentId).not.toBe(first.id);

    const { timeline, alarms: linked } = data(await ops.emitWithAck('incident:timeline', { incidentId: first.id }));
    expect(linked.map((a: Alarm) => a.source).sort()).toEqual(['camera:CAM-A', 'camera:CAM-B']);
    expect(timeline.filter((e) => e.kind === 'detection').map((e) => e.text)).toEqual(['camera:CAM-B correlated']);
  });

  it('applies an ingest entry read twice (after a crash or an outage) only once', async () => {
    const cameras = await stack.ingestSocket('cam-gw', 'camera');
    await detect(cameras, 'CAM-A', 20_000);
    await detect(cameras, 'CAM-B', 20_500);
    const raw = (await stack.redis.xrange('beacon:ingest', '-', '+')) as [string, string[]][];
    // The rules worker re-reads what it had not acknowledged: project both entries again, twice.
    await stack.app.projector.project(raw.map(entryFromRaw));
    await stack.app.projector.project(raw.map(entryFromRaw));
    const { incidents, alarms } = await snapshot();
    expect(incidents).toHaveLength(1);
    expect(incidents[0]!.detections).toBe(2);
    expect(alarms.map((a) => a.count)).toEqual([1, 1]);
  });

  it('closes a quiet alarm by itself; a person acknowledges (it keeps counting) or clears it', async () => {
    const cameras = await stack.ingestSocket('cam-gw', 'camera');
    await detect(cameras, 'CAM-A', 20_000);
    await detect(cameras, 'CAM-B', 40_000);
    const { alarms } = await snapshot();
    const a = alarms.find((x) => x.source === 'camera:CAM-A')!;
    const b = alarms.find((x) => x.source === 'camera:CAM-B')!;

    expect(data(await ops.emitWithAck('alarm:act', { alarmId: b.id, action: 'acknowledge' })).alarm).toMatchObject({
      state: 'acknowledged',
      acknowledgedBy: ADMIN,
    });
    await detect(cameras, 'CAM-B', 40_000);
    expect((await snapshot()).alarms.find((x) => x.id === b.id)).toMatchObject({ state: 'acknowledged', count: 2 });
    expect(data(await ops.emitWithAck('alarm:act', { alarmId: b.id, action: 'clear' })).alarm).toMatchObject({
      state: 'closed',
      closedBy: ADMIN,
    });
    expect(await ops.emitWithAck('alarm:act', { alarmId: b.id, action: 'clear' })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });

    clock.advance(14 * MINUTE);
    expect((await stack.app.deadlines.sweep()).alarmsClosed).toBe(0);
    clock.advance(2 * MINUTE);
    await stack.app.deadlines.sweep();
    const after = await stack.app.alarms.store.getAlarm(a.id);
    expect(after).toMatchObject({ state: 'closed', closedBy: 'quiet', closedAt: clock.now() });
    expect((await snapshot()).alarms).toEqual([]);
    // A new detection from the same camera opens a new alarm.
    await detect(cameras, 'CAM-A', 20_000);
    expect((await snapshot()).alarms.map((x) => x.id)).not.toContain(a.id);
  });

  it('raises a pedestrian in a red-fog section to P1 and opens one severe-weather incident for the fog', async () => {
    const station = await stack.ingestSocket('ws-dev-01', 'weather', { stationId: 'WS-01' });
    for (let i = 0; i < 4; i += 1) {
      clock.advance(5 * MINUTE);
      await station.emitWithAck('weather:observed', {
        eventId: `w${i}`,
        ts: clock.now(),
        stationId: 'WS-01',
        visibilityM: 30,
      });
      await stack.settled();
    }
    const { weatherAlerts, incidents, alarms } = await snapshot();
    expect(weatherAlerts[0]!.stages[0]).toMatchObject({ hazard: 'fog', level: 'red' });
    const fog = incidents.filter((i) => i.type === 'severe_weather');
    expect(fog).toHaveLength(1);
    expect(fog[0]).toMatchObject({ priority: 'P1', createdBy: 'rule:weather', stake: 'SX1 K14+173' });
    expect(alarms.find((a) => a.source === 'station:WS-01')).toMatchObject({
      type: 'fog',
      level: 'red',
      incidentId: fog[0]!.id,
    });

    const cameras = await stack.ingestSocket('cam-gw', 'camera');
    await detect(cameras, 'CAM-F', 15_000);
    await detect(cameras, 'CAM-G', 40_000);
    const pedestrians = (await snapshot()).incidents.filter((i) => i.type === 'pedestrian');
    expect(pedestrians.find((i) => i.stake === 'SX1 K15+000 上行')).toMatchObject({
      priority: 'P1',
      priorityReason: 'red_fog',
    });
    expect(pedestrians.find((i) => i.stake === 'SX1 K40+000 上行')).toMatchObject({
      priority: 'P2',
      priorityReason: null,
    });

    // The fog clears: its alarm closes, the incident stays for a person to close.
    for (let i = 0; i < 8; i += 1) {
      clock.advance(10 * MINUTE);
      await station.emitWithAck('weather:observed', {
        eventId: `c${i}`,
        ts: clock.now(),
        stationId: 'WS-01',
        visibilityM: 5000,
      });
      await stack.settled();
    }
    const cleared = await snapshot();
    expect(cleared.weatherAlerts).toEqual([]);
    expect(cleared.alarms.find((a) => a.source === 'station:WS-01')).toBeUndefined();
    expect(cleared.incidents.find((i) => i.id === fog[0]!.id)!.state).toBe('received');
  });

  it('raises a 督办 once per missed SLA timer, escalated to the city above the county', async () => {
    const updates: Incident[] = [];
    ops.on('incident:updated', (i) => updates.push(i));
    const incident = data(
      await ops.emitWithAck('incident:create', { type: 'traffic_accident', priority: 'P1', lon: 105.606, lat: 27.147 }),
    ).incident;
    clock.advance(59_000);
    await stack.app.deadlines.sweep();
    expect((await stack.app.incidents.getIncident(incident.id))!.supervisions).toEqual([]);
    clock.advance(2_000);
    await stack.app.deadlines.sweep();
    await stack.app.deadlines.sweep();
    const flagged = (await stack.app.incidents.getIncident(incident.id))!;
    expect(flagged.supervisions).toEqual([
      expect.objectContaining({
        kind: 'dispatch',
        at: T0 + 61_000,
        dueAt: T0 + 60_000,
        escalatedTo: '520500',
        actor: 'rule:sla',
      }),
    ]);
    expect(updates.at(-1)!.supervisions).toHaveLength(1);

    const manual = data(await ops.emitWithAck('incident:supervise', { incidentId: incident.id, reason: '领导关注' }));
    expect(manual.incident.supervisions.map((s) => s.kind)).toEqual(['dispatch', 'manual']);
  });

  it('flags items received before 09:00 that are not assigned by 09:00 and lists them as overdue', async () => {
    clock.set(Date.parse('2026-11-25T08:30:00+08:00'));
    const early = data(
      await ops.emitWithAck('incident:create', { type: 'work_order', lon: 105.606, lat: 27.147 }),
    ).incident;
    clock.set(Date.parse('2026-11-25T09:30:00+08:00'));
    const late = data(
      await ops.emitWithAck('incident:create', { type: 'work_order', lon: 105.606, lat: 27.147 }),
    ).incident;
    await stack.app.deadlines.sweep();
    expect((await stack.app.incidents.getIncident(early.id))!.supervisions.map((s) => s.kind)).toContain(
      'daily_assign',
    );
    expect((await stack.app.incidents.getIncident(late.id))!.supervisions).toEqual([]);

    const overdue = data(await ops.emitWithAck('incidents:overdue', {}));
    expect(overdue.items.map((x) => x.incident.id)).toEqual([early.id]);
    const http = (await (
      await fetch(`${stack.baseUrl}/api/v1/incidents/overdue`, { headers: await stack.authHeaders() })
    ).json()) as {
      ok: true;
      data: { incident: Incident; missed: { kind: string }[] }[];
    };
    expect(http.data.map((x) => [x.incident.id, x.missed.map((m) => m.kind)])).toEqual([[early.id, ['daily_assign']]]);
  });

  it('reports closure rate and counts over HTTP and /ops, without drill incidents', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      ids.push(
        data(await ops.emitWithAck('incident:create', { type: 'road_hazard', lon: 105.606, lat: 27.147 })).incident.id,
      );
    }
    clock.advance(10 * MINUTE);
    for (const id of ids.slice(0, 3)) {
      data(await ops.emitWithAck('incident:transition', { incidentId: id, to: 'closed', reason: '电话处置' }));
    }
    // A drill incident in the same Redis never counts.
    await stack.app.lifecycle.open({
      type: 'road_hazard',
      priority: 'P3',
      lon: 105.606,
      lat: 27.147,
      createdBy: 'drill',
      drillId: 'D-1',
    });
    const stats = data(await ops.emitWithAck('incidents:statistics', { window: 'today' }));
    expect(stats).toMatchObject({ total: 4, closed: 3, open: 1, closureRateText: '3 / 4 = 75.0 %' });
    expect(stats.byCounty['520521']).toMatchObject({ total: 4, closed: 3 });
    const res = await fetch(`${stack.baseUrl}/api/v1/incidents/statistics?window=30d`, {
      headers: await stack.authHeaders(),
    });
    expect(res.status).toBe(200);
    const bad = await fetch(`${stack.baseUrl}/api/v1/incidents/statistics?window=year`, {
      headers: await stack.authHeaders(),
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ ok: false, error: { code: 'INVALID' } });
  });
});
