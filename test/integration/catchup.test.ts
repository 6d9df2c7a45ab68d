import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { io as connect } from 'socket.io-client';
import {
  OPS_NAMESPACE,
  type Ack,
  type EventMeta,
  type Incident,
  type SituationCatchup,
  type Snapshot,
} from '@beacon/shared';
import { manualClock, startTestStack, type OpsSocket, type TestStack } from '../helpers/stack.ts';

const T0 = Date.parse('2026-11-25T10:00:00+08:00');
const DAFANG = { lon: 105.606, lat: 27.147 };
const WEINING = { lon: 104.284, lat: 26.863 };

function data<T>(ack: Ack<T>): T {
  if (!ack.ok) throw new Error(`${ack.error.code}: ${ack.error.message}`);
  return ack.data;
}

/** Open /ops with a handshake and resolve with the first situation message (snapshot or catch-up). */
function reconnect(
  baseUrl: string,
  auth: Record<string, string>,
): Promise<{
  socket: OpsSocket;
  first: { kind: 'snapshot'; body: Snapshot } | { kind: 'catchup'; body: SituationCatchup };
}> {
  return new Promise((resolve, reject) => {
    const socket = connect(`${baseUrl}${OPS_NAMESPACE}`, {
      auth,
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    }) as unknown as OpsSocket;
    socket.once('situation:snapshot', (body) => resolve({ socket, first: { kind: 'snapshot', body } }));
    socket.once('situation:catchup', (body) => resolve({ socket, first: { kind: 'catchup', body } }));
    socket.once('connect_error', reject);
  });
}

describe('reconnect catch-up from the events stream', () => {
  let stack: TestStack;
  const clock = manualClock(T0);
  const opened: OpsSocket[] = [];

  beforeEach(async () => {
    clock.set(T0);
    stack = await startTestStack({ clock });
  });
  afterEach(async () => {
    for (const s of opened.splice(0)) s.disconnect();
    await stack.stop();
  });

  it('replays the 10 000 events a screen missed, in order, none missing, none twice, only of its area', async () => {
    const dispatcher = await stack.opsSocket();
    const incident = data(await dispatcher.emitWithAck('incident:create', { type: 'work_order', ...DAFANG })).incident;
    const outside = data(await dispatcher.emitWithAck('incident:create', { type: 'work_order', ...WEINING })).incident;

    // A 大方 screen follows live events and remembers the last id it saw, then drops off.
    const token = await stack.token({ role: 'viewer', jurisdiction: '520521' });
    const { socket: screen } = await reconnect(stack.baseUrl, { token });
    opened.push(screen);
    let lastSeen: string | null = null;
    screen.on('incident:updated', (_i: Incident, meta?: EventMeta) => {
      lastSeen = meta?.id ?? lastSeen;
    });
    data(await dispatcher.emitWithAck('incident:note', { incidentId: incident.id, text: 'before the drop' }));
    for (let i = 0; i < 50 && lastSeen === null; i += 1) await new Promise((r) => setTimeout(r, 20));
    expect(lastSeen).not.toBeNull();
    screen.disconnect();

    // 10 000 changes while it is away, and some in another county it must not get.
    const missed: string[] = [];
    for (let i = 0; i < 10_000; i += 1) {
      const id = await stack.app.fanout.publish('incident:updated', { ...incident, updatedAt: T0 + i, rev: 1000 + i });
      missed.push(id!);
    }
    for (let i = 0; i < 5; i += 1) {
      await stack.app.fanout.publish('incident:updated', { ...outside, rev: 5000 + i });
    }

    const { socket: back, first } = await reconnect(stack.baseUrl, { token, lastEventId: lastSeen! });
    opened.push(back);
    expect(first.kind).toBe('catchup');
    const catchup = first.body as SituationCatchup;
    expect(catchup.after).toBe(lastSeen);
    expect(catchup.events.map((e) => e.id)).toEqual(missed);
    expect(new Set(catchup.events.map((e) => e.id)).size).toBe(10_000);
    expect(catchup.events.every((e) => (e.payload as Incident).id === incident.id)).toBe(true);
    expect((catchup.events.at(-1)!.payload as Incident).rev).toBe(1000 + 9_999);
    expect(catchup.lastEventId).not.toBe(missed.at(-1)); // the 5 events of 威宁 came after, unsent
  });

  it('recovers a short drop through Socket.IO itself: the missed events arrive, no snapshot is sent again', async () => {
    const dispatcher = await stack.opsSocket();
    const incident = data(await dispatcher.emitWithAck('incident:create', { type: 'work_order', ...DAFANG })).incident;
    const token = await stack.token({ role: 'viewer' });
    const screen = connect(`${stack.baseUrl}${OPS_NAMESPACE}`, {
      auth: { token },
      transports: ['websocket'],
      reconnectionDelay: 50,
      reconnectionDelayMax: 50,
      forceNew: true,
    }) as unknown as OpsSocket;
    opened.push(screen);
    let snapshots = 0;
    const notes: number[] = [];
    screen.on('situation:snapshot', () => (snapshots += 1));
    screen.on('incident:updated', (i: Incident) => notes.push(i.rev));
    await new Promise<void>((resolve) => screen.once('situation:snapshot', () => resolve()));
    // Recovery needs the server to have given this socket an offset: one event first.
    data(await dispatcher.emitWithAck('incident:note', { incidentId: incident.id, text: 'one' }));
    for (let i = 0; i < 50 && notes.length < 1; i += 1) await new Promise((r) => setTimeout(r, 20));

    const back = new Promise<void>((resolve) => screen.io.once('reconnect', () => resolve()));
    (screen.io as unknown as { engine: { close(): void } }).engine.close();
    data(await dispatcher.emitWithAck('incident:note', { incidentId: incident.id, text: 'two' }));
    data(await dispatcher.emitWithAck('incident:note', { incidentId: incident.id, text: 'three' }));
    await back;
    for (let i = 0; i < 100 && notes.length < 3; i += 1) await new Promise((r) => setTimeout(r, 20));
    expect((screen as unknown as { recovered: boolean }).recovered).toBe(true);
    expect(notes).toEqual([1, 2, 3]);
    expect(snapshots).toBe(1);
  });

  it('sends a snapshot instead when the last id is unknown, malformed or trimmed away', async () => {
    const token = await stack.token();
    for (const lastEventId of ['not-an-id', '1-0']) {
      await stack.app.fanout.publish('incident:updated', { id: 'x' } as unknown as Incident);
      await stack.redis.xtrim('beacon:events', 'MAXLEN', 1);
      const { socket, first } = await reconnect(stack.baseUrl, { token, lastEventId });
      opened.push(socket);
      expect(first.kind).toBe('snapshot');
    }
  });

  it('tells screens whether this server reaches Redis', async () => {
    const screen = await stack.opsSocket();
    const status = await new Promise((resolve) => {
      screen.once('server:status', resolve);
      screen.disconnect().connect();
    });
    expect(status).toMatchObject({ redis: 'up' });
  });
});
