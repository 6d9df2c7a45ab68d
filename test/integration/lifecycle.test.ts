import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Ack, Incident, TimelineEntry } from '@beacon/shared';
import { manualClock, startTestStack, type OpsSocket, type TestStack } from '../helpers/stack.ts';

/** The actor of the test stack's default sign-in (an admin of the whole region). */
const ADMIN = 'user:test-admin-520500';
const T0 = Date.parse('2026-11-25T10:00:00+08:00');
/** A point in 大方县 (520521), off the expressways. */
const DAFANG = { lon: 105.606, lat: 27.147 };

function data<T>(ack: Ack<T>): T {
  if (!ack.ok) throw new Error(`${ack.error.code}: ${ack.error.message}`);
  return ack.data;
}

describe('incident lifecycle over /ops', () => {
  let stack: TestStack;
  let ops: OpsSocket;
  const clock = manualClock(T0);

  beforeEach(async () => {
    clock.set(T0);
    stack = await startTestStack({ clock });
    ops = await stack.opsSocket();
  });
  afterEach(async () => {
    await stack.stop();
  });

  async function create(
    type: 'traffic_accident' | 'road_hazard' | 'work_order' = 'traffic_accident',
  ): Promise<Incident> {
    return data(await ops.emitWithAck('incident:create', { type, ...DAFANG, description: '两车追尾' })).incident;
  }

  it('opens an incident by hand with the type default priority and its county', async () => {
    const incident = await create();
    expect(incident).toMatchObject({
      type: 'traffic_accident',
      priority: 'P2',
      state: 'received',
      jurisdiction: '520521',
      createdBy: ADMIN,
      description: '两车追尾',
      createdAt: T0,
    });
    const snapshot = await stack.app.situation.snapshot('520500');
    expect(snapshot.slaPolicy?.P1).toEqual({ dispatchMs: 60_000, arrivalMs: 600_000, closureMs: 3_600_000 });
    expect((await create('work_order')).priority).toBe('P4');
    const bad = await ops.emitWithAck('incident:create', { type: 'alien_landing', ...DAFANG } as never);
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID' } });
  });

  it('runs 受理 → 研判 → 派单 → 出警 → 到场 → 处置 → 办结 → 回访, each step timestamped, attributed and audited', async () => {
    const fleet = await stack.ingestSocket('fleet', 'patrol');
    await fleet.emitWithAck('gps:reported', { eventId: 'g', ts: T0, unitId: 'P-01', ...DAFANG });
    await stack.settled();
    const incident = await create();
    const step = async (to: 'assessed' | 'handling' | 'closed' | 'feedback', reason?: string) => {
      clock.advance(60_000);
      return data(await ops.emitWithAck('incident:transition', { incidentId: incident.id, to, reason })).incident;
    };
    expect((await step('assessed')).state).toBe('assessed');
    clock.advance(60_000);
    data(await ops.emitWithAck('dispatch:assign', { incidentId: incident.id, unitId: 'P-01' }));
    for (const status of ['acknowledged', 'en_route', 'on_scene'] as const) {
      clock.advance(60_000);
      data(await ops.emitWithAck('assignment:report', { unitId: 'P-01', incidentId: incident.id, status }));
    }
    expect(await step('handling')).toMatchObject({ state: 'handling', unitId: 'P-01' });
    const closed = await step('closed');
    expect(closed).toMatchObject({
      state: 'closed',
      unitId: null,
      assignedAt: T0 + 120_000,
      acknowledgedAt: T0 + 180_000,
      arrivedAt: T0 + 300_000,
      closedAt: T0 + 420_000,
    });
    // Closing by hand lets the crew go: free for a new job while it drives back.
    const unit = await stack.app.situation.snapshot('520500').then((s) => s.units.find((u) => u.id === 'P-01'));
    expect(unit).toMatchObject({ status: 'returning', incidentId: null });
    expect(await step('feedback', '群众满意')).toMatchObject({ state: 'feedback', feedbackAt: T0 + 480_000 });

    const { timeline } = data(await ops.emitWithAck('incident:timeline', { incidentId: incident.id }));
    const moves = timeline
      .filter((e: TimelineEntry) => e.kind === 'transition')
      .map((e) => [e.from, e.to, e.actor, e.at]);
    expect(moves).toEqual([
      ['received', 'assessed', ADMIN, T0 + 60_000],
      ['assessed', 'dispatched', ADMIN, T0 + 120_000],
      ['dispatched', 'en_route', ADMIN, T0 + 240_000],
      ['en_route', 'on_scene', ADMIN, T0 + 300_000],
      ['on_scene', 'handling', ADMIN, T0 + 360_000],
      ['handling', 'closed', ADMIN, T0 + 420_000],
      ['closed', 'feedback', ADMIN, T0 + 480_000],
    ]);
    expect(timeline[0]).toMatchObject({ kind: 'created', to: 'received', at: T0 });
    const audit = (await stack.redis.xrange('beacon:audit', '-', '+')).map(([, f]) => f[1]);
    expect(audit).toEqual([
      'incident:create',
      'incident:transition',
      'dispatch:assign',
      'assignment:report',
      'assignment:report',
      'assignment:report',
      'incident:transition',
      'incident:transition',
      'incident:transition',
    ]);

    // Nothing follows 回访.
    expect(
      await ops.emitWithAck('incident:transition', { incidentId: incident.id, to: 'cancelled', reason: 'x' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'INVALID_TRANSITION', message: expect.stringContaining('feedback') },
    });
  });

  it('refuses illegal transitions with clear errors and changes nothing', async () => {
    const incident = await create();
    const tryMove = (to: string, reason?: string) =>
      ops.emitWithAck('incident:transition', { incidentId: incident.id, to, reason } as never);
    expect(await tryMove('closed')).toMatchObject({
      ok: false,
      error: {
        code: 'REASON_REQUIRED',
        message: expect.stringContaining('skips assessed, dispatched, en_route, on_scene, handling'),
      },
    });
    expect(await tryMove('handling', 'because')).toMatchObject({
      ok: false,
      error: { code: 'INVALID_TRANSITION', message: expect.stringContaining('handling follows on scene') },
    });
    expect(await tryMove('feedback', 'why not')).toMatchObject({ ok: false, error: { code: 'INVALID_TRANSITION' } });
    expect(await tryMove('cancelled')).toMatchObject({ ok: false, error: { code: 'REASON_REQUIRED' } });
    expect(await tryMove('dispatched')).toMatchObject({ ok: false, error: { code: 'INVALID' } });
    expect(await tryMove('received')).toMatchObject({ ok: false, error: { code: 'INVALID' } });
    expect(await ops.emitWithAck('incident:transition', { incidentId: 'INC-NOPE', to: 'assessed' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    const { incident: after, timeline } = data(await ops.emitWithAck('incident:timeline', { incidentId: incident.id }));
    expect(after).toMatchObject({ state: 'received', rev: 0 });
    expect(timeline).toHaveLength(1);

    const cancelled = data(
      await ops.emitWithAck('incident:transition', { incidentId: incident.id, to: 'cancelled', reason: '误报' }),
    ).incident;
    expect(cancelled).toMatchObject({ state: 'cancelled', endedAt: T0 });
    expect(await ops.emitWithAck('dispatch:assign', { incidentId: incident.id, unitId: 'P-01' })).toMatchObject({
      ok: false,
    });
  });

  it('takes a unit off a job to reassign it only with a reason, and frees the unit', async () => {
    const fleet = await stack.ingestSocket('fleet', 'patrol');
    await fleet.emitWithAck('gps:reported', { eventId: 'g', ts: T0, unitId: 'P-01', ...DAFANG });
    await stack.settled();
    const incident = await create();
    data(await ops.emitWithAck('dispatch:assign', { incidentId: incident.id, unitId: 'P-01' }));
    expect(await ops.emitWithAck('incident:transition', { incidentId: incident.id, to: 'assessed' })).toMatchObject({
      ok: false,
      error: { code: 'REASON_REQUIRED' },
    });
    const back = data(
      await ops.emitWithAck('incident:transition', { incidentId: incident.id, to: 'assessed', reason: '车辆故障' }),
    );
    expect(back.incident).toMatchObject({ state: 'assessed', unitId: null });
    expect(back.unit).toMatchObject({ id: 'P-01', status: 'available', incidentId: null });
    // Reassignable at once.
    expect(
      data(await ops.emitWithAck('dispatch:assign', { incidentId: incident.id, unitId: 'P-01' })).incident.state,
    ).toBe('dispatched');
  });

  it('adds notes and attachments, refuses a non-http attachment, links and merges', async () => {
    const a = await create();
    const b = await create('road_hazard');
    data(await ops.emitWithAck('incident:note', { incidentId: a.id, text: '报警人称有人受伤' }));
    data(
      await ops.emitWithAck('incident:attach', {
        incidentId: a.id,
        url: 'https://evidence.example/p/1.jpg',
        title: '现场照片',
      }),
    );
    expect(await ops.emitWithAck('incident:attach', { incidentId: a.id, url: 'javascript:alert(1)' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID' },
    });
    const linked = data(await ops.emitWithAck('incident:link', { incidentId: a.id, otherId: b.id }));
    expect(linked.incident.links).toEqual([b.id]);
    expect(linked.other.links).toEqual([a.id]);

    const c = await create();
    const merged = data(
      await ops.emitWithAck('incident:merge', { incidentId: c.id, intoId: a.id, reason: '同一事故' }),
    );
    expect(merged.incident).toMatchObject({ state: 'merged', mergedInto: a.id });
    expect(merged.into.links).toEqual(expect.arrayContaining([b.id, c.id]));
    expect(await ops.emitWithAck('incident:merge', { incidentId: a.id, intoId: c.id })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
    expect(await ops.emitWithAck('incident:merge', { incidentId: a.id, intoId: a.id })).toMatchObject({
      ok: false,
      error: { code: 'INVALID' },
    });

    const { timeline } = data(await ops.emitWithAck('incident:timeline', { incidentId: a.id }));
    expect(timeline.map((e) => e.kind)).toEqual(['created', 'note', 'attachment', 'link', 'merge']);
    expect(timeline[2]).toMatchObject({ url: 'https://evidence.example/p/1.jpg', text: '现场照片' });

    const raised = data(
      await ops.emitWithAck('incident:priority', { incidentId: a.id, priority: 'P1', reason: '有人受伤' }),
    );
    expect(raised.incident).toMatchObject({ priority: 'P1', priorityReason: '有人受伤' });
  });
});
